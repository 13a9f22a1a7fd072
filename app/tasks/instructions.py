"""Task instructions from the process file: Jinja over the task data, then Markdown.

SpiffArena's convention: ``instructionsForEndUser`` is a Jinja template rendered with the
task's data, written in Markdown. ``{{ idea_deadline | helsinki }}`` shows an ISO time in
Helsinki time with its offset. The template runs in Jinja's sandbox and the resulting
HTML is cleaned to a safelist of tags, so neither a process file nor form data can inject
script into the page.

The text is translated first, as a whole: a catalog of the process version maps the English
instructions (without leading and trailing whitespace) to the page language's, placeholders
and Markdown included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown
import nh3
from flask_babel import gettext as _
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from app.timefmt import format_euros, format_helsinki

_ENVIRONMENT = SandboxedEnvironment(autoescape=False)
_ENVIRONMENT.filters["helsinki"] = format_helsinki
_ENVIRONMENT.filters["euros"] = format_euros
_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "a", "code", "blockquote"}
_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}


def render_instructions(
    text: str, data: dict[str, Any], texts: Mapping[str, str] | None = None
) -> Markup:
    text = (texts or {}).get(text.strip(), text)
    try:
        rendered = _ENVIRONMENT.from_string(text).render(**data)
    except TemplateError as err:
        failed = _("(The instructions could not be filled in: %(error)s)", error=err)
        rendered = f"{text}\n\n{failed}"
    html = markdown.markdown(rendered, extensions=["tables"])
    return Markup(nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}))
