"""Config layers (a file, an environment variable …) deep-merged while remembering who set what.

Every key path maps to the name of the layer that last set it, so a problem found later can
name the file (or variable) the user has to edit.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KeyPath = tuple[str, ...]


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A new dict: objects merged key by key, lists and scalars of `override` replacing `base`'s."""
    result: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in override.items():
        current = result.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            result[key] = deep_merge(current, value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _record(data: Mapping[str, Any], source: str, prefix: KeyPath, out: dict[KeyPath, str]) -> None:
    for key, value in data.items():
        path = (*prefix, key)
        out[path] = source
        if isinstance(value, dict):
            _record(value, source, path, out)


def _value_at(data: Mapping[str, Any], path: KeyPath) -> Any:
    value: Any = data
    for key in path:
        value = value[key]
    return value


@dataclass
class Layer:
    """Config data plus the source name of every key path in it."""

    data: dict[str, Any] = field(default_factory=dict)
    sources: dict[KeyPath, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: Mapping[str, Any], source: str) -> Layer:
        """A layer whose every key comes from `source`."""
        sources: dict[KeyPath, str] = {}
        _record(data, source, (), sources)
        return cls(copy.deepcopy(dict(data)), sources)

    def merged(self, override: Layer) -> Layer:
        """This layer with `override` deep-merged on top (override wins)."""
        replaced = [
            path
            for path in override.sources
            if not isinstance(_value_at(override.data, path), dict)
        ]
        sources = {
            path: source
            for path, source in self.sources.items()
            if not any(len(path) > len(r) and path[: len(r)] == r for r in replaced)
        }
        sources.update(override.sources)
        return Layer(deep_merge(self.data, override.data), sources)

    def source_of(self, path: tuple[str | int, ...], fallback: str) -> str:
        """Who set `path` or its nearest ancestor; `fallback` when nobody did."""
        keys: list[str] = []
        for part in path:
            if not isinstance(part, str):
                break  # list items are not tracked: the list's source stands for them
            keys.append(part)
        for length in range(len(keys), 0, -1):
            source = self.sources.get(tuple(keys[:length]))
            if source is not None:
                return source
        return fallback
