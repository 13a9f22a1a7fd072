"""A call's settings as a JSON Schema: the browser's call editor and the JSON import check the
same thing, and app/forms renders and parses the editor like any process form.

The schema's texts are English, marked with ``N_`` so that `make messages` extracts them
(app/forms/interface.py translates them on the page). Times are entered as a Helsinki date and time
and stored in UTC (the ``helsinki-datetime`` widget). What JSON Schema cannot say (phases in
order, reserves within the budget, a deadline in the past, what the process model needs) is
checked by app/calls/checks.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import permutations

from app.auth.models import ORG_TYPES
from app.calls.models import CASE_NUMBER_FORMAT, DOCUMENT_NUMBER_FORMAT
from app.forms.interface import N_
from app.forms.schema import HELSINKI_DATETIME, Schema

KEY_PATTERN = "^[a-z0-9][a-z0-9-]{2,99}$"
ITEM_KEY_PATTERN = "^[a-z][a-z0-9_]{0,49}$"
CURRENT_VERSION = "current"
DECIDING_BODIES = {
    "ministry": N_("The ministry"),
    "government_plenary": N_("The Government plenary session"),
}
ORG_TYPE_NAMES = {
    "municipality": N_("Municipality"),
    "joint_municipal_authority": N_("Joint municipal authority"),
    "development_organisation": N_("Development organisation"),
    "educational_institution": N_("Educational institution"),
    "organisation": N_("Organisation"),
    "leader_group": N_("LEADER group"),
}
# Settings a published call may still change: texts and contacts, never money or times.
CHANGEABLE_WHEN_PUBLISHED = (
    "title",
    "summary",
    "authority",
    "registry_office",
    "contacts",
    "notes",
)
CHANGEABLE_WEBINAR_FIELDS = ("title", "location", "link")


def _each_once(*placeholders: str) -> str:
    """A pattern (RE2 has no lookahead: every order spelled out) of a format that has each
    placeholder once, and around them any characters but spaces and braces."""
    text = r"[^{}\s]*"
    orders = (
        text + text.join(r"\{" + name + r"\}" for name in order) + text
        for order in permutations(placeholders)
    )
    return "^(?:" + "|".join(orders) + ")$"


# A case number needs its running number, and the prefix and year it runs in, to be unique;
# a document number needs its case's number and its own.
CASE_FORMAT_PATTERN = _each_once("prefix", "number", "year")
DOCUMENT_FORMAT_PATTERN = _each_once("case", "document")


@dataclass(frozen=True)
class CallChoices:
    """The values the editor offers: (value, title) pairs."""

    models: Sequence[tuple[str, str]] = ()
    versions: Sequence[tuple[str, str]] = ()
    evaluators: Sequence[tuple[str, str]] = ()
    objects: Sequence[tuple[str, str]] = ()
    locked: frozenset[str] = field(default_factory=frozenset)  # read-only settings


def _texts(title: str, *, required: Sequence[str] = (), max_length: int = 300) -> Schema:
    """A text in Finnish, Swedish and English."""
    return {
        "type": "object",
        "title": title,
        "required": list(required),
        "properties": {
            "fi": {"type": "string", "title": N_("In Finnish"), "maxLength": max_length},
            "sv": {"type": "string", "title": N_("In Swedish"), "maxLength": max_length},
            "en": {"type": "string", "title": N_("In English"), "maxLength": max_length},
        },
    }


def _moment(title: str, description: str | None = None) -> Schema:
    node: Schema = {
        "type": "string",
        "format": "date-time",
        "title": title,
        "errorMessage": N_("Give a date and a time that exist in Helsinki time."),
    }
    if description:
        node["description"] = description
    return node


def _choice(options: Sequence[tuple[str, str]]) -> list[Schema]:
    return [{"const": value, "title": title} for value, title in options] or [
        {"const": "", "title": "–"}
    ]


def call_schema(choices: CallChoices) -> Schema:
    """The settings of a call, with the process model it runs and its clock."""
    return {
        "type": "object",
        "required": ["key", "title", "process_model", "process_version", "registry_prefix"],
        "properties": {
            "key": {
                "type": "string",
                "title": N_("Key of the call"),
                "description": N_(
                    "The call's name in web addresses: lower-case letters, digits and dashes, "
                    "e.g. regional-networks-2022."
                ),
                "pattern": KEY_PATTERN,
                "errorMessage": N_(
                    "Use 3 to 100 lower-case letters, digits and dashes, starting with a "
                    "letter or a digit."
                ),
            },
            "title": _texts(N_("Title"), required=("fi", "sv")),
            "summary": _texts(N_("Summary"), max_length=5000),
            "authority": _texts(N_("Authority"), max_length=200),
            "registry_office": _texts(
                N_("Registry office: where requests for reconsideration are sent"),
                max_length=300,
            ),
            "process_model": {
                "type": "string",
                "title": N_("Process model"),
                "anyOf": _choice(choices.models),
            },
            "process_version": {
                "type": "string",
                "title": N_("Process version for new cases"),
                "description": N_(
                    "The current version follows every deploy; a chosen version stays until "
                    "you change it."
                ),
                "anyOf": _choice(choices.versions),
            },
            "rehearsal_clock_start": _moment(
                N_("Rehearsal clock starts at"),
                N_(
                    "Leave empty for a call on real time. A rehearsal call runs on a clock of "
                    "its own, from this moment on, which process owners can move forward."
                ),
            ),
            "budget_total": {
                "type": "integer",
                "title": N_("Budget (EUR)"),
                "minimum": 0,
                "maximum": 100_000_000_000,
            },
            "reserves": {
                "type": "array",
                "title": N_("Reserved shares of the budget"),
                "description": N_(
                    "A share only the applications of the chosen objects may claim, e.g. the "
                    "separate appropriation for theme networks of regional cities."
                ),
                "items": {
                    "type": "object",
                    "title": N_("Reserved share"),
                    "required": ["key", "amount"],
                    "properties": {
                        "key": _item_key(),
                        "title": _texts(N_("Name")),
                        "amount": {
                            "type": "integer",
                            "title": N_("Amount (EUR)"),
                            "minimum": 0,
                            "maximum": 100_000_000_000,
                        },
                        "application_objects": {
                            "type": "array",
                            "title": N_("Who may claim it"),
                            "uniqueItems": True,
                            "items": {"type": "string", "anyOf": _choice(choices.objects)},
                        },
                    },
                },
            },
            "funding_period": {
                "type": "object",
                "title": N_("Funding period"),
                "properties": {
                    "start": {"type": "string", "format": "date", "title": N_("From")},
                    "end": {"type": "string", "format": "date", "title": N_("Until")},
                },
            },
            "phases": {
                "type": "array",
                "title": N_("Phases and their deadlines"),
                "description": N_(
                    "In order: each deadline after the one before. New applications can be "
                    "started until the first deadline."
                ),
                "items": {
                    "type": "object",
                    "title": N_("Phase"),
                    "required": ["key", "deadline"],
                    "properties": {
                        "key": _item_key(N_("Key (e.g. idea or application)")),
                        "title": _texts(N_("Name")),
                        "deadline": _moment(N_("Deadline")),
                    },
                },
            },
            "webinar": {
                "type": "object",
                "title": N_("Webinar"),
                "description": N_("Leave empty if the call has no webinar."),
                "properties": {
                    "title": _texts(N_("Title")),
                    "starts_at": _moment(N_("Starts")),
                    "ends_at": _moment(N_("Ends")),
                    "location": _texts(N_("Place"), max_length=300),
                    "link": {
                        "type": "string",
                        "format": "uri",
                        "title": N_("Link to join"),
                        "maxLength": 500,
                    },
                },
            },
            "eligible_applicant_types": {
                "type": "array",
                "title": N_("Eligible applicants"),
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "anyOf": _choice([(key, ORG_TYPE_NAMES[key]) for key in ORG_TYPES]),
                },
            },
            "application_objects": {
                "type": "array",
                "title": N_("Application objects"),
                "items": {
                    "type": "object",
                    "title": N_("Application object"),
                    "required": ["key"],
                    "properties": {
                        "key": _item_key(N_("Key (e.g. theme_network)")),
                        "title": _texts(N_("Name")),
                        "min_municipalities": {
                            "type": "integer",
                            "title": N_("At least this many municipalities"),
                            "minimum": 0,
                            "maximum": 1000,
                        },
                        "min_regions": {
                            "type": "integer",
                            "title": N_("In at least this many regions"),
                            "minimum": 0,
                            "maximum": 100,
                        },
                    },
                },
            },
            "evaluation_scale": {
                "type": "object",
                "title": N_("Evaluation scale"),
                "properties": {
                    "minimum": {
                        "type": "integer",
                        "title": N_("Lowest score"),
                        "minimum": 0,
                        "maximum": 100,
                    },
                    "maximum": {
                        "type": "integer",
                        "title": N_("Highest score"),
                        "minimum": 1,
                        "maximum": 100,
                    },
                },
            },
            "evaluation_criteria": {
                "type": "array",
                "title": N_("Evaluation criteria"),
                "items": {
                    "type": "object",
                    "title": N_("Criterion"),
                    "required": ["key"],
                    "properties": {
                        "key": _item_key(),
                        "title": _texts(N_("Name")),
                        "weight": {
                            "type": "number",
                            "title": N_("Weight"),
                            "exclusiveMinimum": 0,
                            "maximum": 100,
                        },
                    },
                },
            },
            "evaluators": {
                "type": "array",
                "title": N_("Evaluators"),
                "description": N_("Each evaluates every application independently."),
                "uniqueItems": True,
                "items": {"type": "string", "anyOf": _choice(choices.evaluators)},
            },
            "reserve_evaluators": {
                "type": "array",
                "title": N_("Reserve evaluators"),
                "description": N_(
                    "When an evaluator declares a conflict of interest with an application, "
                    "the evaluation goes to an evaluator of the call who has none yet of that "
                    "application, else to one of these."
                ),
                "uniqueItems": True,
                "items": {"type": "string", "anyOf": _choice(choices.evaluators)},
            },
            "contacts": {
                "type": "array",
                "title": N_("Contact persons"),
                "items": {
                    "type": "object",
                    "title": N_("Contact person"),
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "title": N_("Name"), "maxLength": 200},
                        "title": _texts(N_("Title (e.g. special adviser)"), max_length=200),
                        "phone": {
                            "type": "string",
                            "title": N_("Phone"),
                            "maxLength": 50,
                            "pattern": r"^\+?[0-9 ()-]{5,}$",
                            "errorMessage": N_("Give a phone number, e.g. 029 504 7282."),
                        },
                        "email": {
                            "type": "string",
                            "format": "email",
                            "title": N_("Email"),
                            "maxLength": 254,
                        },
                    },
                },
            },
            "deciding_body": {
                "type": "string",
                "title": N_("Who decides"),
                "anyOf": _choice(list(DECIDING_BODIES.items())),
            },
            "decision_target": {
                "type": "string",
                "format": "date",
                "title": N_("Target date of the decision"),
            },
            "reporting_deadline": {
                "type": "string",
                "format": "date",
                "title": N_("Final report due"),
            },
            "registry_prefix": {
                "type": "string",
                "title": N_("Registry prefix"),
                "description": N_(
                    "The case numbers of the call hold the prefix, a running number and the "
                    "year, e.g. VN/12/2021. Calls with the same prefix share one running "
                    "number per year."
                ),
                "pattern": "^[A-Z0-9][A-Z0-9/-]{0,29}$",
                "errorMessage": N_("Use capital letters, digits, dashes and slashes, e.g. VN."),
            },
            "registry_format": {
                "type": "object",
                "title": N_("Form of the registry numbers"),
                "description": N_(
                    "A case is filed under one number when its first document arrives; each "
                    "document of the case, received or sent, is numbered inside it."
                ),
                "properties": {
                    "case": {
                        "type": "string",
                        "title": N_("Case number"),
                        "description": N_(
                            "{prefix} is the registry prefix, {number} the running number of "
                            "the prefix in the year and {year} the year, each once, e.g. "
                            "{prefix}/{number}/{year} for VN/12/2021."
                        ),
                        "default": CASE_NUMBER_FORMAT,
                        "maxLength": 40,
                        "pattern": CASE_FORMAT_PATTERN,
                        "errorMessage": N_(
                            "Write {prefix}, {number} and {year} once each, with any "
                            "characters but spaces and braces around them, e.g. "
                            "{prefix}/{number}/{year}."
                        ),
                    },
                    "document": {
                        "type": "string",
                        "title": N_("Document number"),
                        "description": N_(
                            "{case} is the case number and {document} the document's number in "
                            "the case, each once, e.g. {case}-{document} for VN/12/2021-1."
                        ),
                        "default": DOCUMENT_NUMBER_FORMAT,
                        "maxLength": 20,
                        "pattern": DOCUMENT_FORMAT_PATTERN,
                        "errorMessage": N_(
                            "Write {case} and {document} once each, with any characters but "
                            "spaces and braces around them, e.g. {case}-{document}."
                        ),
                    },
                },
            },
            "notes": {
                "type": "string",
                "title": N_("Notes for the ministry"),
                "maxLength": 5000,
            },
        },
    }


def locked_for(status: str) -> frozenset[str]:
    """The settings a call in ``status`` can no longer change: after publishing, all but its
    texts, contacts and the webinar's title, place and link."""
    if status == "draft":
        return frozenset()
    properties = call_schema(CallChoices())["properties"]
    editable = {*CHANGEABLE_WHEN_PUBLISHED, "webinar"}
    names = {name for name in properties if name not in editable}
    webinar = properties["webinar"]["properties"]
    names |= {f"webinar.{name}" for name in webinar if name not in CHANGEABLE_WEBINAR_FIELDS}
    return frozenset(names)


def _item_key(title: str = N_("Key")) -> Schema:
    return {
        "type": "string",
        "title": title,
        "pattern": ITEM_KEY_PATTERN,
        "errorMessage": N_(
            "Use lower-case letters, digits and underscores, starting with a letter."
        ),
    }


def call_ui_schema(locked: frozenset[str] = frozenset()) -> Schema:
    """The order and widgets of the editor; ``locked`` settings are shown but not editable."""
    ui: Schema = {
        "ui:order": [
            "key",
            "title",
            "summary",
            "authority",
            "registry_office",
            "process_model",
            "process_version",
            "rehearsal_clock_start",
            "phases",
            "webinar",
            "budget_total",
            "reserves",
            "funding_period",
            "eligible_applicant_types",
            "application_objects",
            "evaluation_scale",
            "evaluation_criteria",
            "evaluators",
            "reserve_evaluators",
            "contacts",
            "deciding_body",
            "decision_target",
            "reporting_deadline",
            "registry_prefix",
            "registry_format",
            "notes",
        ],
        "summary": {
            language: {"ui:widget": "textarea", "ui:options": {"rows": 4}}
            for language in ("fi", "sv", "en")
        },
        "rehearsal_clock_start": {"ui:widget": HELSINKI_DATETIME},
        "phases": {"items": {"deadline": {"ui:widget": HELSINKI_DATETIME}}},
        "webinar": {
            "starts_at": {"ui:widget": HELSINKI_DATETIME},
            "ends_at": {"ui:widget": HELSINKI_DATETIME},
        },
        "deciding_body": {"ui:widget": "radio"},
        "notes": {"ui:widget": "textarea", "ui:options": {"rows": 4}},
    }
    for name in locked:
        top, _, rest = name.partition(".")
        node = ui.setdefault(top, {})
        if rest:
            node = node.setdefault(rest, {})
        node["ui:readonly"] = True
        if name in ("phases", "reserves", "application_objects", "evaluation_criteria"):
            node["ui:options"] = {"addable": False, "removable": False}
    return ui
