"""Notices in the language of the page.

A notice is stored once per person as the English text the app wrote when it was created
("New task: <task> – <case>"). The parts the app writes are said again in the page language;
the names that come from the process files and the case stay as they are.
"""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

SEPARATOR = " – "
NEW_TASK = "New task: "
# The texts of app.notifications.operations.MESSAGE_NOTICES.
MESSAGE_HEADS = {
    "The webinar invitation arrived": _l("The webinar invitation arrived"),
    "The funding decision arrived": _l("The funding decision arrived"),
}
_OTHER_MESSAGE = re.compile(r"Message “(?P<name>.+)” received")
_UNTITLED = re.compile(r"Untitled application \((?P<key>case-\d+)\)")


def _head(text: str) -> str:
    if text.startswith(NEW_TASK):
        return gettext("New task: %(task)s", task=text.removeprefix(NEW_TASK))
    if text in MESSAGE_HEADS:
        return str(MESSAGE_HEADS[text])
    other = _OTHER_MESSAGE.fullmatch(text)
    if other is not None:
        return gettext("Message “%(name)s” received", name=other["name"])
    return text


def _where(text: str) -> str:
    untitled = _UNTITLED.fullmatch(text)
    if untitled is not None:
        return gettext("Untitled application (%(key)s)", key=untitled["key"])
    return text


def notice_text(text: str) -> str:
    """'New task: Screen the idea proposal – Lakeland' as 'Uusi tehtävä: Screen ... – Lakeland'."""
    head, separator, where = text.partition(SEPARATOR)
    return _head(head) + separator + _where(where)
