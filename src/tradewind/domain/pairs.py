"""Trading pairs ("ETH/BTC"): parsing, validation, wildcard matching, file-name form."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PAIR = re.compile(r"^[A-Za-z0-9._\-$@+]+/[A-Za-z0-9._\-$@+]+(:[A-Za-z0-9._\-$@+]+)?$")
_FILENAME_CHARS = re.compile(r"[/ .@$+:]")


def is_pair(text: str) -> bool:
    """True when `text` looks like BASE/QUOTE (optionally BASE/QUOTE:SETTLE)."""
    return bool(_PAIR.match(text))


def split_pair(pair: str) -> tuple[str, str]:
    """("ETH", "BTC") for "ETH/BTC"; settle currency suffixes are dropped."""
    if "/" not in pair:
        raise ValueError(f"'{pair}' is not a pair (expected BASE/QUOTE)")
    base, quote = pair.split("/", 1)
    return base, quote.split(":", 1)[0]


def pair_to_filename(pair: str) -> str:
    """ "BTC/USDT" → "BTC_USDT" (the on-disk form of config.md §8)."""
    return _FILENAME_CHARS.sub("_", pair)


def is_pattern_valid(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def expand_patterns(patterns: Iterable[str], available: Iterable[str]) -> list[str]:
    """Pairs of `available` matched by any pattern (exact names or regex such as "BNB/.*").

    A pattern that names a pair literally is kept even when the market list lacks it, so that a
    blacklist entry for an unknown pair still blocks it later.
    """
    available = list(available)
    result: list[str] = []
    seen: set[str] = set()
    for pattern in patterns:
        if is_pair(pattern) and not any(ch in pattern for ch in "*[]()?|^$\\+{}"):
            candidates = [pattern]
        else:
            try:
                compiled = re.compile(f"^{pattern}$")
            except re.error:
                continue
            candidates = [pair for pair in available if compiled.match(pair)]
        for pair in candidates:
            if pair not in seen:
                seen.add(pair)
                result.append(pair)
    return result
