"""Flask extensions, created once and bound to the app in `create_app`.

All models, the engine layer's and the app's, subclass `workflows.models.Base`; there is one
metadata and one mapper registry. Flask-SQLAlchemy 3.1 cannot wrap that Base as `model_class`
on SQLAlchemy 2.1 (it copies the Base's `registry` and `type_annotation_map` into a new base,
which SQLAlchemy refuses), so the extension is given Base's metadata instead. Use `Base`, never
`db.Model`; query with `db.session.execute(select(...))`.

Transactions: operations only `flush()`; views never commit. The request boundary
(app/requests.py) commits once when the view answered below 400 and rolls back otherwise; the
CLI and the worker's jobs commit their own transactions.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from workflows.models import Base

db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite ignores foreign keys unless told per connection; WAL lets readers and the worker
    thread run next to a writer. In WAL mode, synchronous=NORMAL syncs at checkpoints rather
    than every commit: the database cannot be corrupted, and a commit is lost only if the
    machine itself loses power right after it (SQLite is the embedded demo; production runs
    PostgreSQL)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def current_session() -> Session:
    """This request's session, typed as the plain SQLAlchemy Session that operations take."""
    return db.session()
