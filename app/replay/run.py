"""The replay walked: every step through the operation the web page of that step calls, on the
call's clock, in the order of the plan's moments.

``Replay.steps`` yields after each step: one person's request (start a case, save a draft, send
a form, pass an evaluation on), one clock move with what it made due (as the clock page does),
or one message delivered (as the worker does after a request). The caller ends a transaction at
each yield (the CLI commits), so the replay's cases are written as the web would write them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock
from app.cases.models import Case
from app.cases.operations import start_case
from app.money import format_money
from app.replay import texts
from app.replay.applicants import register_applicants
from app.replay.plan import Plan
from app.replay.proposals import allocate, format_score
from app.replay.story import APPLIED, NOT_APPLYING, REJECTED, UNSENT, Story, describe
from app.replay.target import Staff
from app.tasks.hooks import ranking_rows
from app.tasks.operations import declare_conflict_of_interest, save_draft, send_task
from workflows import clock_now, wall_now
from workflows.engine import deliver_pending
from workflows.models import HumanTask

GOVERNMENT_PLENARY = "government_plenary"


class ReplayFailed(Exception):
    """A step of the replay found the call not as the plan expected (a changed process)."""


@dataclass(frozen=True)
class Step:
    moment: datetime
    order: int
    label: str
    act: Callable[[], None]


class Replay:
    def __init__(self, session: Session, call: Call, plan: Plan, staff: Staff) -> None:
        self.session, self.call, self.plan, self.staff = session, call, plan, staff
        self.users: dict[str, User] = {}

    def steps(self) -> Iterator[str]:
        leads = [story.applicant for story in self.plan.stories]
        self.users = register_applicants(self.session, leads)
        yield f"{len(leads)} applicants registered"
        for step in sorted(self._plan_steps(), key=lambda step: (step.moment, step.order)):
            if step.moment > clock_now(self.call.clock):
                move_rehearsal_clock(self.session, self.call, step.moment)
                yield f"clock moved to {step.moment.isoformat()}"
            step.act()
            yield step.label
            while deliver_pending(self.session, limit=1):  # the worker, after the request
                yield "message delivered"

    # The plan as steps

    def _plan_steps(self) -> list[Step]:
        steps: list[Step] = []

        def add(moment: datetime | None, label: str, act: Callable[[], None]) -> None:
            assert moment is not None
            steps.append(Step(moment, len(steps), label, act))

        for story in self.plan.stories:
            case = f"case {story.number}"
            add(story.opened, f"{case} opened", partial(self._open, story))
            if story.fate == UNSENT:
                add(story.idea, f"{case}: draft saved", partial(self._draft, story))
                continue
            add(story.idea, f"{case}: idea sent", partial(self._idea, story))
            add(story.screened, f"{case} screened", partial(self._screen, story))
            if story.fate != APPLIED:
                continue
            add(story.applied, f"{case}: application sent", partial(self._apply, story))
            add(story.checked, f"{case} checked", partial(self._check, story))
            if story.supplemented is not None:
                add(story.supplemented, f"{case} supplemented", partial(self._supplement, story))
                add(story.rechecked, f"{case} checked again", partial(self._recheck, story))
            for index, moment in enumerate(story.evaluated):
                add(moment, f"{case} evaluated", partial(self._evaluate, story, index))
        add(self.plan.ranking_at, "applications ranked", self._rank)
        add(self.plan.decision_at, "funding decided", self._decide)
        return steps

    # Helpers

    def _case(self, story: Story) -> Case:
        assert story.case_id is not None
        return self.session.get_one(Case, story.case_id)

    def _applicant(self, story: Story) -> User:
        return self.users[story.applicant.username]

    def _task(self, instance_id: int | None, spec_name: str, assignee: str | None = None) -> str:
        query = select(HumanTask.task_id).where(
            HumanTask.instance_id == instance_id, HumanTask.spec_name == spec_name
        )
        if assignee is not None:
            query = query.where(HumanTask.assignee == assignee)
        task_id = self.session.scalar(query.order_by(HumanTask.id).limit(1))
        if task_id is None:
            raise ReplayFailed(f"no ready task {spec_name!r} in instance {instance_id}")
        return task_id

    def _send(
        self,
        story: Story | None,
        spec_name: str,
        data: dict[str, Any],
        user: User,
        assignee: str | None = None,
    ) -> None:
        instance_id = self._case(story).instance_id if story else self.call.instance_id
        task_id = self._task(instance_id, spec_name, assignee)
        assert instance_id is not None
        send_task(self.session, self.call, instance_id, task_id, data, user, arrived_at=wall_now())

    # The applicants

    def _open(self, story: Story) -> None:
        story.case_id = start_case(self.session, self.call, self._applicant(story)).id

    def _draft(self, story: Story) -> None:
        case = self._case(story)
        assert case.instance is not None
        data = {"project_name": story.project_name, "summary": texts.DRAFT_SUMMARY[story.language]}
        task_id = self._task(case.instance_id, "send_idea_proposal")
        save_draft(self.session, case.instance, task_id, data, self._applicant(story))

    def _idea(self, story: Story) -> None:
        self._send(story, "send_idea_proposal", describe(story), self._applicant(story))

    def _apply(self, story: Story) -> None:
        first, second, third = story.budget
        summary = describe(story)["summary"]
        data = {
            "plan": texts.PLAN[story.language].format(
                summary=summary, lead=story.applicant.organisation.name
            ),
            "budget_2021": first,
            "budget_2022": second,
            "budget_2023": third,
            "cofunding": story.cofunding,
            "contact_person": story.applicant.person,
            "contact_email": story.applicant.email,
        }
        self._send(story, "send_application", data, self._applicant(story))

    def _supplement(self, story: Story) -> None:
        data = {"supplement_text": texts.SUPPLEMENT[story.language]}
        self._send(story, "send_supplement", data, self._applicant(story))

    # The specialist

    def _screen(self, story: Story) -> None:
        language = story.language
        if story.fate in (APPLIED, NOT_APPLYING):
            data = {"akke_compatible": True, "screening_result": "proceed"}
            if story.quality < 3.2:  # a weaker idea gets advice
                data["feedback"] = texts.FEEDBACK["proceed"][language]
        else:
            data = {
                "akke_compatible": story.fate != REJECTED,
                "screening_result": "reject",
                "feedback": texts.FEEDBACK[story.fate][language],
            }
        self._send(story, "screen_idea", data, self.staff.specialist)

    def _check(self, story: Story) -> None:
        data: dict[str, Any] = {"complete": story.supplement is None}
        if story.supplement is not None:
            assert story.supplement_due is not None
            data["supplement_request"] = texts.SUPPLEMENT_REQUEST[story.language]
            data["supplement_due"] = story.supplement_due.isoformat()
        self._send(story, "check_application", data, self.staff.specialist)

    def _recheck(self, story: Story) -> None:
        self._send(story, "check_application", {"complete": True}, self.staff.specialist)

    # The evaluators

    def _evaluate(self, story: Story, index: int) -> None:
        names = list(self.call.config["evaluators"])
        name = names[index]
        case = self._case(story)
        if story.conflict and index == len(names) - 1:
            assert case.instance is not None
            task_id = self._task(case.instance_id, "evaluate_application", name)
            leaving = self.staff.evaluators[name]
            reason = texts.CONFLICT_REASON
            row = declare_conflict_of_interest(
                self.session, case.instance, task_id, leaving, reason
            )
            name = row.assignee or name  # a reserve evaluator takes it
        evaluator = self.staff.evaluators[name]
        self._send(story, "evaluate_application", self._scores(story, name), evaluator, name)

    def _scores(self, story: Story, evaluator: str) -> dict[str, Any]:
        scale = self.call.config.get("evaluation_scale") or {}
        low, high = int(scale.get("minimum", 1)), int(scale.get("maximum", 5))
        leaning = random.Random(f"{self.plan.seed}:{story.number}:{evaluator}")  # their own
        scores = {
            criterion["key"]: max(low, min(high, round(story.quality + leaning.gauss(0, 0.6))))
            for criterion in self.call.config.get("evaluation_criteria") or []
        }
        band = "high" if story.quality >= 4 else "middle" if story.quality >= 3 else "low"
        return {
            "no_conflict_of_interest": True,
            "scores": scores,
            "comments": texts.EVALUATION_COMMENTS[band],
        }

    # The ranking and the decision

    def _rank(self) -> None:
        rows = ranking_rows(self.session, self.call)
        sizes, reserve = self.plan.sizes, self.call.reserved_total
        amounts = allocate(
            rows, self.call.budget_total, reserve, sizes.funded, sizes.city_funded if reserve else 0
        )
        languages = {story.case_id: story.language for story in self.plan.stories}
        proposals = []
        for row in rows:
            language = languages.get(row["case_id"], "fi")  # the justification goes in the letter
            said = texts.JUSTIFICATIONS["funded" if amounts[row["case_key"]] else "refused"]
            proposals.append(
                {
                    "case_key": row["case_key"],
                    "proposed_amount": amounts[row["case_key"]],
                    "justification": said[language].format(
                        score=format_score(row["score"], language)
                    ),
                }
            )
        memo = texts.MEMO.format(
            funded=sum(1 for amount in amounts.values() if amount),
            applications=len(rows),
            total=format_money(sum(amounts.values()), "fi"),
            reserve=format_money(
                sum(amounts[r["case_key"]] for r in rows if r["regional_city_network"]), "fi"
            ),
        )
        data = {"proposals": proposals, "proposal_memo": memo}
        self._send(None, "rank_applications", data, self.staff.specialist)

    def _decide(self) -> None:
        data = {
            "approved": True,
            "decided_by_body": GOVERNMENT_PLENARY,
            "presenter": texts.PRESENTER,
            "signatory": texts.SIGNATORY,
        }
        self._send(None, "decide_funding", data, self.staff.decision_maker)
