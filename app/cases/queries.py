"""Reads on cases: who may see which case, and the lists the pages show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, contains_eager

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.calls.start_data import CASE_DATA
from app.cases.models import Case, Document
from app.i18n.process_texts import Source, process_texts, translate, translate_names
from app.keyset import PAGE_SIZE, Page, count_capped, decode_cursor, encode_cursor, rows_after
from workflows import current_version, form_schema, lane_role
from workflows.models import HumanTask, ProcessModel, ProcessVersion, WorkflowInstance
from workflows.queries import InstanceSummary, start_event

SelectT = TypeVar("SelectT", bound=Select[Any])
STAFF_ROLES = frozenset({"specialist", "decision_maker", "process_owner", "admin"})
UNITS = ("day", "hour", "minute")  # of the countdown to the next deadline


def is_staff(user: User) -> bool:
    return bool(user.roles & STAFF_ROLES)


def may_view_case(user: User, case: Case) -> bool:
    """Staff see every case; an applicant sees its own organisation's cases (and any case it
    started itself)."""
    if is_staff(user) or case.created_by == user.username:
        return True
    return user.organisation_id is not None and case.organisation_id == user.organisation_id


def case_of_instance(session: Session, instance: WorkflowInstance) -> Case:
    from app.owners import owner_of

    owner = owner_of(session, instance)
    if owner is None or owner.case is None:
        raise LookupError(f"no case runs on instance {instance.id}")
    return owner.case


def _visible_to(query: SelectT, user: User) -> SelectT:
    if is_staff(user):
        return query
    return query.where(
        or_(
            Case.organisation_id == (user.organisation_id or -1),
            Case.created_by == user.username,
        )
    )


@dataclass(frozen=True)
class CaseFilters:
    """The case list's search and filters, as GET parameters; empty means no filter."""

    q: str = ""
    call: str = ""
    phase: str = ""
    application_object: str = ""
    state: str = ""  # "open", "closed" or ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CaseFilters:
        state = args.get("state", "").strip()
        return cls(
            q=args.get("q", "").strip()[:200],
            call=args.get("call", "").strip(),
            phase=args.get("phase", "").strip(),
            application_object=args.get("application_object", "").strip(),
            state=state if state in ("open", "closed") else "",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.call, self.phase, self.application_object, self.state))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_cases(
    session: Session, user: User, filters: CaseFilters, *, after: str | None = None
) -> Page[Case]:
    """A page of the cases the user may see that match, newest first: project, applicant, case
    number or a document's number contain the search text (case-insensitive); call, phase,
    application object and open/closed. ``after``: the cursor of the page before."""
    query = select(Case).outerjoin(Organisation, Case.organisation_id == Organisation.id)
    if filters.q:
        pattern = _like(filters.q)
        registry = exists().where(
            Document.case_id == Case.id,
            Document.registry_number.ilike(pattern, escape="\\"),
        )
        query = query.where(
            or_(
                Case.project_name.ilike(pattern, escape="\\"),
                Organisation.name.ilike(pattern, escape="\\"),
                Case.case_number.ilike(pattern, escape="\\"),
                registry,
            )
        )
    query = query.join(Call, Case.call_id == Call.id).where(Call.discarded_at.is_(None))
    if filters.call:
        query = query.where(Call.key == filters.call)
    if filters.phase:
        query = query.where(Case.phase == filters.phase)
    if filters.application_object:
        query = query.where(Case.application_object == filters.application_object)
    if filters.state:
        query = query.where(Case.closed == (filters.state == "closed"))
    query = _visible_to(query, user)
    total = count_capped(session, query, Case.id)
    keys = [Case.created_at, Case.id]
    values = decode_cursor(after, keys) if after else None
    if values is not None and None not in values:  # both keys are never empty
        query = query.where(rows_after(keys, values, descending=True))
    query = query.options(contains_eager(Case.organisation))
    found = list(
        session.scalars(query.order_by(*(key.desc() for key in keys)).limit(PAGE_SIZE + 1))
    )
    page = found[:PAGE_SIZE]
    more = len(found) > PAGE_SIZE
    return Page(page, total, encode_cursor([page[-1].created_at, page[-1].id]) if more else None)


def phases_of_cases(session: Session, user: User) -> list[str]:
    """The phases the user's visible cases are in now, for the phase filter."""
    query = _visible_to(select(Case.phase).distinct().order_by(Case.phase), user)
    return list(session.scalars(query))


def human_tasks_of(session: Session, case: Case) -> list[HumanTask]:
    return list(
        session.scalars(
            select(HumanTask)
            .where(HumanTask.instance_id == case.instance_id)
            .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at)
        )
    )


def _amount(unit: str, count: int | str, plural_of: int) -> str:
    """'3 days', '1 hour': `count` in the unit, the noun in the form for `plural_of`."""
    if unit == "day":
        return ngettext("%(count)s day", "%(count)s days", plural_of, count=count)
    if unit == "hour":
        return ngettext("%(count)s hour", "%(count)s hours", plural_of, count=count)
    return ngettext("%(count)s minute", "%(count)s minutes", plural_of, count=count)


def countdown(due: datetime, now: datetime) -> str:
    """'in 3 days 4 hours', 'in 12 minutes', '2 hours 5 minutes ago': the two largest units."""
    seconds = int((due - now).total_seconds())
    amount = abs(seconds)
    days, rest = divmod(amount, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    units = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    first = next((i for i, (value, _unit) in enumerate(units) if value), None)
    if first is None:
        return _("in less than a minute") if seconds >= 0 else _("less than a minute ago")
    text = " ".join(_amount(name, v, v) for v, name in units[first : first + 2] if v)
    return _("in %(time)s", time=text) if seconds >= 0 else _("%(time)s ago", time=text)


def countdown_texts() -> dict[str, Any]:
    """The words of `countdown` for the page's script that keeps it running: "{n}" and "{time}"
    stand for the number and the units. Finnish, Swedish and English have one plural form."""
    units = {unit: [_amount(unit, "{n}", 1), _amount(unit, "{n}", 2)] for unit in UNITS}
    return units | {
        "in": _("in %(time)s", time="{time}"),
        "ago": _("%(time)s ago", time="{time}"),
        "soon": _("in less than a minute"),
        "just": _("less than a minute ago"),
    }


def waiting_texts(summary: InstanceSummary, source: Source = None) -> list[str]:
    """What the case waits for besides people: 'Waiting for the webinar invitation'. Event
    names are those of `source`'s process files, in the page language when translated."""
    texts = []
    catalog = process_texts(source)
    for event in summary.waiting_events:
        if event.boundary:
            continue  # a deadline on a task: shown as the task's due time
        name = event.name
        if name in catalog:  # the translated name as a whole: no English grammar around it
            texts.append(_("Waiting for “%(name)s”", name=catalog[name]))
        elif event.kind == "message":
            message = name.removesuffix(" received").lower()
            texts.append(_("Waiting for the %(message)s", message=message))
        elif event.kind == "timer":
            texts.append(_("Waiting for the timer “%(name)s”", name=name))
        else:
            texts.append(_("Waiting for “%(name)s”", name=name))
    return texts


def position_text(case: Case, summary: InstanceSummary) -> str:
    """Where the case is, in words: the diagram's text alternative."""
    source = case.instance
    if summary.end_event:
        return _("the case has ended at “%(place)s”", place=translate(summary.end_event, source))
    places = summary.ready_tasks + [e.name for e in summary.waiting_events if not e.boundary]
    if not places:
        return _("the case is at “%(place)s”", place=translate_names(case.phase, source))
    return _(
        "the case is at %(places)s",
        places=", ".join(f"“{translate(place, source)}”" for place in places),
    )


def document_schema(instance: WorkflowInstance, kind: str) -> dict[str, Any]:
    """The form a document was sent with: forms/<kind>.json of the case's process version."""
    return form_schema(instance, f"{kind}.json") or {"properties": {}}


# Starting cases


def case_version(session: Session, call: Call) -> ProcessVersion | None:
    """The version a new case of the call gets: the pinned one, or the model's current one."""
    return call.version or current_version(session, call.model_id)


def starting_roles(version: ProcessVersion, model: ProcessModel) -> frozenset[str]:
    """Who may start a case: the role of the start event's lane (or the role the model maps
    it to); staff when it has no lane or is SpiffArena's 'Process Initiator'; nobody when a
    person cannot start the process (a timer or message start)."""
    start = start_event(version, model.case_process)
    if not start.by_person:
        return frozenset()
    role = lane_role(start.lane, model.lane_roles)
    return frozenset({role}) if role else STAFF_ROLES


def may_start_in(session: Session, call: Call, user: User) -> bool:
    version = case_version(session, call)
    return version is not None and bool(user.roles & starting_roles(version, call.model))


def needs_no_call(model: ProcessModel) -> bool:
    """A model whose cases need nothing from a call can be started without one."""
    return not model.call_process and all(name in CASE_DATA for name in model.case_start_data)


def startable_calls(session: Session, user: User) -> list[Call]:
    """Published calls taking new cases that the user's role may start a case in."""
    from app.calls.queries import accepts_new_cases, public_calls

    return [
        call
        for call in public_calls(session, rehearsals=True)
        if accepts_new_cases(call) and may_start_in(session, call, user)
    ]


def startable_models(session: Session, user: User) -> list[ProcessModel]:
    """Deployed models that need no call and whose start lane is one of the user's roles."""
    found = []
    for model in session.scalars(select(ProcessModel).order_by(ProcessModel.id)):
        version = current_version(session, model.id) if needs_no_call(model) else None
        if version is None or not user.roles & starting_roles(version, model):
            continue
        if "lead_organisation" in model.case_start_data and user.organisation_id is None:
            continue
        found.append(model)
    return found


def application_objects(calls: Iterable[Call], language: str) -> list[tuple[str, str]]:
    """The application objects of the calls, for a filter: (key, name), each key once."""
    found: dict[str, str] = {}
    for call in calls:
        for item in call.config.get("application_objects") or []:
            key = str(item.get("key"))
            found.setdefault(key, call.object_title(key, language) or key)
    return list(found.items())


def application_document(case: Case) -> Document | None:
    """The document a decision is on: the full application, else the idea proposal (never a
    supplement, which is filed under a number of its own)."""
    received = [document for document in case.documents if not document.outgoing]
    for kind in ("application", "idea_proposal"):
        for document in received:
            if document.kind == kind:
                return document
    return None


@dataclass(frozen=True)
class MyApplication:
    """One case on an applicant's home page, with what waits for the applicant in it."""

    case: Case
    waiting: list[HumanTask]


MY_APPLICATIONS_LIMIT = 200


def my_applications(session: Session, user: User) -> list[MyApplication]:
    """The cases of the person's organisation (or that they started), open ones first, each
    with the applicant tasks ready in it."""
    cases = session.scalars(
        _visible_to(select(Case), user)
        .join(Call, Case.call_id == Call.id)
        .where(Call.discarded_at.is_(None))
        .order_by(Case.closed, Case.updated_at.desc(), Case.id.desc())
        .limit(MY_APPLICATIONS_LIMIT)
    ).all()
    tasks = session.scalars(
        select(HumanTask)
        .where(
            HumanTask.instance_id.in_([case.instance_id for case in cases]),
            HumanTask.candidate_group == "applicant",
        )
        .order_by(HumanTask.due_at.nulls_last(), HumanTask.id)
    ).all()
    waiting: dict[int, list[HumanTask]] = {}
    for task in tasks:
        waiting.setdefault(task.instance_id, []).append(task)
    return [MyApplication(case, waiting.get(case.instance_id or -1, [])) for case in cases]
