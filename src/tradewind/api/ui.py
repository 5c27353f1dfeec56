"""Serving tradewind's web UI (auth-and-server.md §8, with tradewind's own UI instead of FreqUI).

The UI is a set of static files shipped in the package directory ``tradewind/ui/``. Routes:

* ``/ui_version`` → ``{"version": <tradewind version>}``; ``/favicon.ico``;
  ``/fallback_file.html`` (the page shown when no UI is installed);
* ``/vendor/plotly.min.js`` → the bundle of the installed ``plotly`` package, cached for a year;
* ``/{path}`` (registered after every API route) → paths starting with ``api`` or ``.`` answer
  404 ``{"detail": "Not Found"}``; an existing file inside the UI directory is served (``.js``
  as ``application/javascript``); anything else gets ``index.html`` (history-mode SPA), or the
  fallback page when the UI has no ``index.html``.

Everything here is public: the UI authenticates through the API.
"""

from __future__ import annotations

import importlib.resources
import mimetypes
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, Response

from tradewind.api.errors import NOT_FOUND
from tradewind.schemas.info import UiVersion
from tradewind.schemas.json import NanSafeJSONResponse

__all__ = ["UI_DIR", "plotly_bundle", "ui_router"]

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
"""The packaged UI (``tradewind/ui``)."""

LONG_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
_MEDIA_TYPES = {
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".html": "text/html",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}

FALLBACK_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>tradewind</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>tradewind</h1>
<p>The web UI is not part of this installation. The REST API runs under
<code>/api/v1</code>; FreqUI or <code>tradewind-client</code> can use it.</p>
</body>
</html>
"""


def plotly_bundle() -> Path | None:
    """``plotly.min.js`` of the installed ``plotly`` package, if there is one."""
    try:
        bundle = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"
    except ModuleNotFoundError:
        return None
    path = Path(str(bundle))
    return path if path.is_file() else None


def _media_type(path: Path) -> str:
    known = _MEDIA_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _not_found() -> Response:
    return NanSafeJSONResponse({"detail": NOT_FOUND}, status_code=404)


def _inside(directory: Path, relative: str) -> Path | None:
    """``directory/relative`` if it is an existing file inside ``directory`` (traversal guard)."""
    if not relative:
        return None
    try:
        candidate = (directory / relative).resolve()
    except (OSError, ValueError):  # e.g. a NUL byte in the path
        return None
    if not candidate.is_relative_to(directory) or not candidate.is_file():
        return None
    return candidate


class _UiFiles:
    """The handlers, bound to one UI directory and one version string."""

    def __init__(self, directory: Path, version: str) -> None:
        self.directory = directory.resolve()
        self.version = version

    def _file(self, path: Path, cache: str = NO_CACHE) -> Response:
        return FileResponse(path, media_type=_media_type(path), headers={"Cache-Control": cache})

    def _index(self) -> Response:
        index = self.directory / "index.html"
        if index.is_file():
            return self._file(index)
        return self.fallback()

    def fallback(self) -> Response:
        return HTMLResponse(FALLBACK_PAGE)

    async def ui_version(self) -> UiVersion:
        return UiVersion(version=self.version)

    async def favicon(self) -> Response:
        for name in ("favicon.ico", "favicon.svg"):
            found = _inside(self.directory, name)
            if found is not None:
                return self._file(found, "public, max-age=86400")
        return _not_found()

    async def fallback_file(self) -> Response:
        return self.fallback()

    async def plotly(self) -> Response:
        bundle = plotly_bundle()
        if bundle is None:
            return _not_found()
        return self._file(bundle, LONG_CACHE)

    async def index(self) -> Response:
        return self._index()

    async def any_path(self, rest_of_path: str) -> Response:
        if rest_of_path.startswith(("api", ".")):
            return _not_found()
        found = _inside(self.directory, rest_of_path)
        if found is not None:
            return self._file(found)
        return self._index()


def ui_router(version: str, directory: Path = UI_DIR) -> APIRouter:
    """The public UI routes; include it last (its catch-all answers every other GET)."""
    files = _UiFiles(directory, version)
    router = APIRouter(include_in_schema=False)
    get = ["GET", "HEAD"]
    router.add_api_route("/ui_version", files.ui_version, methods=get, response_model=UiVersion)
    router.add_api_route("/favicon.ico", files.favicon, methods=get)
    router.add_api_route("/fallback_file.html", files.fallback_file, methods=get)
    router.add_api_route("/vendor/plotly.min.js", files.plotly, methods=get)
    router.add_api_route("/", files.index, methods=get)
    router.add_api_route("/{rest_of_path:path}", files.any_path, methods=get)
    return router
