"""The login form (Flask-WTF: it carries the CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Enter your username."), Length(max=100)],
        filters=[lambda value: value.strip() if value else value],
    )
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password."), Length(max=1000)]
    )
