"""UI hosting (auth-and-server.md §8): files of the UI directory, SPA fallback, the 404 of API
paths, the path-traversal guard, ui_version, favicon and the vendored plotly bundle."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tradewind.api.errors import install_error_handlers
from tradewind.api.ui import FALLBACK_PAGE, UI_DIR, plotly_bundle, ui_router


def ui_app(directory: Path, version: str = "9.9.9") -> TestClient:
    app = FastAPI()
    app.include_router(ui_router(version, directory))
    install_error_handlers(app)
    return TestClient(app)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    ui = tmp_path / "ui"
    (ui / "js").mkdir(parents=True)
    (ui / "index.html").write_text("<!doctype html><title>index</title>")
    (ui / "js" / "main.js").write_text("export const x = 1;")
    (ui / "favicon.svg").write_text("<svg/>")
    (ui / ".hidden").write_text("secret")
    (tmp_path / "outside.txt").write_text("outside")
    return ui


def test_root_and_deep_links_serve_index_html(site: Path) -> None:
    client = ui_app(site)
    for path in ("/", "/trade", "/dashboard/logs", "/missing.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == "<!doctype html><title>index</title>"
        assert response.headers["content-type"].startswith("text/html")


def test_existing_files_are_served_with_javascript_as_application_javascript(site: Path) -> None:
    response = ui_app(site).get("/js/main.js")
    assert response.status_code == 200 and response.text == "export const x = 1;"
    assert response.headers["content-type"].startswith("application/javascript")


@pytest.mark.parametrize("path", ["/api", "/api/v1/whatever", "/apis", "/.hidden", "/.env"])
def test_api_and_dot_paths_are_404_not_found(site: Path, path: str) -> None:
    response = ui_app(site).get(path)
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("path", ["/%2e%2e/outside.txt", "/js/%2e%2e/%2e%2e/outside.txt"])
def test_paths_leaving_the_ui_directory_are_not_served(site: Path, path: str) -> None:
    response = ui_app(site).get(path)
    assert "outside" not in response.text


def test_without_index_html_the_fallback_page_is_served(tmp_path: Path) -> None:
    client = ui_app(tmp_path / "no-ui")
    for path in ("/", "/trade", "/fallback_file.html"):
        response = client.get(path)
        assert response.status_code == 200 and response.text == FALLBACK_PAGE


def test_ui_version_and_favicon(site: Path) -> None:
    client = ui_app(site)
    assert client.get("/ui_version").json() == {"version": "9.9.9"}
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_plotly_comes_from_the_installed_package_with_long_cache(site: Path) -> None:
    bundle = plotly_bundle()
    assert bundle is not None and bundle.name == "plotly.min.js"
    response = ui_app(site).get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert "max-age=31536000" in response.headers["cache-control"]
    assert len(response.content) == bundle.stat().st_size


def test_the_packaged_ui_directory_is_the_package_ui() -> None:
    assert UI_DIR.name == "ui" and UI_DIR.parent.name == "tradewind"
    assert (UI_DIR / "index.html").is_file()
