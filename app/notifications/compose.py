"""The emails of a case as they go: recipients, subject and body in the case's language, and
the outbox payload. Composing writes nothing, so that a preview shows what a send queues
(app/notifications/operations.py queues exactly this)."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import in_language
from app.i18n.labels import date_fi
from app.letters.decision import decision_letter, letter_pdf
from app.money import format_money
from app.notifications.texts import BODIES, DECISION_TEXTS, DOCUMENT_KINDS, SUBJECTS
from app.timefmt import format_helsinki
from workflows.transaction import notes

if TYPE_CHECKING:
    from app.cases.models import Case

LANGUAGES = ("fi", "sv", "en")


def recipients(
    session: Session, case: Case, data: Mapping[str, Any] | None = None, *, partners: bool = False
) -> list[str]:
    """The active people of the case's organisation (for a case without one, who started it);
    with ``partners``, then the contact of every partner in the case data (the idea proposal's
    partners). Each address once, compared without regard to case."""
    remembered = notes(session).get(_PEOPLE, {}).get(case.organisation_id)
    if remembered is not None:
        users = remembered
    elif case.organisation_id is not None:
        users = people_of(session, [case.organisation_id])[case.organisation_id]
    else:
        users = list(
            session.scalars(select(User).where(User.username == case.created_by, User.is_active))
        )
    addresses = sorted(user.email for user in users if user.email)
    if partners:
        addresses += partner_contacts(data or {})
    return _each_once(addresses)


_PEOPLE = "organisation_people"


# Built once: every send of a document asks it (for the receipt's addresses).
_PEOPLE_OF = (
    select(User)
    .where(User.organisation_id.in_(bindparam("organisation_ids", expanding=True)), User.is_active)
    .order_by(User.id)
)


def people_of(session: Session, organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active people of each organisation, in one query."""
    found: dict[int, list[User]] = {organisation_id: [] for organisation_id in organisation_ids}
    for user in session.scalars(_PEOPLE_OF, {"organisation_ids": list(found)}):
        assert user.organisation_id is not None
        found[user.organisation_id].append(user)
    return found


def remember_people(session: Session, organisation_ids: Iterable[int]) -> None:
    """Read the people of many organisations at once (a batch of timers tells the people of
    many cases), for ``recipients`` to find in this transaction's notes. Only a batch that
    changes no one's account remembers them."""
    known: dict[int, list[User]] = notes(session).setdefault(_PEOPLE, {})
    missing = set(organisation_ids) - known.keys()
    if missing:
        known.update(people_of(session, missing))


def partner_contacts(data: Mapping[str, Any]) -> list[str]:
    """The email addresses of the partners' contact persons in a case's data, in form order."""
    partners = data.get("partners")
    if not isinstance(partners, list):
        return []
    found = (_address(p.get("email")) for p in partners if isinstance(p, dict))
    return [address for address in found if address]


def _address(value: Any) -> str | None:
    """An address as the form accepts it, fit for a To header; None for anything else (the
    partners of a case sent before they had contacts have none)."""
    if not isinstance(value, str) or len(value.strip()) > 254:
        return None
    value = value.strip()
    local, at, domain = value.rpartition("@")
    plain = all(not c.isspace() and c.isprintable() and c not in ",;<>" for c in value)
    return value if plain and at and local and domain else None


def _each_once(addresses: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            unique.append(address)
    return unique


def email_language(case: Case) -> str:
    return case.language if case.language in LANGUAGES else "fi"


def _period(period: dict[str, Any]) -> str:
    return f"{date_fi(period.get('start'))} – {date_fi(period.get('end'))}"


def _context(case: Case, data: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    webinar = data.get("webinar") or case.call.webinar or {}
    decision = data.get("decision") or {}
    language = email_language(case)
    context: dict[str, Any] = defaultdict(
        str,
        project_name=case.project_name or data.get("project_name", ""),
        call_title=case.call.title_in(language),
        case_number=case.case_number or "",
        webinar_title=in_language(webinar.get("title"), language),
        webinar_location=in_language(webinar.get("location"), language),
        supplement_request=data.get("supplement_request", ""),
        supplement_due=data.get("supplement_due", ""),
        feedback=data.get("feedback", ""),
        amount=format_money(decision.get("amount", 0), language),
        justification=decision.get("justification", ""),
        decision_text=DECISION_TEXTS[bool(decision.get("granted"))][language],
        period=_period(case.call.config.get("funding_period") or {}),
        reporting_deadline=date_fi(case.call.config.get("reporting_deadline")),
        decision_number=extra.get("decision_number", ""),
    )
    if webinar.get("starts_at"):
        starts = datetime.fromisoformat(webinar["starts_at"])
        context["webinar_date"] = format_helsinki(starts, "%d.%m.%Y")
        context["webinar_time"] = format_helsinki(starts)
    document = extra.get("document")
    if document is not None:
        context.update(
            registry_number=document.registry_number,
            received_at=format_helsinki(document.received_at, seconds=True),
            document_kind=DOCUMENT_KINDS.get(document.kind, {}).get(
                language, document.kind.replace("_", " ")
            ),
        )
    if extra.get("document_kind"):
        kind = extra["document_kind"]
        context["document_kind"] = DOCUMENT_KINDS.get(kind, {}).get(
            language, kind.replace("_", " ")
        )
    if extra.get("deadline"):
        context["deadline"] = format_helsinki(extra["deadline"])
    return context


def compose_email(
    session: Session,
    case: Case,
    template: str,
    extra: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    *,
    partners: bool = False,
) -> dict[str, Any]:
    """The email ``template`` to every active person of the case's organisation (with
    ``partners``, and to the partners' contacts), in the case language, as the outbox holds
    it: to, subject, body, template, case and, for the webinar, its calendar invitation;
    ``extra["attachment"]``: (filename, PDF bytes)."""
    extra = extra or {}
    language = email_language(case)
    context = _context(case, data or {}, extra)
    payload: dict[str, Any] = {
        "to": recipients(session, case, data, partners=partners),
        "subject": SUBJECTS[template][language].format_map(context),
        "body": BODIES[template][language].format_map(context),
        "template": template,
        "case_id": case.id,
    }
    if template == "webinar_invitation":
        webinar = (data or {}).get("webinar") or case.call.webinar or {}
        # The invitation itself is made when the email goes out (app/notifications/mail.py).
        payload["calendar"] = {
            "webinar": webinar,
            "uid": f"webinar-{case.call.key}",
            "language": language,
            "organizer": in_language(case.call.config.get("authority"), language, "grantflow"),
        }
    if extra.get("attachment"):
        filename, content = extra["attachment"]
        payload["attachments"] = [
            {
                "filename": filename,
                "content_type": "application/pdf",
                "base64": base64.b64encode(content).decode("ascii"),
            }
        ]
    return payload


@dataclass(frozen=True)
class DecisionEmail:
    """A funding decision as it goes: the letter (what the registry files and the PDF shows),
    its PDF (None when not drawn: a preview draws it on its own page) and the email."""

    letter: dict[str, Any]
    filename: str
    pdf: bytes | None
    email: dict[str, Any]


def decision_filename(decision_number: str) -> str:
    return f"{decision_number.replace('/', '-')}.pdf"


def compose_decision(
    session: Session,
    case: Case,
    data: dict[str, Any],
    decision_number: str,
    now: datetime,
    *,
    partners: bool,
    with_pdf: bool = True,
) -> DecisionEmail:
    """The decision letter numbered ``decision_number``, its PDF and the email that carries
    it (with ``partners``, to the partners' contacts too); ``data``: the case's task data with
    its ``decision``."""
    letter = decision_letter(case, data, decision_number, now)
    filename = decision_filename(decision_number)
    pdf = letter_pdf(letter) if with_pdf else None
    extra: dict[str, Any] = {"decision_number": decision_number}
    if pdf is not None:
        extra["attachment"] = (filename, pdf)
    email = compose_email(session, case, "decision_letter", extra, data, partners=partners)
    return DecisionEmail(letter, filename, pdf, email)
