"""HTTP plumbing of the REST client: one ``requests`` session, errors as exceptions.

Self-contained on purpose (only the standard library and ``requests``): ``scripts/rest_client.py``
loads this package by path from a checkout where tradewind is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
import requests.auth

__all__ = ["JSON", "ApiConnectionError", "ApiError", "ApiTransport", "BearerAuth", "path_part"]

JSON = Any
"""A decoded JSON document (dict, list, str, number, bool or None)."""

_NO_BODY: Any = object()


def _describe(body: JSON) -> str:
    """The human part of an error body: ``error``, ``detail`` (text or 422 list), or the text."""
    if isinstance(body, dict):
        for key in ("error", "detail"):
            value = body.get(key)
            if isinstance(value, str):
                return value
            if isinstance(value, list):
                return "; ".join(_describe_validation(item) for item in value)
    if isinstance(body, str):
        return body.strip()
    return json.dumps(body, ensure_ascii=False)


def _describe_validation(item: JSON) -> str:
    if not isinstance(item, dict):
        return str(item)
    location = ".".join(str(part) for part in item.get("loc", []))
    return f"{location}: {item.get('msg', '')}" if location else str(item.get("msg", ""))


class ApiError(Exception):
    """The bot answered with an HTTP error; ``body`` is the decoded JSON (or the text)."""

    def __init__(self, status: int, body: JSON) -> None:
        self.status = status
        self.body = body
        super().__init__(f"{status} {_describe(body)}")


class ApiConnectionError(Exception):
    """The bot could not be reached (refused, DNS failure, timeout)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot reach {url}: {reason}")


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused (is the bot running with api_server enabled?)"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return type(exc).__name__


def _query(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop ``None`` values; booleans as ``true``/``false``; lists stay lists (repeated keys)."""
    query: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        query[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return query


class BearerAuth(requests.auth.AuthBase):
    """Sends ``Authorization: Bearer <token>`` instead of the session's Basic credentials."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def path_part(value: object) -> str:
    """``value`` quoted for use as one path segment (``"a/b"`` → ``"a%2Fb"``)."""
    return quote(str(value), safe="")


class ApiTransport:
    """Sends requests to ``<base_url>/api/v1/...`` with HTTP Basic credentials."""

    def __init__(
        self,
        base_url: str,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = session if session is not None else requests.Session()
        if username is not None and password is not None:
            self._session.auth = (username, password)

    def close(self) -> None:
        """Close the underlying HTTP session."""
        self._session.close()

    def __enter__(self) -> ApiTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> JSON:
        return self._request("GET", path, params=params)

    def _delete(self, path: str, params: Mapping[str, Any] | None = None) -> JSON:
        return self._request("DELETE", path, params=params)

    def _post(
        self, path: str, body: JSON = _NO_BODY, params: Mapping[str, Any] | None = None
    ) -> JSON:
        return self._request("POST", path, params=params, body=body)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: JSON = _NO_BODY,
        auth: requests.auth.AuthBase | None = None,
        api: bool = True,
    ) -> JSON:
        """One call; ``path`` is relative to ``/api/v1`` (or to the root with ``api=False``)."""
        url = f"{self.base_url}/api/v1/{path}" if api else f"{self.base_url}/{path}"
        headers = {"Accept": "application/json"}
        data = None
        if body is not _NO_BODY:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        try:
            response = self._session.request(
                method,
                url,
                params=_query(params),
                data=data,
                headers=headers,
                auth=auth,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ApiConnectionError(self.base_url, _reason(exc)) from exc
        return _decode(response)


def _decode(response: requests.Response) -> JSON:
    try:
        body: JSON = response.json() if response.content else None
    except ValueError:
        body = response.text
    if response.status_code >= 400:
        raise ApiError(response.status_code, body)
    return body
