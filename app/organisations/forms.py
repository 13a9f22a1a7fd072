"""Forms for registering an organisation, editing its details and joining one by invitation
(Flask-WTF: CSRF)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from app.auth.models import LANGUAGES, ORG_TYPES
from app.i18n import current_language
from app.i18n.labels import LANGUAGE_TITLES
from app.organisations.business_id import InvalidBusinessId, valid_business_id
from app.reference.places import finland

ORG_TYPE_TITLES = {
    "municipality": _l("Municipality"),
    "joint_municipal_authority": _l("Joint municipal authority"),
    "development_organisation": _l("Development organisation"),
    "educational_institution": _l("Educational institution"),
    "organisation": lazy_pgettext("type of organisation", "Organisation"),
    "leader_group": _l("LEADER group"),
}


EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not an email address."))


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class PersonForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
        filters=[_strip],
    )
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Choose a username.")),
            Regexp(
                r"^[a-z0-9._-]{3,100}$", message=_l("3–100 lowercase letters, digits, . _ or -.")
            ),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    language = SelectField(
        _l("Language of your cases"),
        choices=[SelectChoice(code, LANGUAGE_TITLES[code]) for code in LANGUAGES],
    )
    password = PasswordField(
        _l("Password"), validators=[Length(min=10, max=1000, message=_l("At least 10 characters."))]
    )
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("The passwords differ."))]
    )


def _business_id(_form: FlaskForm, field: Field) -> None:
    try:
        field.data = valid_business_id(field.data or "")
    except InvalidBusinessId as invalid:
        raise ValidationError(str(invalid)) from None


class OrganisationForm(FlaskForm):
    """An organisation's business ID and place: its region and municipality as Statistics
    Finland's codes, chosen from the classification by their names in the page language."""

    business_id = StringField(
        _l("Business ID (Y-tunnus)"),
        validators=[DataRequired(_l("Enter the business ID.")), _business_id],
        filters=[_strip],
    )
    region = SelectField(_l("Region (maakunta)"), validate_choice=False)
    municipality = SelectField(_l("Municipality"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places, language = finland(), current_language()
        self.region.choices = [("", _l("Choose the region")), *places.region_choices(language)]
        self.municipality.choices = [
            ("", _l("No municipality")),
            *places.municipality_choices(language),
        ]

    def validate_region(self, field: Field) -> None:
        if field.data not in finland().regions:
            raise ValidationError(_l("Choose the region."))

    def validate_municipality(self, field: Field) -> None:
        if not field.data:
            field.data = None
            return
        region = finland().region_of(field.data)
        if region is None:
            raise ValidationError(_l("Choose the municipality from the list."))
        if region != self.region.data:
            raise ValidationError(_l("Choose a municipality of the region chosen above."))


class RegisterForm(PersonForm, OrganisationForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email.")), EMAIL, Length(max=254)]
    )
    organisation_name = StringField(
        _l("Organisation"),
        validators=[DataRequired(_l("Enter the organisation's name.")), Length(max=200)],
        filters=[_strip],
    )
    org_type = SelectField(
        _l("Type of organisation"),
        choices=[SelectChoice(key, ORG_TYPE_TITLES[key]) for key in ORG_TYPES],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email of the person to invite"),
        validators=[DataRequired(_l("Enter an email address.")), EMAIL, Length(max=254)],
    )
