"""Configuration defaults. Loaded first; `instance/config.py`, the environment and a test mapping
override them in that order (see `app.create_app`).

`SQLALCHEMY_DATABASE_URI` defaults to a SQLite file in the instance folder, and `SECRET_KEY`
to a key generated once into `instance/secret_key`; both are filled in by `create_app`.
"""

from __future__ import annotations

from workflows.json_columns import ENGINE_OPTIONS as _json_columns

# Served over HTTPS (behind nginx with TLS): cookies are Secure, HSTS is sent, external links
# are https. `make run` and the tests serve plain HTTP and turn it off (GRANTFLOW_HTTPS=false).
HTTPS = True
HSTS_SECONDS = 365 * 24 * 60 * 60  # 0: no Strict-Transport-Security header

# Sessions and cookies. None: follow HTTPS (app/sessions.py); set True or False to override.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE: bool | None = None
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_SECURE: bool | None = None
# A sign-in lasts at most this long, and ends after this long without a request.
PERMANENT_SESSION_LIFETIME = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = 4 * 60 * 60

# Login throttling (app/throttle.py, Flask-Limiter): failed sign-ins per account and per client
# address; sign-ups and invitation acceptances per address; password changes per account.
# Memory storage suits one process (`make run`); with several gunicorn workers point
# RATELIMIT_STORAGE_URI at a shared store (e.g. "redis://localhost:6379").
RATELIMIT_STORAGE_URI = "memory://"
LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "50 per 15 minutes"
SIGNUP_LIMIT_PER_ADDRESS = "20 per hour"
PASSWORD_CHANGE_LIMIT = "10 per 15 minutes"

# The Content-Security-Policy of every answer (app/security_headers.py). Scripts and styles
# come from this site only: no inline script or style, no eval. The diagram viewer and the
# modeler (bpmn-js) style through the DOM, which the policy allows; the browser tests fail on
# anything the policy blocks. bpmn-js's icon font is a data: URL.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# werkzeug's password hashing; the test suite sets a cheap one ("pbkdf2:sha256:1000").
PASSWORD_HASH_METHOD = "scrypt"

# A CSRF token stays valid for a working day: applicants fill long forms slowly, and an expired
# token would throw away what they typed. The token is bound to the session anyway.
WTF_CSRF_TIME_LIMIT = 12 * 60 * 60

# Database
# hide_parameters: an error's text (logged) never carries the values sent, e.g. a password hash.
# The JSON columns are written and read by orjson (workflows/json_columns.py).
SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {
    "pool_pre_ping": True,
    "hide_parameters": True,
    **_json_columns,
}

# Uploads (attachments) and request size
MAX_CONTENT_LENGTH = 32 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# An office document (.docx, .odt, ...) is a zip: all its parts together unpack to at most this.
ATTACHMENT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
UPLOAD_FOLDER: str | None = None  # default: instance/uploads (outside the web root)

# Presentation
APP_NAME = "grantflow"
TIMEZONE = "Europe/Helsinki"
LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

# Email: over SMTP when MAIL_SERVER is set; otherwise written as .eml files to instance/mail/.
MAIL_SERVER: str | None = None
MAIL_PORT = 25
MAIL_FROM = "kirjaamo@grantflow.example"

# The worker beside the web app fires timers and sends the outbox every few seconds.
WORKER_INTERVAL_SECONDS = 2.0
# The worker's process (`flask grantflow worker`) runs at this niceness: when the web processes
# want the cores, as in a rush at a deadline, they come first, and the receipts of the sends
# go out a few seconds later (`make load`'s burst: 84–93 sends a second before, 92–107 after).
# An idle machine runs the worker at full speed. 0 leaves its priority as started.
WORKER_NICENESS = 10
# A deadline's timer fires this long after the deadline, so that every form sent before it
# (judged by its arrival) is through first. Keep it above the longest a request may wait and
# run: the proxy's read timeout (deploy/nginx.conf: 90 s) and gunicorn's timeout (60 s).
TIMER_GRACE_SECONDS = 120.0
WORKER_TIMER_BATCH = 200  # instances per clock per pass
# Timers are fired this many instances (at most, or about this long) to a transaction, which
# holds them until it commits: a request for one of them waits that long at most.
WORKER_TIMER_TRANSACTION = 50
WORKER_TIMER_TRANSACTION_SECONDS = 0.5
WORKER_DELIVERY_BATCH = 500  # message deliveries per pass
# Messages are delivered this many (at most, or about this long) to a transaction, which holds
# their cases until it commits: a request for one of them waits that long at most.
WORKER_DELIVERY_TRANSACTION = 50
WORKER_DELIVERY_TRANSACTION_SECONDS = 0.5
WORKER_OUTBOX_BATCH = 50  # emails per pass
# Messages a request sent (a decision to each case) delivered right after it, in transactions
# of WORKER_DELIVERY_TRANSACTION; the worker delivers the rest.
INLINE_DELIVERY_LIMIT = 50
# An email still "sending" after this long: its worker died; it is put in doubt (not resent).
OUTBOX_SEND_TIMEOUT_SECONDS = 300.0
# Behind this many reverse proxies (1: nginx), the client's address, host and scheme are read
# from X-Forwarded-For/-Host/-Proto (werkzeug's ProxyFix); 0 believes no such header.
PROXY_COUNT = 0
# Behind a reverse proxy that stamps X-Request-Start (nginx: `t=${msec}`), arrival is its stamp.
TRUST_REQUEST_START_HEADER = False

# Scripts and expressions of process files run in SANDBOX_WORKERS worker processes per server
# process, each call within a wall and CPU time limit, an address-space limit, and a cap on the
# data it returns (workflows/sandbox.py). A case's task data is capped after every step.
SANDBOX_TIME_LIMIT_SECONDS = 1.0
SANDBOX_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024
SANDBOX_RESULT_MAX_BYTES = 1024 * 1024
SANDBOX_WORKERS = 2
TASK_DATA_MAX_BYTES = 1024 * 1024

# SpiffArena's script helpers (workflows/sandbox_spiffarena.py): get_frontend_url() and the task
# addresses start with FRONTEND_URL (where people reach grantflow; "" gives paths); get_env()
# answers SCRIPT_ENV_IDENTIFIER ("production", "testing"...), and a script calling it is refused
# at check while it is unset.
FRONTEND_URL = ""
SCRIPT_ENV_IDENTIFIER: str | None = None
# Service tasks with SpiffArena's http connector (http/GetRequest, http/PostRequest...) call only
# these hosts (a comma list, "api.example.org,127.0.0.1:8080"; empty: none), over https unless
# plain http is allowed, within the time limit, taking at most HTTP_CONNECTOR_MAX_BYTES.
HTTP_CONNECTOR_ALLOWED_HOSTS = ""
HTTP_CONNECTOR_TIMEOUT_SECONDS = 10.0
HTTP_CONNECTOR_MAX_BYTES = 1024 * 1024
HTTP_CONNECTOR_ALLOW_PLAIN_HTTP = False
