"""SpiffArena's http connector as service operators: ``http/GetRequest``, ``http/PostRequest``...

A service task of a SpiffArena model names its connector (``spiffworkflow:serviceTaskOperator
id="http/GetRequest"``) with SpiffArena's parameters: ``url``, ``headers``, ``params`` (the
query), ``data`` with ``body_format`` (json, form, raw or none) for the methods that send a
body, ``basic_auth_username``/``basic_auth_password``, ``include_response_headers``. Its result
variable gets what SpiffArena's connector gives: ``{"body": <the JSON answer, or {"raw_response":
text}>, "mimetype": "application/json", "http_status": 200, "headers": {},
"operator_identifier": "http/GetRequest"}``; an answer of 300 or more fails the step (an
incident), as it does in SpiffArena when no error event catches it.

Only hosts an administrator allows are called (``HTTP_CONNECTOR_ALLOWED_HOSTS``; none by
default), over https unless plain http is allowed, within a time limit, with a cap on the
answer's size, and a redirect only to the same host. The check warns of a literal url whose host
is not allowed (workflows/lint/services.py); at run time such a call fails the step.
"""

from __future__ import annotations

import base64
import json
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from workflows.services import ServiceCall, register_operator

# SpiffArena's operators and the method each sends; the V2 get adds retry attempts (one here).
METHODS = {
    "http/GetRequest": "GET",
    "http/GetRequestV2": "GET",
    "http/HeadRequest": "HEAD",
    "http/PostRequest": "POST",
    "http/PutRequest": "PUT",
    "http/PatchRequest": "PATCH",
    "http/DeleteRequest": "DELETE",
}
_SENDS_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CHUNK = 64 * 1024


class ConnectorRefused(Exception):
    """A call the connector will not make, or an answer it will not take; the message says why."""


@dataclass(frozen=True)
class HttpSettings:
    allowed_hosts: frozenset[str] = frozenset()  # "api.example.org", "127.0.0.1:8080"
    timeout_seconds: float = 10.0
    max_bytes: int = 1024 * 1024
    allow_plain_http: bool = False


_settings = HttpSettings()


def configure_http_connector(
    *,
    allowed_hosts: str | None = None,
    timeout_seconds: float | None = None,
    max_bytes: int | None = None,
    allow_plain_http: bool | None = None,
) -> None:
    """The application's settings (None keeps one); ``allowed_hosts`` is a comma list."""
    global _settings
    hosts = _settings.allowed_hosts
    if allowed_hosts is not None:
        hosts = frozenset(host.strip().lower() for host in allowed_hosts.split(",") if host.strip())
    _settings = HttpSettings(
        allowed_hosts=hosts,
        timeout_seconds=_settings.timeout_seconds if timeout_seconds is None else timeout_seconds,
        max_bytes=_settings.max_bytes if max_bytes is None else max_bytes,
        allow_plain_http=_settings.allow_plain_http
        if allow_plain_http is None
        else allow_plain_http,
    )


def http_settings() -> HttpSettings:
    return _settings


def refusal_of(url: str) -> str | None:
    """Why the connector will not call ``url``, or None when it may."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"'{url}' is not a url"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"'{url}' is not an http or https url"
    if parts.scheme == "http" and not _settings.allow_plain_http:
        return f"'{url}' is plain http; the http connector calls https only"
    host = parts.hostname.lower()
    allowed = _settings.allowed_hosts
    if host not in allowed and (port is None or f"{host}:{port}" not in allowed):
        return (
            f"the host {host} is not one the http connector may call "
            "(an administrator allows hosts in HTTP_CONNECTOR_ALLOWED_HOSTS)"
        )
    return None


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        if (new.hostname or "").lower() != (old.hostname or "").lower():
            raise ConnectorRefused(f"the answer redirects to another host ({new.hostname})")
        reason = refusal_of(newurl)
        if reason is not None:
            raise ConnectorRefused(f"the answer redirects: {reason}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(
    _SameHostRedirects(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
)


def request_of(operator: str, params: dict[str, Any]) -> urllib.request.Request:
    """The request SpiffArena's connector would send for these parameters."""
    url = params.get("url")
    if not isinstance(url, str):
        raise ConnectorRefused("the parameter url must be text")
    for name, value in params.items():
        if isinstance(value, str) and value.startswith(("secret:", "file:")):
            raise ConnectorRefused(
                f"the parameter {name} names a SpiffArena {value.split(':')[0]}, "
                "which grantflow does not offer"
            )
    reason = refusal_of(url)
    if reason is not None:
        raise ConnectorRefused(reason)
    method = METHODS[operator]
    query = params.get("params")
    if query:
        url += ("&" if urlsplit(url).query else "?") + urlencode(query, doseq=True)
    headers = {str(key): str(value) for key, value in (params.get("headers") or {}).items()}
    username, password = params.get("basic_auth_username"), params.get("basic_auth_password")
    if username and password:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    body = _body(params, headers) if method in _SENDS_BODY else None
    return urllib.request.Request(url, data=body, headers=headers, method=method)


def _body(params: dict[str, Any], headers: dict[str, str]) -> bytes | None:
    form = str(params.get("body_format") or "json").lower()
    data = params.get("data")
    if form == "none" or data is None:
        return None
    if form == "json":
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(data).encode()
    if form == "form":
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode(data, doseq=True).encode()
    if form == "raw":
        return (json.dumps(data) if isinstance(data, dict | list) else str(data)).encode()
    raise ConnectorRefused("body_format must be one of json, form, raw or none")


def call(operator: str, params: dict[str, Any]) -> dict[str, Any]:
    """Send the request and give SpiffArena's result, or raise ConnectorRefused."""
    request = request_of(operator, params)
    deadline = time.monotonic() + _settings.timeout_seconds
    try:
        with _OPENER.open(request, timeout=_settings.timeout_seconds) as response:
            status, headers = response.status, response.headers
            raw = _read(response, deadline)
    except urllib.error.HTTPError as answer:
        status, headers = answer.code, answer.headers
        raw = _read(answer, deadline)
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ConnectorRefused(f"the call to {request.host} failed: {reason}") from None
    text = raw.decode(headers.get_content_charset() or "utf-8", errors="replace")
    if status >= 300:
        raise ConnectorRefused(
            f"Received error code 'HttpError{status}' from service '{operator}': "
            f"HTTP {status} error from service. Response: {text[:500]}"
        )
    content_type = headers.get("Content-Type", "")
    body: Any = {"raw_response": text}
    if "application/json" in content_type and text:
        try:
            body = json.loads(text)
        except ValueError:
            raise ConnectorRefused("the answer says it is JSON but is not") from None
    return {
        "body": body,
        "mimetype": "application/json",
        "http_status": status,
        "headers": dict(headers.items()) if params.get("include_response_headers") else {},
        "operator_identifier": operator,
    }


def _read(response: Any, deadline: float) -> bytes:
    """The answer's bytes, within the size cap and the time limit."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > _settings.max_bytes:
            raise ConnectorRefused(
                f"the answer is larger than the limit of {_settings.max_bytes} bytes"
            )
        if time.monotonic() > deadline:
            raise ConnectorRefused(
                f"the answer took longer than the limit of {_settings.timeout_seconds:g} s"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _operator(name: str) -> None:
    @register_operator(name)
    def operate(service_call: ServiceCall) -> dict[str, Any]:
        return call(name, service_call.params)


for _name in METHODS:
    _operator(_name)
