"""Optimizable strategy parameters (IntParameter …), their discovery, value loading and API form.

A parameter is declared as a class attribute of a strategy; the attribute name becomes its name and,
unless given explicitly, the name prefix (``buy_``, ``sell_`` …) its space. Stored values come from
the hyperopt result file ``<StrategyFile>.json`` next to the strategy, else from the class dict
``<space>_params``, else the declared default.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradewind.errors import ConfigError

log = logging.getLogger(__name__)

SPACE_PREFIXES = ("buy", "sell", "enter", "exit", "protection")
# Keys of the parameter file's "params" object that set strategy attributes, not parameters.
_ATTRIBUTE_SECTIONS = ("roi", "stoploss", "trailing", "max_open_trades")


class BaseParameter:
    """Common behaviour: name/space bookkeeping, `load`/`optimize` flags and `.value`."""

    def __init__(
        self, *, default: Any, space: str | None, optimize: bool, load: bool, **kwargs: Any
    ) -> None:
        if "name" in kwargs:
            raise ValueError(
                "A parameter's name is the attribute name it is assigned to; do not pass name="
            )
        self.name: str | None = None
        self.space = space
        self.optimize = optimize
        self.load = load
        # True only while an optimizer explores the space; `.range` then yields all candidates.
        self.in_space = False
        self.extra = kwargs
        self._value: Any = None
        self.value = default
        self.default = self.value

    @property
    def value(self) -> Any:
        """The current value."""
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        self._value = self._coerce(new)

    def _coerce(self, new: Any) -> Any:
        return new

    @property
    def range(self) -> Sequence[Any]:
        """All candidate values while optimizing, otherwise just the current value."""
        return [self.value]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


def _bounds(cls_name: str, low: Any, high: Any) -> tuple[Any, Any]:
    """Accept (low, high) or ([low, high], None) as the spec allows."""
    if isinstance(low, Sequence) and not isinstance(low, str):
        if high is not None or len(low) != 2:
            raise ValueError(f"{cls_name}: pass either low and high, or [low, high] as low")
        return low[0], low[1]
    if high is None:
        raise ValueError(f"{cls_name}: high is required when low is a number")
    return low, high


class IntParameter(BaseParameter):
    """An integer between `low` and `high` (inclusive)."""

    def __init__(
        self,
        low: int | Sequence[int],
        high: int | None = None,
        *,
        default: int,
        space: str | None = None,
        optimize: bool = True,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        self.low, self.high = (int(v) for v in _bounds(type(self).__name__, low, high))
        super().__init__(default=default, space=space, optimize=optimize, load=load, **kwargs)

    def _coerce(self, new: Any) -> Any:
        return None if new is None else int(new)

    @property
    def range(self) -> Sequence[int]:
        if self.in_space and self.optimize:
            return range(self.low, self.high + 1)
        return [self.value]


class RealParameter(BaseParameter):
    """A float between `low` and `high` (inclusive)."""

    def __init__(
        self,
        low: float | Sequence[float],
        high: float | None = None,
        *,
        default: float,
        space: str | None = None,
        optimize: bool = True,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        self.low, self.high = (float(v) for v in _bounds(type(self).__name__, low, high))
        super().__init__(default=default, space=space, optimize=optimize, load=load, **kwargs)

    def _coerce(self, new: Any) -> Any:
        return None if new is None else float(new)

    @property
    def range(self) -> Sequence[float]:
        # A continuous space has no finite candidate list; its bounds are what an optimizer needs.
        if self.in_space and self.optimize:
            return [self.low, self.high]
        return [self.value]


class DecimalParameter(RealParameter):
    """A float rounded to `decimals` places; every assigned value is rounded too."""

    def __init__(
        self,
        low: float | Sequence[float],
        high: float | None = None,
        *,
        default: float,
        decimals: int = 3,
        space: str | None = None,
        optimize: bool = True,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        self.decimals = decimals
        super().__init__(
            low, high, default=default, space=space, optimize=optimize, load=load, **kwargs
        )
        self.low, self.high = round(self.low, decimals), round(self.high, decimals)

    def _coerce(self, new: Any) -> Any:
        return None if new is None else round(float(new), self.decimals)

    @property
    def range(self) -> Sequence[float]:
        if self.in_space and self.optimize:
            steps = round((self.high - self.low) * 10**self.decimals) + 1
            return [round(float(v), self.decimals) for v in np.linspace(self.low, self.high, steps)]
        return [self.value]


class CategoricalParameter(BaseParameter):
    """One of a fixed list of (at least two) categories; default None means the first one."""

    def __init__(
        self,
        categories: Sequence[Any],
        *,
        default: Any = None,
        space: str | None = None,
        optimize: bool = True,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        if len(categories) < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 categories: [a, b, ...]")
        self.opt_range = list(categories)
        chosen = self.opt_range[0] if default is None else default
        super().__init__(default=chosen, space=space, optimize=optimize, load=load, **kwargs)

    @property
    def range(self) -> Sequence[Any]:
        if self.in_space and self.optimize:
            return list(self.opt_range)
        return [self.value]


class BooleanParameter(CategoricalParameter):
    """True or False."""

    def __init__(
        self,
        *,
        default: Any = None,
        space: str | None = None,
        optimize: bool = True,
        load: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            [True, False], default=default, space=space, optimize=optimize, load=load, **kwargs
        )

    def _coerce(self, new: Any) -> Any:
        return None if new is None else bool(new)


@dataclass(frozen=True)
class ParameterInfo:
    """One parameter of a strategy instance, with its resolved name and space."""

    name: str
    space: str
    param_type: str
    parameter: BaseParameter


def _space_of(name: str, param: BaseParameter) -> str:
    if param.space:
        return param.space
    prefix = name.split("_", 1)[0]
    if "_" in name and prefix in SPACE_PREFIXES:
        return prefix
    raise ConfigError(
        f"Cannot determine parameter space for '{name}': name it with one of the prefixes "
        f"{', '.join(p + '_' for p in SPACE_PREFIXES)} or pass space=..."
    )


def _iter_parameters(strategy: object) -> Iterator[tuple[str, BaseParameter]]:
    """(name, parameter) in alphabetical order, read without triggering properties."""
    for name in dir(type(strategy)):
        if name.startswith("__"):
            continue
        declared = inspect.getattr_static(type(strategy), name, None)
        if isinstance(declared, BaseParameter):
            # The instance holds its own copy (see IStrategy.__init__); fall back to the class's.
            current = getattr(strategy, name, declared)
            yield name, current if isinstance(current, BaseParameter) else declared


def list_parameters(strategy: object) -> list[ParameterInfo]:
    """All parameters of `strategy`, grouped by space (first-seen order), names alphabetical.

    Also records each parameter's resolved name and space on the parameter object. Raises
    ConfigError when a space cannot be inferred.
    """
    by_space: dict[str, list[ParameterInfo]] = {}
    for name, param in _iter_parameters(strategy):
        space = _space_of(name, param)
        param.name, param.space = name, space
        info = ParameterInfo(name, space, type(param).__name__, param)
        by_space.setdefault(space, []).append(info)
    return [info for infos in by_space.values() for info in infos]


def read_parameter_file(path: Path, class_name: str) -> dict[str, Any] | None:
    """The `params` object of a hyperopt result file for `class_name`, or None if not applicable."""
    if not path.is_file():
        return None
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read strategy parameter file {path}: {exc}") from exc
    if not isinstance(content, dict) or not isinstance(content.get("params"), dict):
        raise ConfigError(f"Strategy parameter file {path} has no 'params' object")
    if content.get("strategy_name") != class_name:
        log.warning(
            "Ignoring parameter file %s: it was written for strategy %r, not %r",
            path,
            content.get("strategy_name"),
            class_name,
        )
        return None
    return dict(content["params"])


def _apply_attribute_sections(strategy: object, file_params: Mapping[str, Any]) -> None:
    """roi/stoploss/trailing/max_open_trades sections of the file set strategy attributes."""
    if isinstance(file_params.get("roi"), Mapping):
        strategy.minimal_roi = dict(file_params["roi"])  # type: ignore[attr-defined]
    for section in ("stoploss", "trailing", "max_open_trades"):
        values = file_params.get(section)
        if isinstance(values, Mapping):
            for key, value in values.items():
                setattr(strategy, key, value)


def apply_parameter_values(strategy: object, file_params: Mapping[str, Any] | None = None) -> None:
    """Set every parameter's value: file `params.<space>` > `<space>_params` dict > default.

    Parameters with `load=False` keep their default. `file_params` is the `params` object of the
    strategy's parameter file (see `read_parameter_file`); its roi/stoploss/trailing/
    max_open_trades sections are applied to the strategy attributes as well.
    """
    file_params = file_params or {}
    _apply_attribute_sections(strategy, file_params)
    for info in list_parameters(strategy):
        param = info.parameter
        if not param.load:
            param.value = param.default
            continue
        from_file = file_params.get(info.space)
        class_dict = getattr(strategy, f"{info.space}_params", None)
        if isinstance(from_file, Mapping) and info.name in from_file:
            param.value = from_file[info.name]
        elif isinstance(class_dict, Mapping) and info.name in class_dict:
            param.value = class_dict[info.name]
        else:
            param.value = param.default
    known = {info.space for info in list_parameters(strategy)} | set(_ATTRIBUTE_SECTIONS)
    for section in file_params:
        if section not in known:
            log.debug("Parameter file section %r matches no parameter space", section)


def parameters_for_api(strategy: object) -> list[dict[str, Any]]:
    """The `params[]` list of GET /strategy/{name} (rest-api §11.2), in its documented order."""
    result: list[dict[str, Any]] = []
    for info in list_parameters(strategy):
        param = info.parameter
        entry: dict[str, Any] = {
            "param_type": info.param_type,
            "name": info.name,
            "space": info.space,
            "load": param.load,
            "optimize": param.optimize,
            "value": param.value,
        }
        if isinstance(param, CategoricalParameter):
            entry["opt_range"] = list(param.opt_range)
        elif isinstance(param, IntParameter | RealParameter):
            entry["low"], entry["high"] = param.low, param.high
            if isinstance(param, DecimalParameter):
                entry["decimals"] = param.decimals
        result.append(entry)
    return result
