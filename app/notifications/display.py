"""Notices in the language of the page.

A notice is stored once per person as the English text the app wrote when it was created
("New task: <task> – <case>"). The parts the app writes are said again in the page language;
the names that come from the process files (tasks, messages) are said in the page language as
the catalogs of the notice's process version give them; the case's name stays as it is.
"""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.i18n.process_texts import Source, translate

SEPARATOR = " – "
NEW_TASK = "New task: "
# The texts of app.notifications.operations.MESSAGE_NOTICES.
MESSAGE_HEADS = {
    "The webinar invitation arrived": _l("The webinar invitation arrived"),
    "The funding decision arrived": _l("The funding decision arrived"),
}
_OTHER_MESSAGE = re.compile(r"Message “(?P<name>.+)” received")
# The text of app.notifications.operations.REMINDER_NOTICE, with the documents it names.
_REMINDER = re.compile(
    r"Reminder: the (?P<document>.+) is not sent yet; the deadline is (?P<deadline>.+)"
)
REMINDED_DOCUMENTS = {"idea proposal": _l("idea proposal"), "application": _l("application")}
_UNTITLED = re.compile(r"Untitled application \((?P<key>case-\d+)\)")


def _head(text: str, source: Source) -> str:
    if text.startswith(NEW_TASK):
        return gettext("New task: %(task)s", task=translate(text.removeprefix(NEW_TASK), source))
    if text in MESSAGE_HEADS:
        return str(MESSAGE_HEADS[text])
    other = _OTHER_MESSAGE.fullmatch(text)
    if other is not None:
        return gettext("Message “%(name)s” received", name=translate(other["name"], source))
    reminder = _REMINDER.fullmatch(text)
    if reminder is not None:
        document = REMINDED_DOCUMENTS.get(reminder["document"], reminder["document"])
        return gettext(
            "Reminder: the %(document)s is not sent yet; the deadline is %(deadline)s",
            document=document,
            deadline=reminder["deadline"],
        )
    return text


def _where(text: str) -> str:
    untitled = _UNTITLED.fullmatch(text)
    if untitled is not None:
        return gettext("Untitled application (%(key)s)", key=untitled["key"])
    return text


def notice_text(text: str, source: Source = None) -> str:
    """'New task: Screen the idea proposal – Lakeland' as 'Uusi tehtävä: Seulo ... – Lakeland';
    `source` is the notice's instance (its id), whose process files name the task."""
    head, separator, where = text.partition(SEPARATOR)
    return _head(head, source) + separator + _where(where)
