"""Two people press "Send" on the same task at the same moment: one wins, one is told."""

import threading

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case, Document
from app.cases.operations import start_case
from app.extensions import db
from app.tasks.operations import send_task
from workflows import NotAllowed, TaskAlreadyCompleted
from workflows.models import AuditEvent, HumanTask


def test_two_simultaneous_sends_give_one_success_and_one_clear_refusal(app, demo, idea_data):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "applicant"))
        case = start_case(db.session, db.session.scalar(select(Call)), user)
        db.session.commit()
        case_id = case.id
        task_id = db.session.scalar(select(HumanTask.task_id))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press_send() -> None:
        with app.app_context():
            case = db.session.get(Case, case_id)
            user = db.session.scalar(select(User).where(User.username == "applicant"))
            barrier.wait()
            try:
                send_task(db.session, case.call, case.instance, task_id, idea_data, user)
                db.session.commit()
                outcomes.append("sent")
            except TaskAlreadyCompleted as refused:
                db.session.rollback()
                outcomes.append(str(refused))

    threads = [threading.Thread(target=press_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == sorted(
        ["sent", "This task was already completed, possibly by someone else."]
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 1
        completions = db.session.scalar(
            select(func.count()).where(AuditEvent.kind == "task_completed")
        )
        assert completions == 1


def test_the_operation_itself_refuses_another_organisations_applicant(app, demo, idea_data):
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.username == "applicant"))
        other = db.session.scalar(select(User).where(User.username == "applicant2"))
        case = start_case(db.session, db.session.scalar(select(Call)), lead)
        db.session.commit()
        task_id = db.session.scalar(select(HumanTask.task_id))
        with pytest.raises(NotAllowed):
            send_task(db.session, case.call, case.instance, task_id, idea_data, other)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0
