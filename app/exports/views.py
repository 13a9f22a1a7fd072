"""Download a call's spreadsheets: specialists, decision makers, process owners and admins."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user, login_required

from app.cases.queries import is_staff
from app.exports import queries
from app.exports.workbook import xlsx
from app.extensions import current_session
from app.i18n import current_language
from app.loaders import get_call

bp = Blueprint("exports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("applications", "evaluations", "ranking")


@bp.get("/calls/<key>/exports/<kind>.xlsx", endpoint="download")
@login_required
def download(key: str, kind: str) -> Response:
    call = get_call(key)
    if not is_staff(current_user):
        abort(403)
    if kind not in KINDS:
        abort(404)
    session = current_session()
    if kind == "applications":
        sheet = queries.applications(session, call)
    elif kind == "evaluations":
        sheet = queries.evaluations(session, call, current_user, current_language())
    else:
        sheet = queries.ranking(session, call)
    return Response(
        xlsx(sheet),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{call.key}-{kind}.xlsx"'},
    )
