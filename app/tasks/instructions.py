"""Task instructions from the process file: Jinja over the task data, then Markdown.

SpiffArena's convention: ``instructionsForEndUser`` is a Jinja template rendered with the
task's data, written in Markdown. ``{{ idea_deadline | helsinki }}`` shows an ISO time in
Helsinki time with its offset; ``{{ amount | euros }}`` an amount in euros
as the page language writes it (app/money.py);
``{{ name | markdown_text }}`` text of the data as it is written (no Markdown of its own, no
line breaks: safe in a table cell or a link's text); ``{{ case_id | application_url }}`` and
``{{ case_id | evaluations_url }}`` the addresses of a case's application and of its
evaluations, made by this site (a process file names no address);
``{{ eligibility_reason | process_text }}`` a text a step of the process wrote into the data (a
decision table's reason) in the page language, by the version's catalog. The template runs in
Jinja's sandbox and the resulting HTML is cleaned to a safelist of tags, so neither a process
file nor form data can inject script into the page.

The text is translated first, as a whole: a catalog of the process version maps the English
instructions (without leading and trailing whitespace) to the page language's, placeholders
and Markdown included.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import markdown
import nh3
from flask import url_for
from flask_babel import gettext as _
from jinja2 import Template, TemplateError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from app.i18n.labels import object_name
from app.money import format_money
from app.timefmt import format_helsinki

_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def markdown_text(value: Any) -> str:
    """``value`` as Markdown that shows it as written: its signs escaped, on one line."""
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SIGNS.sub(r"\\\1", text)


def _case_url(endpoint: str, case_id: Any) -> str:
    if isinstance(case_id, bool) or not isinstance(case_id, int):
        return ""
    return url_for(endpoint, case_id=case_id)


def application_url(case_id: Any) -> str:
    return _case_url("cases.application", case_id)


def evaluations_url(case_id: Any) -> str:
    return _case_url("tasks.evaluations", case_id)


# Where the render keeps the catalog for process_text: a name task data never has.
_CATALOG = "_process_texts"


@pass_context
def process_text(context: Context, value: Any) -> Any:
    """A text of the process files held in the data, in the page language."""
    catalog = context.get(_CATALOG) or {}
    return catalog.get(value, value) if isinstance(value, str) else value


_ENVIRONMENT = SandboxedEnvironment(autoescape=False)
_ENVIRONMENT.filters["helsinki"] = format_helsinki
_ENVIRONMENT.filters["euros"] = format_money  # in the page language
_ENVIRONMENT.filters["markdown_text"] = markdown_text
_ENVIRONMENT.filters["application_url"] = application_url
_ENVIRONMENT.filters["evaluations_url"] = evaluations_url
_ENVIRONMENT.filters["object_name"] = object_name  # an application object in the page language
_ENVIRONMENT.filters["process_text"] = process_text
_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "a", "code", "blockquote"}
_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}


def render_instructions(
    text: str, data: dict[str, Any], texts: Mapping[str, str] | None = None
) -> Markup:
    text = (texts or {}).get(text.strip(), text)
    try:
        rendered = _template(text).render({**data, _CATALOG: texts or {}})
    except TemplateError as err:
        failed = _("(The instructions could not be filled in: %(error)s)", error=err)
        rendered = f"{text}\n\n{failed}"
    html = _markdown().reset().convert(rendered)
    return Markup(nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}))


# A task page compiled its instructions' template and built a Markdown parser on every view:
# most of the time its instructions took. A process version's texts are few and never change.
@lru_cache(maxsize=512)
def _template(text: str) -> Template:
    return _ENVIRONMENT.from_string(text)


_PARSERS = threading.local()  # a Markdown parser keeps state while it converts: one per thread


def _markdown() -> markdown.Markdown:
    parser: markdown.Markdown | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = markdown.Markdown(extensions=["tables"])
    return parser
