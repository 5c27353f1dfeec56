from __future__ import annotations

import pytest

from tradewind.config.jsonc import parse_jsonc
from tradewind.errors import ConfigError


def test_line_and_block_comments_are_ignored() -> None:
    text = """{
      // a line comment
      "a": 1, /* a block
      comment */ "b": 2
    }"""
    assert parse_jsonc(text, "c.json")[0] == {"a": 1, "b": 2}


def test_trailing_commas_in_objects_and_lists_are_accepted() -> None:
    text = '{"a": [1, 2, ], "b": {"c": 3, },  }'
    assert parse_jsonc(text, "c.json")[0] == {"a": [1, 2], "b": {"c": 3}}


def test_comment_markers_and_commas_inside_strings_are_kept() -> None:
    text = r'{"url": "http://host//x", "re": "a/*b*/c", "s": ",}", "q": "say \"//hi\"",}'
    value, _ = parse_jsonc(text, "c.json")
    assert value == {"url": "http://host//x", "re": "a/*b*/c", "s": ",}", "q": 'say "//hi"'}


def test_syntax_error_names_file_line_and_column_of_the_original_text() -> None:
    text = '{\n  // comment here\n  "a": 1\n  "b": 2\n}'
    with pytest.raises(ConfigError) as caught:
        parse_jsonc(text, "config.json")
    assert str(caught.value) == (
        "config.json: invalid JSON at line 4, column 3: Expecting ',' delimiter"
    )


def test_unterminated_block_comment_is_a_syntax_error() -> None:
    with pytest.raises(ConfigError, match=r"c.json: invalid JSON at line 2, column 1"):
        parse_jsonc('{"a": 1,\n/* never closed\n}', "c.json")


def test_duplicate_keys_are_reported() -> None:
    value, duplicates = parse_jsonc('{"a": 1, "a": 2}', "c.json")
    assert value == {"a": 2}
    assert duplicates == ["a"]
