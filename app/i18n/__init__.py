"""The interface language: Finnish, Swedish or English (Flask-Babel).

The language of the pages is, in order: the one the person chose with the language switch
(kept in their session), the best match of their browser's Accept-Language, and
`DEFAULT_LANGUAGE`. Emails and letters follow the language stored on the person and the case,
not this. The catalogs are `app/translations/<lang>/LC_MESSAGES/messages.po`; `make` compiles
them into `.mo` files (git ignores those).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale

from app.i18n import labels, process_texts

if TYPE_CHECKING:
    from app.calls.models import Call

babel = Babel()

# Each language named in itself, as a language switch should.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command or the worker: nobody's page
        return str(current_app.config["DEFAULT_LANGUAGE"])
    chosen = session.get("language")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or current_app.config["DEFAULT_LANGUAGE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])


def call_title(call: Call) -> str:
    """The call's title in the page language, as its configuration gives it."""
    return call.title_in(current_language())


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    babel.init_app(app, locale_selector=select_language)

    from app.i18n.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        call_title=call_title,
        role_names=labels.role_names,
        language_name=labels.language_name,
        for_group=labels.for_group,
    )
    app.jinja_env.filters.update(
        object_name=labels.object_name,
        document_name=labels.document_name,
        phase_name=labels.phase_name,
        process_text=process_texts.translate,
        timeline_text=labels.timeline_text,
        call_status=labels.call_status,
        deciding_body=labels.deciding_body,
        org_type=labels.org_type,
        localized=labels.localized,
        as_moment=labels.as_moment,
        date_fi=labels.date_fi,
    )
