"""The registry office: files each case under one case number when its first document arrives
(VN/12/2021), numbers every document of the case inside it (VN/12/2021-1, -2, ...), received
or sent, and acknowledges a received document at once.

The formats are the call's (Call.registry_formats, checked by app/calls/settings.py): the case
number holds the prefix, the running number and the year; a document number holds the case
number and the document's number in the case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from app.attachments.operations import bind_unsent_attachments
from app.calls.models import Call
from app.cases.models import Case, Document, RegistrySequence
from app.cases.queries import case_of_instance
from app.notifications.operations import notify_case
from app.upsert import upsert
from workflows import ServiceCall, register_operator
from workflows.models import AuditEvent
from workflows.rows import insert_now, update_now
from workflows.transaction import notes

HELSINKI = ZoneInfo("Europe/Helsinki")
DOCUMENT_KINDS = ("idea_proposal", "application", "supplement")  # received from applicants


def _fill(template: str, values: dict[str, str]) -> str:
    """The placeholders of a format replaced (nothing else of str.format: a format is data)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def case_number_of(call: Call, number: int, year: int) -> str:
    case_format, _document = call.registry_formats
    return _fill(
        case_format, {"prefix": call.registry_prefix, "number": str(number), "year": str(year)}
    )


def document_number_of(call: Call, case_number: str, number: int) -> str:
    _case, document_format = call.registry_formats
    return _fill(document_format, {"case": case_number, "document": str(number)})


def next_running_number(session: Session, prefix: str, year: int) -> int:
    """The next case number of ``prefix`` in ``year``, by one statement that inserts the year's
    first number or counts on (no two cases, even the year's first ones, get the same).

    On PostgreSQL the number is taken outside the send's transaction, in a statement that
    commits on its own (autocommit: no BEGIN and COMMIT of its own to wait for), as a
    database sequence gives its numbers: in the send's transaction, every send filing a case's
    first document held the year's row until it committed, and a rush of idea proposals queued
    on it one send at a time. The price is a sequence's: a send that fails after taking its
    number (its transaction rolled back) leaves that number unused; none is ever given twice.
    On SQLite, one writer at a time, it is taken in the send's transaction."""
    bind = session.get_bind()
    statement = _NEXT_NUMBER.get(bind.dialect.name)
    if statement is None:  # built once per dialect: building it cost twice what running it costs
        statement = _NEXT_NUMBER[bind.dialect.name] = upsert(
            session,
            RegistrySequence,
            {"prefix": bindparam("prefix"), "year": bindparam("year"), "last_number": 1},
            key=("prefix", "year"),
            update={"last_number": RegistrySequence.last_number + 1},
        ).returning(RegistrySequence.last_number)
    values = {"prefix": prefix, "year": year}
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as own:
            return int(own.execute(statement, values).scalar_one())
    return int(session.execute(statement, values).scalar_one())


_NEXT_NUMBER: dict[str, ReturningInsert[Any]] = {}  # next_running_number's, per dialect


# One statement counts a case's documents on and says the case's number, if it has one.
_COUNT_ON = (
    update(Case)
    .where(Case.id == bindparam("case_id"))
    .values(last_document_number=Case.last_document_number + 1)
    .returning(Case.last_document_number, Case.case_number)
)


def number_document(session: Session, case: Case, received_at: datetime) -> str:
    """The number of the case's next document (VN/12/2021-3), and the case's own number first
    when this is its first document (VN/12/2021, running per prefix and year of arrival in
    Helsinki time). One statement counts the case's documents on and locks its row, so that
    two documents of one case never share a number."""
    session.flush()  # the case row is there to count on
    # On the session's connection: the ORM's UPDATE would flush and sort its unit of work again.
    counted, filed_as = session.connection().execute(_COUNT_ON, {"case_id": case.id}).one()
    set_committed_value(case, "last_document_number", counted)
    if filed_as is None:
        year = received_at.astimezone(HELSINKI).year
        running = next_running_number(session, case.call.registry_prefix, year)
        filed_as = case_number_of(case.call, running, year)
        update_now(session, case, {"case_number": filed_as})
    else:
        set_committed_value(case, "case_number", filed_as)
    return document_number_of(case.call, filed_as, counted)


def next_document_number(case: Case) -> str:
    """The number the case's next document would get (a preview's; nothing is counted)."""
    return document_number_of(case.call, case.case_number or "", case.last_document_number + 1)


def _sent_form(session: Session, instance_id: int) -> dict[str, Any]:
    """The form data of the task just completed, as the audit log recorded it."""
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.instance_id == instance_id, AuditEvent.kind == "task_completed")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return dict(event.data) if event is not None else {}


@register_operator("register_document")
def register_document(call: ServiceCall) -> dict[str, Any]:
    kind = call.params["document"]
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    session = call.session
    case = case_of_instance(session, call.instance)
    number = number_document(session, case, call.now)
    document = Document(
        case_id=case.id,
        kind=kind,
        registry_number=number,
        received_at=call.now,
        data=call.sent if call.sent is not None else _sent_form(session, call.instance.id),
        sent_by=call.actor.username,
    )
    insert_now(session, [document])
    notes(session).setdefault("received", {})[case.id] = document
    if kind in ("application", "supplement"):
        document.data = document.data | {
            "attachments": bind_unsent_attachments(session, case, document)
        }
    notify_case(session, case, "receipt", {"document": document}, data=document.data)
    return {
        "registry_number": number,
        "case_number": case.case_number,
        "received_at": call.now.isoformat(),
    }


def received_now(session: Session, case: Case) -> Document | None:
    """The document the registry received from the case in this transaction (a send's)."""
    found: Document | None = notes(session).get("received", {}).get(case.id)
    return found


def register_outgoing(
    session: Session, case: Case, kind: str, letter: dict[str, str], now: datetime, sent_by: str
) -> Document:
    """File a letter the ministry sent (the webinar invitation, the decision) under a number."""
    document = Document(
        case_id=case.id,
        kind=kind,
        outgoing=True,
        registry_number=number_document(session, case, now),
        received_at=now,
        data=letter,
        sent_by=sent_by,
    )
    insert_now(session, [document])
    return document
