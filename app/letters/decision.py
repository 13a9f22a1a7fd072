"""The funding decision letter: its content fixed in the case's language when the decision
arrives (filed in the registry as the letter's data), and its PDF (PDF/A-3b, WeasyPrint) drawn
from that content, so that the page, the download and the email's attachment say the same."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, select_autoescape

from app.calls.models import in_language
from app.cases.queries import application_document
from app.letters.texts import RECONSIDERATION, WORDS
from app.money import format_money
from app.timefmt import HELSINKI

if TYPE_CHECKING:
    from app.cases.models import Case

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_templates = Environment(
    loader=PackageLoader("app", "templates/letters"), autoescape=select_autoescape()
)


def letter_language(case: Case) -> str:
    return case.language if case.language in LOCALES else "fi"


def format_day(value: date | str | None, language: str) -> str:
    """30.6.2021 in Finnish and Swedish, 30 June 2021 in English."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    pattern = "d MMMM yyyy" if language == "en" else "d.M.yyyy"
    return format_date(day, pattern, locale=LOCALES[language])


def format_share(share: float, language: str) -> str:
    number = format_decimal(share, format="#,##0.#", locale=LOCALES[language])
    return f"{number} %" if language != "en" else f"{number}%"


def decision_letter(
    case: Case, data: dict[str, Any], decision_number: str, now: datetime
) -> dict[str, Any]:
    """The letter, every text in the case language: what the registry files and the PDF
    shows. ``data``: the case's task data (its ``decision`` as the decision maker sent it);
    ``decision_number``: the letter's number in the case (it cites the case number too)."""
    language = letter_language(case)
    config = case.call.config
    decision = data.get("decision") or {}
    granted = bool(decision.get("granted"))
    amount = int(decision.get("amount") or 0)
    requested = int(data.get("requested_amount") or case.requested_amount or 0)
    cofunding = int(data.get("cofunding") or 0)
    total = requested + cofunding
    authority = in_language(config.get("authority"), language, "")
    body = decision.get("decided_by_body") or config.get("deciding_body") or "ministry"
    application = application_document(case)
    decision_date = format_day(now.astimezone(HELSINKI).date(), language)
    period = config.get("funding_period") or {}
    fill = {
        "authority": authority,
        "call_title": case.call.title_in(language),
        "project_name": case.project_name or data.get("project_name", ""),
        "case_number": case.case_number or "",
        "received": format_day(
            application.received_at.astimezone(HELSINKI).date() if application else None,
            language,
        ),
        "decision_date": decision_date,
        "decision_number": decision_number,
        "amount": format_money(amount, language),
        "total_costs": format_money(total, language),
        "cofunding": format_money(cofunding, language),
        "share": format_share(100 * amount / total, language) if total else "",
        "period": " – ".join(
            format_day(period.get(key), language) for key in ("start", "end") if period.get(key)
        ),
        "reporting_deadline": format_day(config.get("reporting_deadline"), language),
        "registry_office": in_language(config.get("registry_office"), language, authority),
    }

    def say(key: str) -> str:
        return WORDS[key][language].format_map(fill)

    plenary = body == "government_plenary"
    outcome = ("granted" if granted else "refused") + ("_plenary" if plenary else "_ministry")
    sections: list[dict[str, Any]] = [
        {"heading": say("decision"), "paragraphs": [say(outcome)]},
    ]
    if granted:
        sections += [
            {"heading": say("purpose"), "paragraphs": [say("purpose_text")]},
            {"heading": say("costs"), "paragraphs": [say("costs_text")] if total else []},
            {"heading": say("period"), "paragraphs": [say("period_text")]},
            {"heading": say("conditions"), "bullets": say("conditions_items").split("\n")},
        ]
    if decision.get("justification"):
        sections.append(
            {"heading": say("justification"), "paragraphs": [str(decision["justification"])]}
        )
    sections += [
        {"heading": say("laws"), "paragraphs": [say("laws_text")]},
        {"heading": say("redress"), "paragraphs": [say("redress_text")]},
    ]
    contacts = [_contact(contact, language) for contact in config.get("contacts") or []]
    if contacts:
        sections.append({"heading": say("contacts"), "paragraphs": contacts})
    signatures = [
        {"role": say("deciding_body"), "name": say(body) if plenary else authority},
        {"role": say("signatory"), "name": str(decision.get("signatory") or "")},
        {"role": say("presenter"), "name": str(decision.get("presenter") or "")},
    ]
    return {
        "language": language,
        "authority": authority,
        "heading": say("document"),
        "number": decision_number,
        "facts": [
            (say("date"), decision_date),
            (say("number"), case.case_number or ""),
            (say("document_number"), decision_number),
        ],
        "recipient": {
            "label": say("recipient"),
            "name": case.applicant_name,
            "business_id": _business_id(case, language),
        },
        "matter": (say("matter"), say("matter_text")),
        "application": (say("application"), say("application_text")),
        "granted": granted,
        "amount": amount,
        "sections": sections,
        "signatures": [s for s in signatures if s["name"]],
        "approved_note": say("approved_electronically"),
        "appendix": {
            "label": f"{say('appendix')} 1",
            "title": say("appendix_title"),
            "sections": [
                {"heading": heading, "paragraphs": [text.format_map(fill)]}
                for heading, text in RECONSIDERATION[language]
            ],
        },
        "page_word": say("page"),
    }


def _contact(contact: dict[str, Any], language: str) -> str:
    parts = [str(contact.get("name", ""))]
    if contact.get("title"):
        parts.append(in_language(contact["title"], language, ""))
    parts += [str(contact[key]) for key in ("phone", "email") if contact.get(key)]
    return ", ".join(part for part in parts if part)


def _business_id(case: Case, language: str) -> str:
    business_id = getattr(case.organisation, "business_id", None) if case.organisation else None
    return f"{WORDS['business_id'][language]} {business_id}" if business_id else ""


def letter_html(letter: dict[str, Any]) -> str:
    return _templates.get_template("decision.html").render(letter=letter)


def letter_pdf(letter: dict[str, Any]) -> bytes:
    """The letter as a PDF/A-3b document, fonts embedded."""
    from weasyprint import HTML  # loads Pango: only where a letter is made

    pdf = HTML(string=letter_html(letter)).write_pdf(pdf_variant="pdf/a-3b")
    assert pdf is not None
    return pdf
