"""JSON with comments (`//`, `/* */`) and trailing commas, parsed with exact error positions.

Comments and trailing commas are blanked out (newlines kept) rather than removed, so the
line and column of a syntax error point into the original text.
"""

from __future__ import annotations

import json
from typing import Any

from tradewind.errors import ConfigError


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _blank(text: str) -> str:
    return "".join(ch if ch == "\n" else " " for ch in text)


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal whose opening quote is at `start` (or len(text))."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in '"\n':
            return index + 1
        index += 1
    return len(text)


def strip_comments(text: str, source: str) -> str:
    """`text` with comments blanked out; strings are left untouched."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            out.append(text[index:end])
            index = end
        elif text.startswith("//", index):
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            out.append(_blank(text[index:end]))
            index = end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            if end < 0:
                line, column = _position(text, index)
                raise ConfigError(
                    f"{source}: invalid JSON at line {line}, column {column}: unterminated comment"
                )
            out.append(_blank(text[index : end + 2]))
            index = end + 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def strip_trailing_commas(text: str) -> str:
    """Blank every comma that is followed (after whitespace) by `}` or `]`; comment-free input."""
    chars = list(text)
    index = 0
    while index < len(chars):
        char = chars[index]
        if char == '"':
            index = _string_end(text, index)
            continue
        if char == ",":
            ahead = index + 1
            while ahead < len(chars) and chars[ahead] in " \t\r\n":
                ahead += 1
            if ahead < len(chars) and chars[ahead] in "}]":
                chars[index] = " "
        index += 1
    return "".join(chars)


class _DuplicateCollector:
    """`object_pairs_hook` that builds dicts and remembers keys written twice in one object."""

    def __init__(self) -> None:
        self.duplicates: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                self.duplicates.append(key)
            result[key] = value
        return result


def parse_jsonc(text: str, source: str) -> tuple[Any, list[str]]:
    """Parse JSONC `text` read from `source`; returns the value and keys duplicated in an object.

    Raises ConfigError naming `source`, line and column on a syntax error.
    """
    cleaned = strip_trailing_commas(strip_comments(text, source))
    collector = _DuplicateCollector()
    try:
        value = json.loads(cleaned, object_pairs_hook=collector)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return value, collector.duplicates
