"""The grantflow Flask application: `create_app` builds and configures it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from app import config as default_config
from app import i18n, input_checks, requests, security_headers, sessions, throttle
from app.cases import sync
from app.cases.queries import is_staff
from app.extensions import csrf, db, login_manager, migrate
from app.money import format_money
from app.refusals import register_refusal_pages
from app.timefmt import format_helsinki


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Config: app/config.py, then instance/config.py, then the environment
    (`DATABASE_URL`, `GRANTFLOW_<KEY>`), then `test_config`."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    sessions.init_app(app)
    throttle.init_app(app)
    security_headers.init_app(app)
    input_checks.init_app(app)  # before the blueprints: their rules bind its `int`

    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    requests.init_app(
        app, commit=lambda: db.session.commit(), rollback=lambda: db.session.rollback()
    )
    sync.init_app()
    configure_engine_limits(app)
    if count := int(app.config["PROXY_COUNT"]):
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    return app


def configure_engine_limits(app: Flask) -> None:
    """Hand the sandbox and task-data limits to the engine layer (it does not read Flask's
    config). Changing a limit replaces the sandbox's worker processes; the same values keep
    them."""
    from app.auth.models import ROLES
    from app.auth.queries import describe_user_for_scripts
    from workflows.http_connector import configure_http_connector
    from workflows.lanes import set_role_names
    from workflows.sandbox import configure_sandbox
    from workflows.script_context import configure_scripts
    from workflows.task_data import set_task_data_limit

    configure_sandbox(
        time_seconds=float(app.config["SANDBOX_TIME_LIMIT_SECONDS"]),
        memory_bytes=int(app.config["SANDBOX_MEMORY_LIMIT_BYTES"]),
        result_bytes=int(app.config["SANDBOX_RESULT_MAX_BYTES"]),
        workers=int(app.config["SANDBOX_WORKERS"]),
    )
    set_task_data_limit(int(app.config["TASK_DATA_MAX_BYTES"]))
    set_role_names(ROLES)  # lanes named after a role need no mapping
    configure_scripts(
        frontend_url=str(app.config["FRONTEND_URL"] or ""),
        env_identifier=str(app.config["SCRIPT_ENV_IDENTIFIER"] or ""),
        describe_user=describe_user_for_scripts,
    )
    configure_http_connector(
        allowed_hosts=str(app.config["HTTP_CONNECTOR_ALLOWED_HOSTS"] or ""),
        timeout_seconds=float(app.config["HTTP_CONNECTOR_TIMEOUT_SECONDS"]),
        max_bytes=int(app.config["HTTP_CONNECTOR_MAX_BYTES"]),
        allow_plain_http=bool(app.config["HTTP_CONNECTOR_ALLOW_PLAIN_HTTP"]),
    )


def load_config(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    app.config.from_object(default_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "grantflow.sqlite"
    )
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("GRANTFLOW")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = read_or_create_secret_key(app.instance_path)


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3 (SQLAlchemy's default driver is psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_or_create_secret_key(instance_path: str) -> str:
    """Return the key in instance/secret_key, creating it (mode 0600) on first use.

    Several processes may start at once: the key is written to a private temporary file and
    linked into place, so every process ends up reading the same complete key.
    """
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    with open(path) as f:
        return f.read().strip()


def register_blueprints(app: Flask) -> None:
    from app.auth.views import bp as auth_bp

    app.register_blueprint(auth_bp)
    app.add_url_rule("/", "index", index)

    from app import cli
    from app.attachments.views import bp as attachments_bp
    from app.cases import registry  # noqa: F401 - registers the register_document operator
    from app.cases.views import bp as cases_bp
    from app.notifications import operators  # noqa: F401 - registers the notify operator
    from app.organisations.views import bp as organisations_bp
    from app.tasks.preview_views import bp as task_previews_bp
    from app.tasks.views import bp as tasks_bp

    app.register_blueprint(cases_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(task_previews_bp)
    cli.init_app(app)

    from app.calls.overview_views import bp as call_overview_bp
    from app.calls.public_views import bp as public_bp
    from app.calls.views import bp as calls_bp
    from app.exports.views import bp as exports_bp
    from app.incidents.views import bp as incidents_bp
    from app.notifications.views import bp as notifications_bp
    from app.processes import (  # noqa: F401 - register their pages
        drafts,
        editor,
        model_views,
        spiffarena_views,
    )
    from app.processes.views import bp as processes_bp
    from app.replay import views as replay_views  # noqa: F401 - the call page's replay button
    from app.vendor import bp as vendor_bp

    app.register_blueprint(calls_bp)
    app.register_blueprint(call_overview_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(incidents_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(processes_bp)
    app.register_blueprint(vendor_bp)


def index() -> Response:
    """The start page: an applicant's applications, staff's task list; for everyone else the
    open calls."""
    if current_user.is_authenticated:
        staff = is_staff(current_user)
        return redirect(url_for("tasks.inbox" if staff else "cases.mine"))
    return redirect(url_for("public.calls"))


def message_for_people(error: HTTPException) -> str | None:
    """The description a view gave `abort()` for the person who asked; None for werkzeug's
    default texts and Flask-WTF's CSRF reasons (the error pages explain those themselves)."""
    default = getattr(type(error), "description", None)
    if isinstance(error, CSRFError) or not isinstance(default, str):
        return None
    return error.description if error.description != default else None


def register_error_handlers(app: Flask) -> None:
    def render_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        message = message_for_people(error)
        return render_template(f"errors/{code}.html", error=error, message=message), code

    def render_server_error(error: HTTPException) -> tuple[str, int]:
        db.session.rollback()
        return render_template("errors/500.html", error=error), 500

    for code in (400, 403, 404, 405):
        app.register_error_handler(code, render_error)
    app.register_error_handler(500, render_server_error)
    register_refusal_pages(app)


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(format_helsinki, "helsinki")
    app.add_template_filter(format_money, "euros")  # in the page language

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        return {"has_endpoint": lambda name: name in app.view_functions}
