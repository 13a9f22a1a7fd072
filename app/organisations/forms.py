"""Forms for registering an organisation and joining one by invitation (Flask-WTF: CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from app.auth.models import LANGUAGES, ORG_TYPES

ORG_TYPE_TITLES = {
    "municipality": "Municipality",
    "joint_municipal_authority": "Joint municipal authority",
    "development_organisation": "Development organisation",
    "educational_institution": "Educational institution",
    "organisation": "Organisation",
    "leader_group": "LEADER group",
}
LANGUAGE_TITLES = {"fi": "Suomi (Finnish)", "sv": "Svenska (Swedish)", "en": "English"}


EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Not an email address.")


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class PersonForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=200)],
        filters=[_strip],
    )
    username = StringField(
        "Username",
        validators=[
            DataRequired("Choose a username."),
            Regexp(r"^[a-z0-9._-]{3,100}$", message="3–100 lowercase letters, digits, . _ or -."),
        ],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    language = SelectField(
        "Language of your cases",
        choices=[SelectChoice(code, LANGUAGE_TITLES[code]) for code in LANGUAGES],
    )
    password = PasswordField(
        "Password", validators=[Length(min=10, max=1000, message="At least 10 characters.")]
    )
    confirm = PasswordField(
        "Password again", validators=[EqualTo("password", message="The passwords differ.")]
    )


class RegisterForm(PersonForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter your email."), EMAIL, Length(max=254)]
    )
    organisation_name = StringField(
        "Organisation",
        validators=[DataRequired("Enter the organisation's name."), Length(max=200)],
        filters=[_strip],
    )
    org_type = SelectField(
        "Type of organisation",
        choices=[SelectChoice(key, ORG_TYPE_TITLES[key]) for key in ORG_TYPES],
    )
    region = StringField(
        "Region (maakunta)",
        validators=[DataRequired("Enter the region."), Length(max=100)],
        filters=[_strip],
    )
    municipality = StringField("Municipality", validators=[Length(max=100)], filters=[_strip])


class InviteForm(FlaskForm):
    email = EmailField(
        "Email of the person to invite",
        validators=[DataRequired("Enter an email address."), EMAIL, Length(max=254)],
    )
