"""The call page's "Replay the 2021 call" button (process owners and admins, rehearsal calls):
the request chooses (or copies) the call and commits; the replay then runs in a thread of this
process (app/worker.py), as it takes longer than a request should."""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.calls.models import Call
from app.calls.views import REHEARSERS, bp
from app.cases.operations import actor_of
from app.extensions import current_session
from app.forms.interface import N_
from app.i18n import current_language
from app.loaders import get_call
from app.replay import ReplayRefused, prepare_replay
from app.replay.target import replayable
from app.requests import after_commit, refuse
from app.worker import replay_in_background, replay_running

RUNNING = N_("A replay is running in this call: reload the page to follow it in the history.")


@bp.app_template_global("replay_state")
def replay_state(call: Call) -> str:
    """What the call page offers: "running", "ready" (the button) or "" (nothing)."""
    if replay_running(call.key):
        return "running"
    return "ready" if replayable(call) else ""


@bp.post("/calls/<key>/replay", endpoint="replay")
@role_required(*REHEARSERS)
def replay(key: str) -> Response:
    call = get_call(key)
    state = replay_state(call)
    if state == "running":
        return refuse(url_for("calls.manage_call", key=call.key), _(RUNNING))
    if state != "ready":
        abort(404)
    actor = actor_of(current_user)
    try:
        target, copied = prepare_replay(current_session(), call, actor)
    except ReplayRefused as refused:
        return refuse(url_for("calls.manage_call", key=call.key), str(refused))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(partial(replay_in_background, app, target.key, actor))
    if copied:
        flash(
            _(
                "Something has already happened in this call, so the replay runs in a fresh "
                "rehearsal copy of it."
            ),
            "info",
        )
    flash(
        _(
            "The replay has started in “%(title)s”. It takes a minute or two; the call's "
            "history says when it is done.",
            title=target.title_in(current_language()),
        ),
        "success",
    )
    return redirect(url_for("calls.manage_call", key=target.key))
