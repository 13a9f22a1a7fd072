"""The names of fixed values the pages show (roles, application objects, document kinds,
languages), in the language of the page. The names are lazy: looked up when a page shows them."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

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


def object_name(value: str | None) -> str:
    return str(APPLICATION_OBJECT_NAMES.get(value, _readable(value))) if value else "–"


def document_name(kind: str) -> str:
    return str(DOCUMENT_KIND_NAMES.get(kind, _readable(kind)))


def language_name(code: str) -> str:
    return str(LANGUAGE_TITLES.get(code, code))


def phase_name(phase: str) -> str:
    """A case's phase in the page language: the phase is stored as the engine names it (task and
    event names of the process files), with "Waiting for: ..." or "In progress" around them."""
    if phase.startswith(WAITING_FOR):
        return gettext("Waiting for: %(names)s", names=phase.removeprefix(WAITING_FOR))
    if phase == "In progress":
        return gettext("In progress")
    return phase


def for_group(group: str | None, lane: str | None) -> str:
    """Whom a task waits for when nobody holds it: its group, or else its lane."""
    if group in FOR_GROUP:
        return str(FOR_GROUP[group])
    return str(gettext("for a %(group)s", group=(lane or group or "").lower()))
