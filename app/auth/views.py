"""Login, logout, the account page and the password change.

Signing out and a new password end every session of the account (app/sessions.py); failed
sign-ins and password changes are throttled (app/throttle.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm, PasswordChangeForm
from app.auth.operations import change_password, end_sessions
from app.auth.queries import authenticate_user, get_user
from app.extensions import login_manager
from app.throttle import (
    account_typed,
    failed,
    limiter,
    login_limit_per_account,
    login_limit_per_address,
    password_change_limit,
    signed_in_account,
)

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.localize_callback = str  # the lazy message, in the language of the request
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> object | None:
    """The active user of a session "<id>:<version>" still in its version; else signed out."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = get_user(int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    login_limit_per_account, key_func=account_typed, methods=["POST"], deduct_when=failed
)
@limiter.limit(login_limit_per_address, methods=["POST"], deduct_when=failed)
def login() -> Response | str:
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate_user(form.username.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("index"))
        error = _("Wrong username or password.")
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        end_sessions(current_user)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html", user=current_user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    password_change_limit, key_func=signed_in_account, methods=["POST"], deduct_when=failed
)
def password() -> Response | tuple[str, int] | str:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data or ""):
            change_password(current_user, form.password.data or "")
            login_user(current_user)  # this session goes on, in the new version
            flash(_("Your password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("auth.account"))
        form.current.errors = [_("This is not your current password.")]
    page = render_template("auth/password.html", form=form)
    return (page, 422) if form.errors else page


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/cases/3"), else None: never redirect off-site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
