"""The client's own tolerant JSON reader and connection settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.client.jsonc import load_file, loads, strip_comments
from tradewind.client.settings import ConnectionSettings, resolve


def test_line_and_block_comments_are_removed_outside_strings() -> None:
    text = """{
        // leading comment
        "url": "http://example.com/path", /* block */
        "glob": "a/*b*/c" // trailing
    }"""

    assert loads(text) == {"url": "http://example.com/path", "glob": "a/*b*/c"}


def test_trailing_commas_in_objects_and_arrays_are_tolerated() -> None:
    assert loads('{"a": [1, 2, ], "b": {"c": 3, }, }') == {"a": [1, 2], "b": {"c": 3}}


def test_escaped_quotes_do_not_end_strings() -> None:
    assert loads(r'{"a": "say \"hi\" // not a comment", }') == {"a": 'say "hi" // not a comment'}


def test_commas_inside_strings_are_kept() -> None:
    assert loads('{"a": "x, }"}') == {"a": "x, }"}


def test_multiline_block_comments_keep_line_numbers() -> None:
    stripped = strip_comments('{\n/* one\ntwo\n*/ "a": 1}')

    assert stripped.count("\n") == 3


def test_unterminated_block_comment_is_an_error() -> None:
    with pytest.raises(ValueError, match="line 2"):
        loads("{\n/* open")


def test_invalid_json_still_fails() -> None:
    with pytest.raises(ValueError):
        loads('{"a": }')


def test_load_file_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"name": "bö",}', encoding="utf-8")

    assert load_file(path) == {"name": "bö"}


def test_defaults_without_anything() -> None:
    assert resolve(env={}) == ConnectionSettings("http://127.0.0.1:8080")


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:8081"),
        ("::", "http://[::1]:8081"),
        ("::1", "http://[::1]:8081"),
        ("192.168.1.5", "http://192.168.1.5:8081"),
    ],
)
def test_listen_address_becomes_a_reachable_url(tmp_path: Path, host: str, url: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        f'{{"api_server": {{"listen_ip_address": "{host}", "listen_port": 8081}}}}',
        encoding="utf-8",
    )

    assert resolve(config_paths=[str(path)], env={}).url == url


def test_settings_repr_hides_the_password() -> None:
    assert "hunter2" not in repr(resolve(env={}, password="hunter2"))
