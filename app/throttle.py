"""Throttling of guessing: sign-in, password change, sign-up and invitation acceptance.

Flask-Limiter counts in ``RATELIMIT_STORAGE_URI`` (memory by default; a shared store such as
Redis when several processes serve). Sign-in counts failures only, per account (the username
typed) and per client address: after ``LOGIN_LIMIT_PER_ACCOUNT`` failures even the right
password is refused until the window ends, so guessing gains nothing. Sign-ups and invitation
acceptances count every attempt per address; password changes count failures per account.
A throttled request gets a 429 page saying when to try again, in the page language.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from app.timefmt import format_helsinki

limiter = Limiter(key_func=get_remote_address)


def _setting(name: str) -> str:
    return str(current_app.config[name])


def login_limit_per_account() -> str:
    return _setting("LOGIN_LIMIT_PER_ACCOUNT")


def login_limit_per_address() -> str:
    return _setting("LOGIN_LIMIT_PER_ADDRESS")


def signup_limit() -> str:
    return _setting("SIGNUP_LIMIT_PER_ADDRESS")


def password_change_limit() -> str:
    return _setting("PASSWORD_CHANGE_LIMIT")


def account_typed() -> str:
    """The account a sign-in tries (as typed, folded), whether or not it exists."""
    return "account:" + (request.form.get("username") or "").strip().casefold()[:100]


def signed_in_account() -> str:
    """The signed-in person, however many sessions they have."""
    return f"user:{getattr(current_user, 'id', '')}"


def failed(response: Response) -> bool:
    """A sign-in or password change that did not go through: the form is shown again."""
    return response.status_code != 302


def retry_at() -> datetime | None:
    """When the limit this request broke lets requests through again."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return datetime.fromtimestamp(limit.reset_at, tz=timezone.utc)


def init_app(app: Flask) -> None:
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
        until = retry_at()
        page = render_template("errors/429.html", until=until and format_helsinki(until))
        headers = {}
        if until is not None:
            seconds = max(1, int((until - datetime.now(timezone.utc)).total_seconds()))
            headers["Retry-After"] = str(seconds)
        return page, 429, headers
