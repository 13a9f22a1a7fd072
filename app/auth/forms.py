"""The login form (Flask-WTF: it carries the CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter your username.")), Length(max=100)],
        filters=[lambda value: value.strip() if value else value],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=1000)]
    )
