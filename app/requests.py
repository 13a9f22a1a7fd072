"""The request boundary: when a request arrived, and one transaction per request.

Arrival time is a fact of the request: ``ArrivalStamp`` (outermost WSGI middleware) stamps
each request before anything else happens, or takes the moment a trusted reverse proxy put in
``X-Request-Start`` (``t=<seconds>``, or milliseconds, or microseconds since the epoch) when
``TRUST_REQUEST_START_HEADER`` is on: then the time a request waited in a queue counts too.
Deadlines judge that moment (16:14:59.999 is in time, 16:15:00.000 late), however long the
request then waits for a lock.

``boundary`` wraps every view: it commits when the view returned an answer below 400 and did
not ``refuse``; it rolls back on any exception, on a 4xx/5xx answer and on a refusal. It runs the
view once more, before the person sees an error, when the database ended the transaction in a
deadlock or a serialization failure, or when an automatic step failed: the first run's steps go
without a savepoint each, the second's with one, so that the failure opens its incident and what
the person did stands. It calls what the view left for ``after_commit`` once the
transaction is committed (messages delivered to other cases, each in its own transaction).
Views and operations never commit; a refusal the view does not handle is answered in one place
(``register_refusal_pages``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any

from flask import Flask, flash, g, has_request_context, redirect, request, session
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from workflows import wall_now
from workflows.engine import StepFailed, steps_in_one_savepoint

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


def refuse(back: str, *messages: str, category: str = "error") -> Response:
    """Undo what the request wrote, say why (flashed), and go back to ``back``."""
    g.rollback_only = True
    for message in messages:
        flash(message, category)
    return redirect(back)


def after_commit(callback: Callable[[], Any]) -> None:
    """Call ``callback`` once this request's transaction is committed (never if rolled back)."""
    g.setdefault("after_commit", []).append(callback)


def after_rollback(callback: Callable[[], Any]) -> None:
    """Call ``callback`` if this request's transaction is rolled back (a file written for rows
    that are then undone)."""
    g.setdefault("after_rollback", []).append(callback)


def _run(callbacks: list[Callable[[], Any]]) -> None:
    for callback in callbacks:
        callback()


def _status_of(answer: Any) -> int:
    if isinstance(answer, tuple) and len(answer) > 1 and isinstance(answer[1], int):
        return answer[1]
    return getattr(answer, "status_code", 200)


def boundary(
    view: Callable[..., Any], commit: Callable[[], None], rollback: Callable[[], None]
) -> Callable[..., Any]:
    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        flashes = list(session.get("_flashes", []))
        for attempt in (1, 2):
            g.rollback_only, g.after_commit, g.after_rollback = False, [], []
            try:
                # The first run's steps without a savepoint each (two statements a service task)
                with steps_in_one_savepoint() if attempt == 1 else nullcontext():
                    answer = view(*args, **kwargs)
                if _status_of(answer) < 400 and not g.rollback_only:
                    commit()
                    then = g.after_commit
                else:
                    rollback()
                    then = g.after_rollback
            except (DBAPIError, StepFailed) as error:
                rollback()
                _run(g.after_rollback)
                again = isinstance(error, StepFailed) or is_conflict(error)
                if attempt == 1 and again:
                    session["_flashes"] = list(flashes)  # the second run says it again
                    continue
                raise
            except BaseException:
                rollback()
                _run(g.after_rollback)
                raise
            _run(then)
            return answer
        raise AssertionError("unreachable")

    return run


def init_app(app: Flask, commit: Callable[[], None], rollback: Callable[[], None]) -> None:
    app.wsgi_app = ArrivalStamp(  # type: ignore[method-assign]
        app.wsgi_app, trust_header=bool(app.config.get("TRUST_REQUEST_START_HEADER"))
    )
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = boundary(view, commit, rollback)
