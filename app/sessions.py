"""Sign-ins that end: when the person signs out or changes the password, after a time without
requests, and after a longest lifetime.

The session is a signed cookie, so a copy of it stays valid wherever it was saved. What makes
it end is the account's ``session_version``: Flask-Login keeps ``"<id>:<version>"`` in the
session (``User.get_id``), the user loader refuses any other version, and signing out or
changing the password bumps the version (app/auth/operations.py). Every session of the account
saved before then, on any device, is signed out.

Cookies are Secure when the app is served over HTTPS (``HTTPS``, on by default) unless
``SESSION_COOKIE_SECURE``/``REMEMBER_COOKIE_SECURE`` say otherwise.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import logout_user, user_logged_in

SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"
# The time of the last request is written at most this often (it costs a new cookie).
_SEEN_RESOLUTION = 60
_STATIC = ("static", "vendor.asset")


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)


def start_session(sender: Flask, **_extra: Any) -> None:
    """A new sign-in: a permanent session (PERMANENT_SESSION_LIFETIME) with its clocks set."""
    now = int(time.time())
    session.permanent = True
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def end_stale_session() -> None:
    """Sign out a session idle longer than SESSION_IDLE_TIMEOUT or older than its lifetime."""
    if "_user_id" not in session or request.endpoint in _STATIC:
        return
    now = int(time.time())
    config = current_app.config
    idle = _seconds(config.get("SESSION_IDLE_TIMEOUT"))
    lifetime = _seconds(config.get("PERMANENT_SESSION_LIFETIME"))
    seen, since = session.get(SEEN_AT), session.get(SIGNED_IN_AT)
    too_idle = idle and (not isinstance(seen, int) or now - seen > idle)
    too_old = lifetime and (not isinstance(since, int) or now - since > lifetime)
    if too_idle or too_old:
        logout_user()
        session.pop(SEEN_AT, None)
        session.pop(SIGNED_IN_AT, None)
        flash(_("Your session ended. Please sign in again."), "info")
    elif not isinstance(seen, int) or now - seen >= _SEEN_RESOLUTION:
        session[SEEN_AT] = now


def init_app(app: Flask) -> None:
    https = bool(app.config.get("HTTPS"))
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(name) is None:
            app.config[name] = https
    user_logged_in.connect(start_session, app)
    app.before_request(end_stale_session)
