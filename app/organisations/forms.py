"""Forms for registering an organisation and joining one by invitation (Flask-WTF: CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from app.auth.models import LANGUAGES, ORG_TYPES
from app.i18n.labels import LANGUAGE_TITLES

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


class RegisterForm(PersonForm):
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
    region = StringField(
        _l("Region (maakunta)"),
        validators=[DataRequired(_l("Enter the region.")), Length(max=100)],
        filters=[_strip],
    )
    municipality = StringField(_l("Municipality"), validators=[Length(max=100)], filters=[_strip])


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email of the person to invite"),
        validators=[DataRequired(_l("Enter an email address.")), EMAIL, Length(max=254)],
    )
