"""The language switch in the page header."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth.views import safe_next_url

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def choose() -> Response:
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(
            400,
            description=_(
                "There is no language “%(language)s” here: choose Suomi, Svenska or English.",
                language=language[:20],
            ),
        )
    session["language"] = language
    return redirect(safe_next_url(request.form.get("next")) or url_for("index"))
