"""Login, logout and the account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm
from app.auth.queries import authenticate_user, get_user
from app.extensions import login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.localize_callback = str  # the lazy message, in the language of the request
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> object | None:
    user = get_user(int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


@bp.route("/login", methods=["GET", "POST"])
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
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html", user=current_user)


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/cases/3"), else None: never redirect off-site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
