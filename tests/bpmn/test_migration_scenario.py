"""A case of the demo call moved to newer process versions mid-way, run to its end by its users.

The new versions are edits of the shipped files: a renamed task and a new form field ahead of
the case, a removed notice, and later a renamed task after the evaluation. The case moves while
it waits for the webinar invitation (a message) and again while one of its two evaluations is
still open (a multi-instance task). The call's own instance stays on the first version.
"""

from __future__ import annotations

from pathlib import Path

from app.processes.operations import deploy_files
from app.tasks.hooks import check, prefill
from tests.workflows.bundle_edits import edited, with_form, without_task
from workflows import bundles, read_bundle, wall_now
from workflows.migration import check_migration, migrate_instance
from workflows.models import ProcessVersion
from workflows.queries import waiting_counts

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
SCORES = {"relevance": 5, "inter_regional_cooperation": 4, "impact": 4, "feasibility": 3}


def deploy(rehearsal, files: dict[str, str]) -> ProcessVersion:
    model = rehearsal.call.model
    version, _ = deploy_files(rehearsal.session, files, model, "process_owner")
    rehearsal.session.commit()
    return version


def migrate(rehearsal, case, version: ProcessVersion) -> None:
    migrate_instance(
        rehearsal.session, case.instance, version, actor="process_owner", now=wall_now()
    )
    rehearsal.session.commit()


def second_version(files: dict[str, str]) -> dict[str, str]:
    new = edited(files, APPLICATION, 'name="Screen the idea proposal"', 'name="Screen the idea"')
    new = without_task(new, APPLICATION, "notify_supplement_requested")
    return with_form(
        new,
        "forms/screening.json",
        lambda schema: schema["properties"].update(
            {"screening_note": {"type": "string", "title": "Internal note"}}
        ),
    )


def test_a_case_moved_twice_mid_way_runs_on_the_new_versions_to_its_end(rehearsal):
    files = read_bundle(BPMN)
    case = rehearsal.start("applicant")
    first = case.instance.version
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)
    v2 = deploy(rehearsal, second_version(files))

    assert waiting_counts(rehearsal.session, first.id) == {
        "idea_deadline_passed": 2,  # the calls of 2021 and 2022
        "webinar_invitation_received": 1,
    }
    migrate(rehearsal, case, v2)
    assert waiting_counts(rehearsal.session, v2.id) == {"webinar_invitation_received": 1}
    assert rehearsal.call.instance.version_id == first.id

    rehearsal.move_clock("2021-04-15 16:15:01")  # the call invites the case to the webinar
    screening = rehearsal.task("screen_idea", case)
    assert screening is not None and screening.title == "Screen the idea"
    screened = {"akke_compatible": True, "screening_result": "proceed", "screening_note": "Ok"}
    rehearsal.send("screen_idea", screened, "specialist", case)
    rehearsal.move_clock("2021-05-10 10:00:00")
    rehearsal.send("send_application", rehearsal.application(), "applicant", case)
    rehearsal.send("check_application", {"complete": True}, "specialist", case)
    evaluation = {"no_conflict_of_interest": True, "scores": SCORES, "comments": "Good."}
    rehearsal.send("evaluate_application", evaluation, "specialist", case, assignee="specialist")

    v3 = deploy(
        rehearsal,
        edited(
            second_version(files),
            APPLICATION,
            'name="Send the decision letter"',
            'name="Send the funding decision letter"',
        ),
    )
    assert check_migration(rehearsal.session, case.instance, v3).ok
    migrate(rehearsal, case, v3)
    rehearsal.send("evaluate_application", evaluation, "evaluator", case, assignee="evaluator")
    assert case.score == 4.0

    rehearsal.move_clock("2021-06-02 16:15:01")
    proposals = prefill(rehearsal.session, "rank_applications", rehearsal.call, {})
    proposals["proposals"][0] |= {"proposed_amount": 200000, "justification": "Funded."}
    proposals["proposal_memo"] = "One application, funded."
    ranked, errors = check(rehearsal.session, "rank_applications", rehearsal.call, proposals)
    assert errors == {}
    rehearsal.send("rank_applications", ranked, "specialist")
    approved = {
        "approved": True,
        "decided_by_body": "ministry",
        "presenter": "Special adviser Petra Stenfors",
        "signatory": "Minister Mika Lintilä",
    }
    rehearsal.send("decide_funding", approved, "decision_maker")

    assert (case.phase, case.closed, case.granted_amount) == ("Funded", True, 200000)
    assert case.instance.status == "completed"
    assert case.instance.version_id == v3.id
    assert [e.kind for e in rehearsal.timeline(case)].count("instance_migrated") == 2


def test_an_evaluation_started_before_a_restart_completes_after_it(rehearsal):
    """The evaluators' multi-instance task merges its children on freshly parsed specs too."""
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)
    rehearsal.move_clock("2021-04-15 16:15:01")
    screened = {"akke_compatible": True, "screening_result": "proceed"}
    rehearsal.send("screen_idea", screened, "specialist", case)
    rehearsal.move_clock("2021-05-10 10:00:00")
    rehearsal.send("send_application", rehearsal.application(), "applicant", case)
    rehearsal.send("check_application", {"complete": True}, "specialist", case)
    evaluation = {"no_conflict_of_interest": True, "scores": SCORES, "comments": "Good."}
    rehearsal.send("evaluate_application", evaluation, "specialist", case, assignee="specialist")

    bundles._PARSED.clear()  # as after a restart: the specs are parsed anew from the database

    rehearsal.send("evaluate_application", evaluation, "evaluator", case, assignee="evaluator")
    assert case.score == 4.0
    assert case.phase == "Waiting for: Funding decision"
