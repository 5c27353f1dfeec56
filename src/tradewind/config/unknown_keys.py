"""Find config keys no model knows, with a "did you mean" hint for likely typos."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from pydantic import BaseModel

from tradewind.config.models.base import ConfigModel
from tradewind.config.problems import dotted_path

IGNORED_ROOT_KEYS = frozenset({"$schema"})
"""Root keys accepted silently (editor support for JSON schemas)."""

FREQTRADE_ONLY_KEYS = frozenset(
    {
        "telegram",
        "webhook",
        "discord",
        "freqai",
        "freqaimodel",
        "freqaimodel_path",
        "protections",
        "plot_config",
        "timeframe_detail",
        "timerange",
        "strategy_list",
        "export",
        "exportfilename",
        "backtest_breakdown",
        "backtest_cache",
        "hyperopt_loss",
        "hyperopt_path",
        "epochs",
        "spaces",
        "liquidation_buffer",
        "futures_funding_rate",
        "reduce_df_footprint",
        "orderflow",
        "download_trades",
        "log_config",
        "disableparamexport",
        "position_stacking",
        "enable_protections",
    }
)
"""Freqtrade root keys of features tradewind does not implement: warned about, then ignored."""


@dataclass(frozen=True)
class UnknownKey:
    """A key that was ignored, and the warning text (without the source prefix)."""

    path: tuple[str | int, ...]
    message: str


def _describe(model: BaseModel, path: tuple[str | int, ...], key: str) -> str:
    dotted = dotted_path(path)
    if not path[:-1] and key in FREQTRADE_ONLY_KEYS:
        return f"Config key '{dotted}' is a Freqtrade feature tradewind does not implement; ignored"
    close = difflib.get_close_matches(key, list(type(model).model_fields), n=1)
    hint = f" (did you mean '{dotted_path((*path[:-1], close[0]))}'?)" if close else ""
    return f"Unknown config key '{dotted}' ignored{hint}"


def _walk(model: BaseModel, prefix: tuple[str | int, ...], found: list[UnknownKey]) -> None:
    tolerant = isinstance(model, ConfigModel) and type(model).tolerate_unknown_keys
    if not tolerant:
        for key in model.model_extra or {}:
            if not prefix and key in IGNORED_ROOT_KEYS:
                continue
            path = (*prefix, key)
            found.append(UnknownKey(path, _describe(model, path, key)))
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        if isinstance(value, BaseModel):
            _walk(value, (*prefix, name), found)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _walk(item, (*prefix, name, index), found)


def unknown_keys(config: BaseModel) -> list[UnknownKey]:
    """Every ignored key of `config` and its sections, depth first in declaration order."""
    found: list[UnknownKey] = []
    _walk(config, (), found)
    return found
