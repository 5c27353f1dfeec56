"""The import mapping that lets unmodified Freqtrade strategy files load (decision 8).

While a strategy file executes, `freqtrade_imports()` puts a finder in front of `sys.meta_path`
that answers `freqtrade.strategy`, `freqtrade.persistence`, `freqtrade.enums`,
`freqtrade.exchange`, `freqtrade.vendor.qtpylib.indicators` and — when the `technical` package is
not installed — `technical.qtpylib` with small alias modules that re-export tradewind's names.
The finder is removed afterwards; alias modules already created stay in `sys.modules` so that
imports inside callbacks keep working. Nothing named `freqtrade` is installed on disk.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

from tradewind.strategy import freqtrade_names

_NAMES = "tradewind.strategy.freqtrade_names"
_QTPYLIB = "tradewind.strategy.qtpylib"

# alias module → (tradewind module, names to re-export; None = its __all__). Packages have no
# source and only make their submodules importable.
_ALIASES: dict[str, tuple[str, Sequence[str] | None] | None] = {
    "freqtrade": None,
    "freqtrade.strategy": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.strategy.interface": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.strategy.hyper": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.strategy.parameters": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.strategy.strategy_helper": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.strategy.informative_decorator": (_NAMES, freqtrade_names.STRATEGY_NAMES),
    "freqtrade.persistence": (_NAMES, freqtrade_names.PERSISTENCE_NAMES),
    "freqtrade.enums": (_NAMES, freqtrade_names.ENUM_NAMES),
    "freqtrade.exchange": (_NAMES, freqtrade_names.EXCHANGE_NAMES),
    "freqtrade.vendor": None,
    "freqtrade.vendor.qtpylib": None,
    "freqtrade.vendor.qtpylib.indicators": (_QTPYLIB, None),
}
_TECHNICAL_ALIASES: dict[str, tuple[str, Sequence[str] | None] | None] = {
    "technical": None,
    "technical.qtpylib": (_QTPYLIB, None),
}
_PACKAGES = {"freqtrade.strategy"}  # real packages in Freqtrade: submodules must resolve


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: tuple[str, Sequence[str] | None] | None) -> None:
        self._target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__["__tradewind_alias__"] = True
        if self._target is None:
            return
        source_name, names = self._target
        source = importlib.import_module(source_name)
        exported = list(names if names is not None else getattr(source, "__all__", ()))
        for name in exported:
            setattr(module, name, getattr(source, name))
        module.__all__ = exported  # type: ignore[attr-defined]


class _AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, aliases: dict[str, tuple[str, Sequence[str] | None] | None]) -> None:
        self.aliases = aliases

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.aliases:
            return None
        target_module = self.aliases[fullname]
        is_package = target_module is None or fullname in _PACKAGES
        spec = importlib.util.spec_from_loader(
            fullname, _AliasLoader(target_module), is_package=is_package
        )
        return spec


def _aliases() -> dict[str, tuple[str, Sequence[str] | None] | None]:
    aliases = dict(_ALIASES)
    if "technical" not in sys.modules and importlib.util.find_spec("technical") is None:
        aliases.update(_TECHNICAL_ALIASES)
    return aliases


def _is_alias(name: str) -> bool:
    module = sys.modules.get(name)
    return module is not None and bool(getattr(module, "__tradewind_alias__", False))


@contextmanager
def freqtrade_imports() -> Iterator[None]:
    """Serve the Freqtrade import names from tradewind while the block runs.

    If the block imported any alias, every alias is registered before the finder goes, so
    that a later `from freqtrade.persistence import Trade` inside a callback still works.
    """
    aliases = _aliases()
    finder = _AliasFinder(aliases)
    sys.meta_path.insert(0, finder)
    try:
        yield
        if any(_is_alias(name) for name in aliases):
            for name in aliases:
                importlib.import_module(name)
    finally:
        sys.meta_path.remove(finder)
