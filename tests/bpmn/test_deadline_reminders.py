"""Reminders 7 days and 1 day before the idea and application deadlines, to the applicants who
hold a saved draft they have not sent (a draft is not an application: KHO 2021:110).

The reminders are non-interrupting boundary timers of the process (days_before(idea_deadline,
7) and 1), so they run on the call's clock; the notify service sends one only when the task
holds an unsent draft and its deadline is still ahead. A reminder whose moment passed before
the task began is not sent late.
"""

from __future__ import annotations

from app.timefmt import format_helsinki
from tests.bpmn.conftest import helsinki
from workflows import summarize

IDEA_DEADLINE = "15.4.2021 16:15 (UTC+03:00)"
APPLICATION_DEADLINE = "2.6.2021 16:15 (UTC+03:00)"
SCREEN_PROCEED = {"akke_compatible": True, "screening_result": "proceed"}
DRAFT = {"project_name": "Lakeland network", "summary": "Half written."}


def sent_at(notice) -> str:  # noqa: ANN001
    return format_helsinki(notice.created_at, seconds=True)


def test_a_draft_not_sent_is_reminded_a_week_and_a_day_before_the_idea_deadline(rehearsal):
    drafting = rehearsal.start("applicant")
    silent = rehearsal.start("applicant2")  # no draft: no reminder
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.save_draft("send_idea_proposal", DRAFT, "applicant", drafting)

    rehearsal.move_clock("2021-04-08 16:14:59")
    before_the_week = rehearsal.emails("deadline_reminder")
    rehearsal.move_clock("2021-04-08 16:15:01")
    after_the_week = rehearsal.emails("deadline_reminder")
    rehearsal.move_clock("2021-04-14 16:15:01")

    assert before_the_week == []
    assert len(after_the_week) == 1
    reminders = rehearsal.emails("deadline_reminder")
    assert [r["case_id"] for r in reminders] == [drafting.id, drafting.id]
    for reminder in reminders:
        assert reminder["to"] == ["applicant@demo.grantflow.example"]
        assert reminder["subject"] == (
            f"Muistutus: luonnos on lähettämättä, määräaika {IDEA_DEADLINE}"
        )
        assert "Asiakirjanne (ideaehdotus) on tallennettu luonnoksena" in reminder["body"]
        assert f"Määräaika on {IDEA_DEADLINE}." in reminder["body"]
        assert "Luonnos ei ole hakemus" in reminder["body"]
        assert "Hanke: Lakeland network" in reminder["body"]
    notices = rehearsal.notices("deadline_reminder")
    assert [(n.case_id, n.role, n.organisation_id) for n in notices] == [
        (drafting.id, "applicant", drafting.organisation_id)
    ] * 2
    assert notices[0].text == (
        "Reminder: the idea proposal is not sent yet; the deadline is "
        f"{IDEA_DEADLINE} – Lakeland network"
    )
    # stamped on the call's rehearsal clock, when the reminder fired
    assert sent_at(notices[0]).startswith("8.4.2021 16:15:0")
    assert sent_at(notices[1]).startswith("14.4.2021 16:15:0")
    assert (drafting.phase, drafting.closed) == ("Write and send the idea proposal", False)
    assert silent.phase == "Write and send the idea proposal"


def test_an_idea_sent_before_the_reminders_gets_none(rehearsal):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.save_draft("send_idea_proposal", DRAFT, "applicant", case)
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)

    rehearsal.move_clock("2021-04-14 16:15:01")

    assert rehearsal.emails("deadline_reminder") == []
    assert rehearsal.notices("deadline_reminder") == []
    assert case.phase == "Waiting for: Webinar invitation"


def test_a_case_opened_after_the_week_reminder_gets_only_the_day_reminder(rehearsal):
    rehearsal.move_clock("2021-04-13 09:00:00")  # the week reminder's moment has passed
    case = rehearsal.start("applicant")
    rehearsal.save_draft("send_idea_proposal", DRAFT, "applicant", case)
    rehearsal.move_clock("2021-04-13 10:00:00")
    nothing_late = rehearsal.emails("deadline_reminder")

    rehearsal.move_clock("2021-04-14 16:15:01")

    assert nothing_late == []
    [reminder] = rehearsal.emails("deadline_reminder")
    assert reminder["case_id"] == case.id
    [notice] = rehearsal.notices("deadline_reminder")
    assert sent_at(notice).startswith("14.4.2021 16:15:0")


def test_the_deadline_still_closes_a_draft_and_no_reminder_comes_after_it(rehearsal):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.save_draft("send_idea_proposal", DRAFT, "applicant", case)

    # the clock passes both reminders and the deadline at once (as after a long stop)
    rehearsal.move_clock("2021-04-15 16:15:01")

    assert (case.phase, case.closed) == ("Closed as late (idea)", True)
    assert rehearsal.emails("deadline_reminder") == []
    assert rehearsal.notices("deadline_reminder") == []
    [closed] = rehearsal.emails("closed_late")
    assert "Luonnos ei ole hakemus" in closed["body"]


def test_an_application_draft_is_reminded_before_the_application_deadline(rehearsal):
    drafting, silent = rehearsal.start("applicant"), rehearsal.start("applicant2")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", drafting)
    rehearsal.send("send_idea_proposal", rehearsal.idea("Arctic villages"), "applicant2", silent)
    rehearsal.move_clock("2021-04-15 16:15:01")
    for case in (drafting, silent):
        rehearsal.send("screen_idea", SCREEN_PROCEED, "specialist", case)
    rehearsal.move_clock("2021-05-10 10:00:00")
    rehearsal.save_draft("send_application", {"plan": "A first page."}, "applicant", drafting)

    rehearsal.move_clock("2021-05-26 16:15:01")
    rehearsal.move_clock("2021-06-01 16:15:01")
    rehearsal.send("send_application", rehearsal.application(), "applicant", drafting)

    reminders = rehearsal.emails("deadline_reminder")
    assert [r["case_id"] for r in reminders] == [drafting.id, drafting.id]
    assert "Asiakirjanne (hakemus) on tallennettu luonnoksena" in reminders[0]["body"]
    assert f"Määräaika on {APPLICATION_DEADLINE}." in reminders[0]["body"]
    notices = rehearsal.notices("deadline_reminder")
    assert [sent_at(n)[:16] for n in notices] == ["26.5.2021 16:15:", "1.6.2021 16:15:0"]
    assert notices[0].text.startswith(
        f"Reminder: the application is not sent yet; the deadline is {APPLICATION_DEADLINE}"
    )
    assert [d.kind for d in drafting.received] == ["idea_proposal", "application"]


def test_the_next_deadline_of_a_case_is_its_deadline_not_a_reminder(rehearsal):
    case = rehearsal.start("applicant")

    summary = summarize(rehearsal.session, case.instance)

    assert summary.next_timer == helsinki("2021-04-15 16:15:00")


def test_a_clock_moved_past_both_reminders_at_once_sends_only_the_day_reminder(rehearsal):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.save_draft("send_idea_proposal", DRAFT, "applicant", case)

    # past the week's and the day's reminder in one go, not past the deadline
    rehearsal.move_clock("2021-04-14 16:15:01")

    [reminder] = rehearsal.emails("deadline_reminder")
    assert reminder["case_id"] == case.id
    assert f"Määräaika on {IDEA_DEADLINE}." in reminder["body"]
    [notice] = rehearsal.notices("deadline_reminder")
    assert sent_at(notice).startswith("14.4.2021 16:15:0")
    assert (case.phase, case.closed) == ("Write and send the idea proposal", False)

    rehearsal.move_clock("2021-04-15 10:00:00")  # nothing more before the deadline
    assert len(rehearsal.emails("deadline_reminder")) == 1


def test_an_application_draft_past_both_reminders_at_once_is_reminded_once(rehearsal):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)
    rehearsal.move_clock("2021-04-15 16:15:01")
    rehearsal.send("screen_idea", SCREEN_PROCEED, "specialist", case)
    rehearsal.move_clock("2021-05-10 10:00:00")
    rehearsal.save_draft("send_application", {"plan": "A first page."}, "applicant", case)

    rehearsal.move_clock("2021-06-02 09:00:00")

    [reminder] = rehearsal.emails("deadline_reminder")
    assert "Asiakirjanne (hakemus) on tallennettu luonnoksena" in reminder["body"]
    [notice] = rehearsal.notices("deadline_reminder")
    assert sent_at(notice).startswith("2.6.2021 09:00:0")
