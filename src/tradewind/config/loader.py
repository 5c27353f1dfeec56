"""Read, merge and validate the configuration: files, included files, environment overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tradewind.config.env import env_layers
from tradewind.config.jsonc import parse_jsonc
from tradewind.config.layers import Layer
from tradewind.config.models.base import NOTES, RUNMODE, TRADE_MODES
from tradewind.config.models.bot import BotConfig
from tradewind.config.models.rules import consistency_problems
from tradewind.config.problems import Problem, problems_from
from tradewind.config.unknown_keys import unknown_keys
from tradewind.domain.enums import RunMode
from tradewind.errors import ConfigError

MAX_INCLUDE_DEPTH = 5
"""How deep `add_config_files` may nest below a file given on the command line."""


@dataclass(frozen=True)
class LoadedConfig:
    """The outcome of `load_config`."""

    config: BotConfig
    """The validated configuration."""
    files: list[Path]
    """Every file read, in reading order (an including file before the files it includes)."""
    warnings: list[str]
    """Non-fatal findings (unknown keys, deprecated names …) for the caller to log; secret-free."""
    runmode: RunMode
    """The effective run mode: for the trade modes, DRY_RUN or LIVE as `dry_run` says."""
    raw: dict[str, Any] = field(repr=False)
    """The merged data before validation (contains secrets: never log or serve it)."""


@dataclass(frozen=True)
class _Source:
    resolved: Path
    name: str


class _FileReader:
    """Reads config files and their `add_config_files`, remembering files and warnings."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.warnings: list[str] = []

    def read(self, path: Path, depth: int = 0, chain: tuple[_Source, ...] = ()) -> Layer:
        source = _Source(path.resolve(), str(path))
        if any(link.resolved == source.resolved for link in chain) or depth > MAX_INCLUDE_DEPTH:
            names = " → ".join(link.name for link in (*chain, source))
            raise ConfigError(
                f"Config loop detected: add_config_files nest too deep or include each other "
                f"({names}; at most {MAX_INCLUDE_DEPTH} levels)"
            )
        data = self._parse(path, source.name)
        self.files.append(path)
        layer = Layer()
        for index, name in enumerate(_include_list(data, source.name)):
            included = path.parent / name
            if not included.is_file():
                raise ConfigError(
                    f"{source.name}: add_config_files[{index}]: file '{name}' not found "
                    f"(looked for {included})"
                )
            layer = layer.merged(self.read(included, depth + 1, (*chain, source)))
        return layer.merged(Layer.of(data, source.name))

    def _parse(self, path: Path, name: str) -> dict[str, Any]:
        if not path.exists():
            raise ConfigError(f"Config file '{name}' not found")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ConfigError(f"{name}: cannot read the file ({reason})") from None
        data, duplicates = parse_jsonc(text, name)
        if not isinstance(data, dict):
            raise ConfigError(f"{name}: the file must hold a JSON object {{...}} at the top level")
        self.warnings.extend(
            f"{name}: key '{key}' appears twice in one object; the last value is used"
            for key in duplicates
        )
        return data


def _include_list(data: Mapping[str, Any], name: str) -> list[str]:
    includes = data.get("add_config_files", [])
    if not isinstance(includes, list) or not all(isinstance(item, str) for item in includes):
        raise ConfigError(f"{name}: add_config_files: must be a list of file names")
    return includes


def _report(problems: list[Problem], layer: Layer, fallback: str) -> str:
    lines = []
    for problem in problems:
        source = layer.source_of(problem.path, fallback)
        where = f"{problem.dotted}: " if problem.path else ""
        lines.append(f"{source}: {where}{problem.message}")
    if len(lines) == 1:
        return lines[0]
    listing = "\n".join(f"  {line}" for line in lines)
    return f"The configuration has {len(lines)} problems:\n{listing}"


def check_effective_config(config: BotConfig) -> None:
    """Re-check the cross-key rules after effective values were assigned (strategy resolver).

    Raises ConfigError listing every broken rule by key path, e.g.
    "order_types.entry: market entry orders need entry_pricing.price_side "ask" or "other" …".
    """
    problems = [Problem(path, message) for path, message in consistency_problems(config)]
    if problems:
        raise ConfigError(_report(problems, Layer(), "effective configuration"))


def effective_runmode(runmode: RunMode, config: BotConfig) -> RunMode:
    """DRY_RUN or LIVE for the trade modes (as `dry_run` says); other modes unchanged."""
    if runmode in TRADE_MODES:
        return RunMode.DRY_RUN if config.dry_run else RunMode.LIVE
    return runmode


def load_config(
    paths: Sequence[Path | str] | None,
    *,
    env: Mapping[str, str] | None = None,
    runmode: RunMode = RunMode.DRY_RUN,
    base: Mapping[str, Any] | None = None,
    base_name: str = "built-in defaults",
) -> LoadedConfig:
    """Load and validate the configuration.

    `base` (e.g. `defaults.embedded_default()`) is the bottom layer; the files in `paths` are
    deep-merged on top in order (later wins), then `FREQTRADE__…` and `TRADEWIND__…` variables
    of `env` (default: the process environment). `runmode` LIVE or DRY_RUN means the trade
    command: `dry_run` must then be written explicitly. Raises one ConfigError naming the file
    and key path of every problem; secrets never appear in it.
    """
    reader = _FileReader()
    layer = Layer.of(base, base_name) if base is not None else Layer()
    for path in paths or ():
        layer = layer.merged(reader.read(Path(path)))
    for override in env_layers(os.environ if env is None else env):
        layer = layer.merged(override)
    fallback = str(paths[0]) if paths else base_name
    notes: list[tuple[tuple[str, ...], str]] = []
    try:
        config = BotConfig.model_validate(layer.data, context={NOTES: notes, RUNMODE: runmode})
    except ValidationError as exc:
        raise ConfigError(_report(problems_from(exc), layer, fallback)) from None
    warnings = list(reader.warnings)
    warnings.extend(f"{layer.source_of(path, fallback)}: {message}" for path, message in notes)
    warnings.extend(
        f"{layer.source_of(item.path, fallback)}: {item.message}" for item in unknown_keys(config)
    )
    return LoadedConfig(
        config=config,
        files=reader.files,
        warnings=warnings,
        runmode=effective_runmode(runmode, config),
        raw=layer.data,
    )
