"""Register an applicant organisation; see its people and invite more; edit its details; accept
an invitation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.auth.models import Organisation
from app.extensions import current_session
from app.i18n import current_language
from app.organisations.forms import (
    ORG_TYPE_TITLES,
    InviteForm,
    OrganisationForm,
    PersonForm,
    RegisterForm,
)
from app.organisations.operations import (
    BusinessIdTaken,
    InvitationUsed,
    UsernameTaken,
    accept_invitation,
    invite,
    open_invitation,
    register_organisation,
    update_organisation,
)
from app.organisations.queries import members, pending_invitations, place_names
from app.throttle import limiter, signup_limit
from app.timefmt import format_helsinki

bp = Blueprint("organisations", __name__)


@bp.route("/register", methods=["GET", "POST"], endpoint="register")
@limiter.limit(signup_limit, methods=["POST"])
def register() -> Response | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = register_organisation(
                current_session(),
                name=form.organisation_name.data or "",
                org_type=form.org_type.data or "",
                business_id=form.business_id.data or "",
                region=form.region.data or "",
                municipality=form.municipality.data,
                username=form.username.data or "",
                password=form.password.data or "",
                display_name=form.display_name.data or "",
                email=form.email.data or "",
                language=form.language.data or "fi",
            )
        except UsernameTaken as taken:
            form.username.errors = [str(taken)]
        except BusinessIdTaken as taken:
            form.business_id.errors = [str(taken)]
        else:
            login_user(user)
            name = user.organisation.name  # type: ignore[union-attr]
            flash(_("Welcome. %(organisation)s is registered.", organisation=name), "success")
            return redirect(url_for("cases.index"))
    page = render_template("organisations/register.html", form=form)
    return (page, 422) if form.errors else page


def _own_organisation() -> Organisation:
    organisation: Organisation | None = current_user.organisation
    if organisation is None:
        abort(403)
    return organisation


@bp.route("/organisation", methods=["GET", "POST"], endpoint="show")
@role_required("applicant")
def show() -> Response | str:
    organisation = _own_organisation()
    form = InviteForm()
    if form.validate_on_submit():
        invite(
            current_session(),
            organisation,
            form.email.data or "",
            current_user,
            lambda token: url_for("organisations.accept", token=token, _external=True),
        )
        flash(_("An invitation was sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("organisations.show"))
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        type_title=ORG_TYPE_TITLES.get(organisation.org_type, organisation.org_type),
        place=place_names(organisation, current_language()),
        people=members(current_session(), organisation),
        invitations=pending_invitations(current_session(), organisation),
        form=form,
        format_helsinki=format_helsinki,
    )


@bp.route("/organisation/edit", methods=["GET", "POST"], endpoint="edit")
@role_required("applicant")
def edit() -> Response | tuple[str, int] | str:
    organisation = _own_organisation()
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            update_organisation(
                current_session(),
                organisation,
                business_id=form.business_id.data or "",
                region=form.region.data or "",
                municipality=form.municipality.data,
            )
        except BusinessIdTaken as taken:
            form.business_id.errors = [str(taken)]
        else:
            flash(
                _("The details of %(organisation)s were saved.", organisation=organisation.name),
                "success",
            )
            return redirect(url_for("organisations.show"))
    page = render_template("organisations/edit.html", form=form, organisation=organisation)
    return (page, 422) if form.errors else page


@bp.route("/invitations/<token>", methods=["GET", "POST"], endpoint="accept")
@limiter.limit(signup_limit, methods=["POST"])
def accept(token: str) -> Response | tuple[str, int] | str:
    invitation = open_invitation(current_session(), token)
    if invitation is None:
        return render_template("organisations/invitation_gone.html"), 404
    form = PersonForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(
                current_session(),
                invitation,
                username=form.username.data or "",
                password=form.password.data or "",
                display_name=form.display_name.data or "",
                language=form.language.data or "fi",
            )
        except UsernameTaken as taken:
            form.username.errors = [str(taken)]
        except InvitationUsed:
            return render_template("organisations/invitation_gone.html"), 409
        else:
            login_user(user)
            flash(
                _("Welcome to %(organisation)s.", organisation=invitation.organisation.name),
                "success",
            )
            return redirect(url_for("cases.index"))
    page = render_template("organisations/accept.html", form=form, invitation=invitation)
    return (page, 422) if form.errors else page
