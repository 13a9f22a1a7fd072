"""Input refused at the door, before any view or the database sees it.

- Control characters: PostgreSQL refuses a NUL in text (an error, so a 500, after the view did
  its work), and no person types one. A field, a query parameter or the address holding a C0 or
  C1 control character other than tab, line feed and carriage return is answered 400 with a
  page naming the field.
- JSON bodies nested deeper than ``workflows.json_limits.MAX_DEPTH`` are answered 400 naming
  the limit (json would raise RecursionError, a 500).
- Integers in addresses fit the database: ``<int:...>`` stops at 2**31 - 1, so
  ``/cases/99999999999999999999`` is a 404 and not an overflow in the database driver.
- A value the database still refuses (too long, out of range) is a 422 page, not a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from workflows.json_limits import MAX_DEPTH, JsonTooDeep, load_json

# C0 controls but tab, LF and CR; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The largest value of an INTEGER column in PostgreSQL (the ids): past it, no row exists.
MAX_ID = 2**31 - 1


def has_control_character(text: str) -> bool:
    return _CONTROL.search(text) is not None


def strip_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


class BoundedIntegerConverter(IntegerConverter):
    """werkzeug's ``int`` that matches only what a database integer column can hold."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_control_characters() -> None:
    """400 when the address, a query parameter or a form field holds a control character."""
    if has_control_character(request.path):
        abort(400, description=_("The address contained a character that is not allowed."))
    for where in (request.args, request.form):
        for name, value in where.items(multi=True):
            if has_control_character(name) or has_control_character(value):
                shown = strip_control_characters(name)[:80]
                abort(
                    400,
                    description=_(
                        "The field “%(field)s” contained a character that is not allowed (a "
                        "control character, such as NUL). Remove it and send again.",
                        field=shown,
                    ),
                )


def refuse_deep_json() -> None:
    """400 naming the limit when a JSON body nests deeper than MAX_DEPTH."""
    if not request.is_json:
        return
    try:
        load_json(request.get_data(cache=True, as_text=True))
    except JsonTooDeep:
        abort(
            400,
            description=_(
                "The JSON sent is nested deeper than the limit of %(limit)d levels.",
                limit=MAX_DEPTH,
            ),
        )
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # the view says what is wrong with it


def value_out_of_range(error: DataError) -> tuple[str, int]:
    """The safety net behind the field checks: a value the database refused (too long for its
    column, a number out of range) is a 422 that says so, not a 500. The boundary has already
    rolled the request back."""
    message = _("A value sent is too long or too large to be stored. Nothing was saved.")
    return render_template("errors/400.html", message=message), 422


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their rules bind the ``int`` converter."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_control_characters)
    app.before_request(refuse_deep_json)
    app.register_error_handler(DataError, value_out_of_range)
