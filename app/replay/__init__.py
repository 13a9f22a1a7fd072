"""The 2021 call replayed (issue 12): made-up but realistic applicants walk a call like the 2021
call on its rehearsal clock through the operations the web pages use, from idea proposals to
the decision letters: more ideas than applications, 37 applications, 18 funded to exactly the
budget by the Government plenary 27 days after the application deadline (29.6.2021).

- plan.py: the story, decided by a seeded random.Random before anything runs (story.py: one
  case's; timeline.py: when each step is taken);
- names.py, texts.py: the organisations, people and words of the story;
- applicants.py: the applicants registered as organisations register;
- target.py: the call to run in (the call itself while fresh, else a rehearsal copy), the staff;
- run.py: the steps, yielded one transaction at a time (the caller commits at each);
- proposals.py: the specialist's amounts; summary.py: what the call holds afterwards.

``prepare_replay`` chooses (or copies) the call; ``replay_of`` gives its steps: end a transaction
at each (app/worker.py ``run_replay`` does, for the CLI and the management page's button).
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from app.calls.models import Call
from app.replay.plan import FULL, CallFacts, Sizes, make_plan
from app.replay.run import Replay, ReplayFailed
from app.replay.summary import ReplaySummary, summarize_call
from app.replay.target import (
    ReplayRefused,
    check_replayable,
    find_staff,
    is_fresh,
    replay_target,
)
from workflows import Actor, clock_now
from workflows.audit import record_event

__all__ = [
    "FULL",
    "Replay",
    "ReplayFailed",
    "ReplayRefused",
    "ReplaySummary",
    "Sizes",
    "finish_replay",
    "prepare_replay",
    "record_replay_failure",
    "replay_of",
    "summarize_call",
]
SEED = 2021


def prepare_replay(
    session: Session, call: Call, actor: Actor, *, seed: int = SEED, sizes: Sizes = FULL
) -> tuple[Call, bool]:
    """The call to replay ``call`` in: itself while fresh, else a new rehearsal copy (then
    True); its history says a replay started. Raises ReplayRefused for a call unlike the 2021
    call, or without the demo's staff."""
    check_replayable(call)
    find_staff(session, call)
    target, copied = replay_target(session, call, make_plan(CallFacts.of(call), seed, sizes), actor)
    summary = f"Replay of the 2021 call started in {target.key}"
    if copied:
        summary += f" (a copy of {call.key})"
    record_event(
        session,
        actor=actor.username,
        kind="call_replay_started",
        summary=summary,
        instance=target.instance,
        data={"call": target.key, "copy_of": call.key if copied else None, "seed": seed},
        clock_at=clock_now(target.clock),
    )
    return target, copied


def replay_of(session: Session, call: Call, *, seed: int = SEED, sizes: Sizes = FULL) -> Replay:
    """The replay's steps in a prepared call; refused once something has happened in it."""
    plan = make_plan(CallFacts.of(call), seed, sizes)
    if not is_fresh(session, call, plan):
        raise ReplayRefused(f"{call.key} is no longer as a replay starts: prepare another")
    return Replay(session, call, plan, find_staff(session, call))


def finish_replay(session: Session, replay: Replay, actor: Actor) -> ReplaySummary:
    """What the replayed call holds, written into its history."""
    summary = summarize_call(session, replay.call)
    record_event(
        session,
        actor=actor.username,
        kind="call_replayed",
        summary=(
            f"Replayed: {summary.ideas} ideas, {summary.applications} applications, "
            f"{summary.funded} funded with EUR {summary.granted}, {summary.letters} letters"
        ),
        instance=replay.call.instance,
        data={"call": replay.call.key} | asdict(summary),
        clock_at=clock_now(replay.call.clock),
    )
    return summary


def record_replay_failure(session: Session, call: Call, actor: Actor, error: Exception) -> None:
    """The step that failed, in the call's history (the steps before it stay done)."""
    record_event(
        session,
        actor=actor.username,
        kind="call_replay_failed",
        summary=f"The replay stopped: {error}"[:300],
        instance=call.instance,
        data={"call": call.key, "error": str(error)[:2000]},
        clock_at=clock_now(call.clock),
    )
