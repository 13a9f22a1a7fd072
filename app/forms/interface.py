"""Forms of the application itself (the call editor, the process model form), written as JSON
Schema and drawn by the same renderer as the process forms. Their texts are English, marked with
``N_`` for `make messages`, and shown in the page language through ``InterfaceTexts``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from markupsafe import Markup

from app.forms.render import ADD_ROW_ACTION, render_error_summary, render_form
from app.forms.schema import Schema


def N_(text: str) -> str:
    """Marks a text of a schema for extraction; InterfaceTexts translates it on the page."""
    return text


class InterfaceTexts(Mapping[str, str]):
    """The English texts of an application form in the page language (the interface catalogs)."""

    def __getitem__(self, text: str) -> str:
        return str(gettext(text))

    def get(self, text: str, default: Any = None) -> Any:
        return str(gettext(text)) if text else default

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def adds_a_row(action: str | None) -> bool:
    """The form was posted by its "Add another row" button: show it again, save nothing."""
    return bool(action) and str(action).startswith(ADD_ROW_ACTION)


@dataclass(frozen=True)
class RenderedForm:
    fields: Markup
    error_summary: Markup


def render_interface_form(
    schema: Schema, ui: Schema, data: dict[str, Any], errors: dict[str, str]
) -> RenderedForm:
    texts = InterfaceTexts()
    return RenderedForm(
        fields=render_form(schema, ui, data, errors, texts, rows_save=False),
        error_summary=render_error_summary(schema, errors, texts),
    )
