"""The engine layer's refusals in the page language.

`workflows/` speaks English to its callers (NotAllowed, InstanceChanged ...). The views show
those messages to people, so the known ones are matched here and said in the page language;
a message not listed is shown as the engine wrote it.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

_REFUSALS = [
    (
        re.compile(r"(?P<name>.+) is working on this task: only they can complete it\."),
        _l("%(name)s is working on this task: only they can complete it."),
    ),
    (
        re.compile(r"(?P<name>.+) claimed this task a moment ago\."),
        _l("%(name)s claimed this task a moment ago."),
    ),
    (
        re.compile(r"Only (?P<name>.+), who claimed this task, or an admin can release it\."),
        _l("Only %(name)s, who claimed this task, or an admin can release it."),
    ),
    (
        re.compile(r"This task is assigned by the process: it cannot be given back\."),
        _l("This task is assigned by the process: it cannot be given back."),
    ),
    (re.compile(r"You may not work on this task\."), _l("You may not work on this task.")),
    (
        re.compile(r"Only the people of the applicant organisation may work on this task\."),
        _l("Only the people of the applicant organisation may work on this task."),
    ),
    (re.compile(r"You may not act on this task\."), _l("You may not act on this task.")),
    (
        re.compile(r"The case was changed by someone else at the same time; nothing was saved\."),
        _l("The case was changed by someone else at the same time; nothing was saved."),
    ),
    (re.compile(r"The incident is no longer open\."), _l("The incident is no longer open.")),
    (re.compile(r"The email is not in doubt\."), _l("The email is not in doubt.")),
    (
        re.compile(r"Only the person the process gave this task to can pass it on\."),
        _l("Only the person the process gave this task to can pass it on."),
    ),
    (
        re.compile(r"This task is not assigned to one person by the process\."),
        _l("This task is not assigned to one person by the process."),
    ),
    (
        re.compile(r"Only an evaluation can be passed on for a conflict of interest\."),
        _l("Only an evaluation can be passed on for a conflict of interest."),
    ),
    (
        re.compile(
            r"No other evaluator of the call is free to take this evaluation: ask the "
            r"specialist to add a reserve evaluator to the call\."
        ),
        _l(
            "No other evaluator of the call is free to take this evaluation: ask the "
            "specialist to add a reserve evaluator to the call."
        ),
    ),
]


def translate_refusal(message: str) -> str:
    for pattern, text in _REFUSALS:
        match = pattern.fullmatch(message)
        if match is not None:
            return str(text) % match.groupdict()
    return message
