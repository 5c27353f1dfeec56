"""A tolerant JSON reader for bot config files: ``//`` and ``/* */`` comments, trailing commas.

Bot configs are JSON with comments (as Freqtrade's are). The client cannot use tradewind's
config package (it must stay self-contained), so this small scanner strips what ``json`` refuses
and leaves strings untouched. Newlines inside comments are kept so error positions still match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["load_file", "loads", "strip_comments", "strip_trailing_commas"]


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at ``start`` (or the end of the text)."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        index += 1
    return len(text)


def _comment_end(text: str, start: int) -> int:
    """Index just past the comment opening at ``start``."""
    if text.startswith("//", start):
        newline = text.find("\n", start)
        return len(text) if newline < 0 else newline
    close = text.find("*/", start + 2)
    if close < 0:
        line = text.count("\n", 0, start) + 1
        raise ValueError(f"unterminated /* comment starting on line {line}")
    return close + 2


def _next_significant(text: str, start: int) -> str:
    """The first non-whitespace character at or after ``start`` (``""`` at the end)."""
    index = start
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


def strip_comments(text: str) -> str:
    """``text`` without ``//`` and ``/* */`` comments outside string literals."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            out.append(text[index:end])
        elif text.startswith(("//", "/*"), index):
            end = _comment_end(text, index)
            out.append("\n" * text.count("\n", index, end) or " ")
        else:
            end = index + 1
            out.append(char)
        index = end
    return "".join(out)


def strip_trailing_commas(text: str) -> str:
    """``text`` without commas that directly precede ``}`` or ``]`` (comments already gone)."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            out.append(text[index:end])
            index = end
            continue
        if char == "," and _next_significant(text, index + 1) in ("}", "]"):
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


def loads(text: str) -> Any:
    """Parse JSON that may contain comments and trailing commas."""
    return json.loads(strip_trailing_commas(strip_comments(text)))


def load_file(path: str | Path) -> Any:
    """Read and parse a JSON-with-comments file (UTF-8)."""
    return loads(Path(path).read_text(encoding="utf-8"))
