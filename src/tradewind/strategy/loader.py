"""Finding and loading strategy classes from strategy files.

Search order: the configured `strategy_path`, then `<user_data_dir>/strategies`, then the
strategies shipped in `tradewind/strategy/builtin/`; the first file defining a class of the
requested name wins. A file may define several strategies. Files execute under the Freqtrade
import mapping (import_mapping.py), so unmodified Freqtrade strategy files load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from tradewind.domain.enums import TradingMode
from tradewind.errors import ConfigError
from tradewind.strategy.import_mapping import freqtrade_imports
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.legacy import migrate_legacy_attributes
from tradewind.strategy.parameters import apply_parameter_values, read_parameter_file

log = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
SUPPORTED_INTERFACE_VERSIONS = (2, 3)


@dataclass(frozen=True)
class StrategySource:
    """A strategy class and the file it was found in (with the file's full text)."""

    name: str
    path: Path
    source: str
    strategy_class: type[IStrategy]


def strategy_dirs(user_data_dir: Path | None, strategy_path: Path | None = None) -> list[Path]:
    """The directories searched for strategies, in order (built-ins last)."""
    dirs = [] if strategy_path is None else [Path(strategy_path)]
    if user_data_dir is not None:
        dirs.append(Path(user_data_dir) / "strategies")
    dirs.append(BUILTIN_DIR)
    return dirs


def _strategy_files(dirs: Iterable[Path], recursive: bool) -> list[Path]:
    files: list[Path] = []
    for directory in dirs:
        if not directory.is_dir():
            continue
        found = directory.rglob("*.py") if recursive else directory.glob("*.py")
        files.extend(sorted(f for f in found if f.is_file() and not f.name.startswith("__")))
    return files


def _import_file(path: Path) -> ModuleType:
    """Execute a strategy file as its own module; ConfigError naming the file if it fails."""
    digest = hashlib.sha1(str(path.resolve()).encode(), usedforsecurity=False).hexdigest()[:12]
    module_name = f"tradewind_strategy_file_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"Could not import strategy file {path}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    # Registered before execution: dataclasses and typing in the file look their module up.
    sys.modules[module_name] = module
    try:
        with freqtrade_imports():
            spec.loader.exec_module(module)
    except Exception as exc:  # user code: report which file failed and why
        sys.modules.pop(module_name, None)
        raise ConfigError(
            f"Could not import strategy file {path}: {type(exc).__name__}: {exc}"
        ) from exc
    return module


def _classes_in(module: ModuleType) -> dict[str, type[IStrategy]]:
    return {
        name: member
        for name, member in vars(module).items()
        if inspect.isclass(member)
        and issubclass(member, IStrategy)
        and member is not IStrategy
        and member.__module__ == module.__name__
    }


def list_strategies(dirs: Sequence[Path], *, recursive: bool = False) -> list[str]:
    """Sorted names of every strategy class in `dirs` (broken files are logged and skipped)."""
    names: set[str] = set()
    for path in _strategy_files(dirs, recursive):
        try:
            names.update(_classes_in(_import_file(path)))
        except ConfigError as exc:
            log.warning("%s", exc)
    return sorted(names)


def _check_name(name: str) -> None:
    if ":" in name:
        raise ConfigError(f"Strategy name '{name}' is invalid: names cannot contain ':'")
    if not name.isidentifier():
        raise ConfigError(f"Strategy name '{name}' is not a Python class name")


def find_strategy(name: str, dirs: Sequence[Path], *, recursive: bool = False) -> StrategySource:
    """The first class called `name` in `dirs`.

    Only files that textually define `class <name>` are executed. Raises ConfigError for an
    invalid or unknown name (listing the searched directories and the available strategies) and
    for a candidate file that fails to import (naming the file and the exception).
    """
    _check_name(name)
    pattern = re.compile(rf"^\s*class\s+{re.escape(name)}\b", re.MULTILINE)
    for path in _strategy_files(dirs, recursive):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("Skipping unreadable strategy file %s: %s", path, exc)
            continue
        if not pattern.search(text):
            continue
        strategy_class = _classes_in(_import_file(path)).get(name)
        if strategy_class is not None:
            return StrategySource(name, path, text, strategy_class)
    available = list_strategies(dirs, recursive=recursive)
    raise ConfigError(
        f"Strategy '{name}' not found; searched: {', '.join(str(d) for d in dirs)}; "
        f"available: {', '.join(available) or 'none'}"
    )


def validate_strategy(strategy: IStrategy, trading_mode: str = TradingMode.SPOT) -> None:
    """Load-time checks that do not depend on the config's overrides."""
    name = type(strategy).__name__
    version = getattr(strategy, "INTERFACE_VERSION", 3)
    if version not in SUPPORTED_INTERFACE_VERSIONS:
        raise ConfigError(f"{name}: INTERFACE_VERSION {version} is not supported (use 3)")
    if strategy.can_short and str(trading_mode) == TradingMode.SPOT:
        raise ConfigError(
            f"{name} sets can_short = True, which needs trading_mode futures or margin, not spot"
        )


def instantiate(
    found: StrategySource,
    *,
    config: dict[str, Any] | None = None,
    trading_mode: str = TradingMode.SPOT,
) -> IStrategy:
    """Create, migrate and validate a strategy; apply its stored parameter values.

    Parameter values come from `<StrategyFile>.json` next to the file, else the class's
    `<space>_params` dicts, else the defaults.
    """
    try:
        strategy = found.strategy_class(config if config is not None else {})
    except Exception as exc:  # user code (__init__) or a class left abstract
        raise ConfigError(
            f"Strategy '{found.name}' from {found.path} cannot be created: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    strategy.source_code = found.source
    strategy.source_file = found.path
    migrate_legacy_attributes(strategy, IStrategy)
    validate_strategy(strategy, trading_mode)
    file_params = read_parameter_file(found.path.with_suffix(".json"), found.name)
    apply_parameter_values(strategy, file_params)
    return strategy


def load_strategy(
    name: str,
    dirs: Sequence[Path],
    *,
    config: dict[str, Any] | None = None,
    trading_mode: str = TradingMode.SPOT,
    recursive: bool = False,
) -> IStrategy:
    """Find strategy `name` in `dirs` and return a ready instance (see `instantiate`)."""
    found = find_strategy(name, dirs, recursive=recursive)
    return instantiate(found, config=config, trading_mode=trading_mode)
