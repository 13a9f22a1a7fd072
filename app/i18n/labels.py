"""The names of fixed values the pages show (roles, application objects, document kinds,
languages), in the language of the page. The names are lazy: looked up when a page shows them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.i18n.process_texts import Source, translate, translate_names
from app.tasks.screening import NOT_AKKE, NOT_ELIGIBLE, SUMMARY_PREFIX

if TYPE_CHECKING:
    from app.calls.models import Call

ROLE_NAMES = {
    "applicant": _l("applicant"),
    "specialist": _l("specialist"),
    "decision_maker": _l("decision maker"),
    "process_owner": _l("process owner"),
    "admin": _l("admin"),
}
# Whom a task of a group waits for, on the case page: "Screen the idea proposal – for a specialist".
FOR_GROUP = {
    "specialist": _l("for a specialist"),
    "decision_maker": _l("for a decision maker"),
    "process_owner": _l("for a process owner"),
    "admin": _l("for an admin"),
}
APPLICATION_OBJECT_NAMES = {
    "theme_network": _l("Theme network"),
    "growth_zone": _l("Growth zone"),
}
DOCUMENT_KIND_NAMES = {
    "idea_proposal": _l("Idea proposal"),
    "application": _l("Application"),
    "supplement": _l("Supplement"),
    "webinar_invitation": _l("Webinar invitation"),
    "decision": _l("Decision"),
}
# The language of a person's cases (their emails and letters), named in itself and in the page's.
WAITING_FOR = "Waiting for: "  # app.cases.operations.phase_of stores the phase in English

# The timeline entries that name a task, as workflows writes them (in English).
_COMPLETED = re.compile(r"Completed “(?P<task>.+)”")
_CLAIMED = re.compile(r"Claimed “(?P<task>.+)”")
_RELEASED = re.compile(r"Released “(?P<task>.+)” claimed by (?P<name>.+)")
# An invitation that overrode the eligibility rules (app.tasks.screening), with its reason.
_OVERRIDDEN = re.compile(re.escape(SUMMARY_PREFIX) + r"(?P<grounds>.+?): (?P<reason>.*)", re.S)
OVERRIDE_TEXTS = {
    NOT_ELIGIBLE: _l("Invited to apply although not eligible: %(reason)s"),
    NOT_AKKE: _l("Invited to apply although not compatible with AKKE: %(reason)s"),
    f"{NOT_ELIGIBLE} and {NOT_AKKE}": _l(
        "Invited to apply although not eligible and not compatible with AKKE: %(reason)s"
    ),
}

CALL_STATUS_NAMES = {
    "draft": _l("draft"),
    "published": _l("published"),
    "closed": _l("closed"),
    "decided": _l("decided"),
    "archived": _l("archived"),
}
DECIDING_BODY_NAMES = {
    "ministry": _l("The ministry"),
    "government_plenary": _l("The Government plenary session"),
}

LANGUAGE_TITLES = {
    "fi": _l("Suomi (Finnish)"),
    "sv": _l("Svenska (Swedish)"),
    "en": _l("English"),
}


def _readable(value: str) -> str:
    return value.replace("_", " ").capitalize()


def role_names(roles: Iterable[str]) -> str:
    """'decision maker, specialist': the roles in a fixed order (by their key)."""
    return ", ".join(str(ROLE_NAMES.get(role, role.replace("_", " "))) for role in sorted(roles))


def object_name(value: str | None, call: Call | None = None) -> str:
    """An application object's name: as the call names it, else a known one, else its key."""
    if not value:
        return "–"
    if call is not None:
        from app.i18n import current_language

        title = call.object_title(value, current_language())
        if title:
            return title
    return str(APPLICATION_OBJECT_NAMES.get(value, _readable(value)))


def document_name(kind: str) -> str:
    return str(DOCUMENT_KIND_NAMES.get(kind, _readable(kind)))


def language_name(code: str) -> str:
    return str(LANGUAGE_TITLES.get(code, code))


def phase_name(phase: str, source: Source = None) -> str:
    """A case's phase in the page language: the phase is stored as the engine names it (task and
    event names of the process files of `source`, the case's instance), with "Waiting for: ..."
    or "In progress" around them."""
    if phase.startswith(WAITING_FOR):
        names = translate_names(phase.removeprefix(WAITING_FOR), source)
        return gettext("Waiting for: %(names)s", names=names)
    if phase == "In progress":
        return gettext("In progress")
    return translate_names(phase, source)


def for_group(group: str | None, lane: str | None) -> str:
    """Whom a task waits for when nobody holds it: its group, or else its lane."""
    if group in FOR_GROUP:
        return str(FOR_GROUP[group])
    return str(gettext("for a %(group)s", group=(lane or group or "").lower()))


def timeline_text(summary: str, source: Source = None) -> str:
    """A timeline entry in the page language when it names a task of `source`'s process files
    ("Completed “Screen the idea proposal”"); other entries as the engine wrote them."""
    if completed := _COMPLETED.fullmatch(summary):
        return gettext("Completed “%(task)s”", task=translate(completed["task"], source))
    if claimed := _CLAIMED.fullmatch(summary):
        return gettext("Claimed “%(task)s”", task=translate(claimed["task"], source))
    if released := _RELEASED.fullmatch(summary):
        task = translate(released["task"], source)
        return gettext("Released “%(task)s” claimed by %(name)s", task=task, name=released["name"])
    overridden = _OVERRIDDEN.fullmatch(summary)
    if overridden and overridden["grounds"] in OVERRIDE_TEXTS:
        return str(OVERRIDE_TEXTS[overridden["grounds"]]) % {"reason": overridden["reason"]}
    return summary


def call_status(status: str) -> str:
    return str(CALL_STATUS_NAMES.get(status, status))


def deciding_body(key: str) -> str:
    return str(DECIDING_BODY_NAMES.get(key, key))


def org_type(key: str) -> str:
    from app.organisations.forms import ORG_TYPE_TITLES

    return str(ORG_TYPE_TITLES.get(key, _readable(key)))


def localized(texts: object) -> str:
    """A {language: text} setting in the page language (or another it has)."""
    from app.calls.models import in_language
    from app.i18n import current_language

    return in_language(texts, current_language())


def as_moment(value: str | datetime) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def date_fi(value: str | date | None) -> str:
    """'2021-06-30' -> '30.6.2021', as Finnish and Swedish texts write a date."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}.{day.month}.{day.year}"
