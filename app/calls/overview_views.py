"""A call's overview for its staff (specialists, decision makers, process owners, admins): its
cases by phase and the sums applied for against the budget, by object and by region."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.calls.overview import call_overview
from app.calls.overview_charts import overview_charts, overview_facts
from app.cases.queries import is_staff
from app.extensions import current_session
from app.loaders import get_call
from app.timefmt import format_helsinki
from workflows import clock_now

bp = Blueprint("call_overview", __name__)


@bp.get("/calls/<key>/overview", endpoint="show")
@login_required
def show(key: str) -> str:
    call = get_call(key)
    if call.kind == "standing" or call.discarded_at is not None:
        abort(404)
    if not is_staff(current_user):
        abort(403)
    overview = call_overview(current_session(), call)
    return render_template(
        "calls/overview.html",
        call=call,
        overview=overview,
        facts=overview_facts(overview, call),
        charts=overview_charts(overview, call),
        now=clock_now(call.clock),
        format_helsinki=format_helsinki,
    )
