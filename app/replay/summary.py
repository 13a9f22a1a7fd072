"""What a replayed call holds, counted as the registry and the cases list show it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case, Document
from workflows.models import AuditEvent

SCREENING_TASK = "screen_idea"


@dataclass(frozen=True)
class ReplaySummary:
    call_key: str
    cases: int
    ideas: int  # idea proposals in the registry
    invited: int  # invited to apply at screening
    applications: int  # applications in the registry
    funded: int
    not_funded: int
    granted: int  # euros in total
    letters: int  # decision letters filed with their PDF
    closed: int  # cases whose process has ended

    def lines(self) -> list[str]:
        return [
            f"call: {self.call_key}",
            f"cases: {self.cases} ({self.closed} closed)",
            f"ideas: {self.ideas}",
            f"invited: {self.invited}",
            f"applications: {self.applications}",
            f"funded: {self.funded} (not funded: {self.not_funded})",
            f"total granted: EUR {self.granted:,}".replace(",", " "),
            f"letters: {self.letters}",
        ]


def summarize_call(session: Session, call: Call) -> ReplaySummary:
    cases = list(session.scalars(select(Case).where(Case.call_id == call.id)))
    ids = [case.id for case in cases]

    def documents(kind: str, *, with_pdf: bool = False) -> int:
        query = (
            select(func.count())
            .select_from(Document)
            .where(Document.case_id.in_(ids), Document.kind == kind)
        )
        if with_pdf:
            query = query.where(Document.pdf.is_not(None))
        return session.scalar(query) or 0

    screenings = session.scalars(
        select(AuditEvent).where(
            AuditEvent.kind == "task_completed",
            AuditEvent.instance_id.in_([case.instance_id for case in cases]),
        )
    )
    invited = sum(1 for event in screenings if event.data.get("screening_result") == "proceed")
    decided = [case for case in cases if case.granted_amount is not None]
    return ReplaySummary(
        call_key=call.key,
        cases=len(cases),
        ideas=documents("idea_proposal"),
        invited=invited,
        applications=documents("application"),
        funded=sum(1 for case in decided if case.granted_amount),
        not_funded=sum(1 for case in decided if not case.granted_amount),
        granted=sum(case.granted_amount or 0 for case in decided),
        letters=documents("decision", with_pdf=True),
        closed=sum(1 for case in cases if case.closed),
    )
