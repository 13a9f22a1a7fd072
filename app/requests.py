"""The request boundary's parts: when a request arrived, and one retry after a conflict.

Arrival time is a fact of the request: ``ArrivalStamp`` (outermost WSGI middleware) stamps
each request before anything else happens, or takes the moment a trusted reverse proxy put in
``X-Request-Start`` (``t=<seconds>``, or milliseconds, or microseconds since the epoch) when
``TRUST_REQUEST_START_HEADER`` is on: then the time a request waited in a queue counts too.
Deadlines judge that moment (16:14:59.999 is in time, 16:15:00.000 late), however long the
request then waits for a lock.

``retry_on_conflict`` runs a view once more when the database ended its transaction in a
deadlock or a serialization failure, before the person sees an error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy.exc import DBAPIError

from workflows import wall_now

ARRIVED = "grantflow.arrived_at"
# A proxy's stamp this far from the server's own is not believed (clocks apart, forged).
_PLAUSIBLE = timedelta(minutes=10)


class ArrivalStamp:
    """WSGI middleware: ``environ["grantflow.arrived_at"]`` is when the request arrived."""

    def __init__(self, app: Callable[..., Any], *, trust_header: bool = False) -> None:
        self.app = app
        self.trust_header = trust_header

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        now = wall_now()
        stamp = now
        if self.trust_header:
            proxied = parse_request_start(environ.get("HTTP_X_REQUEST_START", ""))
            if proxied is not None and abs(now - proxied) < _PLAUSIBLE:
                stamp = min(proxied, now)
        environ[ARRIVED] = stamp
        return self.app(environ, start_response)


def parse_request_start(value: str) -> datetime | None:
    """'t=1618492499.123' (nginx's ${msec}), '1618492499123' (ms) or microseconds."""
    text = value.strip().removeprefix("t=")
    try:
        number = float(text)
    except ValueError:
        return None
    if number > 1e14:
        number /= 1e6
    elif number > 1e11:
        number /= 1e3
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def arrived_at() -> datetime:
    """When this request arrived (now, outside a request)."""
    if has_request_context():
        stamp = request.environ.get(ARRIVED)
        if isinstance(stamp, datetime):
            return stamp
    return wall_now()


def is_conflict(error: DBAPIError) -> bool:
    """A deadlock or a serialization failure (PostgreSQL), or a busy database (SQLite)."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if code in ("40P01", "40001"):
        return True
    return "database is locked" in str(error.orig)


def retry_on_conflict(view: Callable[..., Any], rollback: Callable[[], None]) -> Callable[..., Any]:
    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            if not is_conflict(error):
                raise
            rollback()
            return view(*args, **kwargs)

    return run


def init_app(app: Flask, rollback: Callable[[], None]) -> None:
    app.wsgi_app = ArrivalStamp(  # type: ignore[method-assign]
        app.wsgi_app, trust_header=bool(app.config.get("TRUST_REQUEST_START_HEADER"))
    )
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = retry_on_conflict(view, rollback)
