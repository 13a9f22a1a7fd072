from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from tests.workflows.factories import SHIPPED_MODEL, process_model
from workflows.json_columns import ENGINE_OPTIONS
from workflows.models import Base, Clock, ProcessModel


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    url = os.environ.get("GRANTFLOW_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'engine.sqlite'}"
    engine = create_engine(url, **ENGINE_OPTIONS)  # the JSON columns as the app writes them
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    if engine.dialect.name == "postgresql":
        # The app's tests leave their tables for the next (tests/conftest.py); here only the
        # engine's models are known, and the app's tables refer to theirs.
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        yield db
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def rehearsal_clock(session: Session) -> Clock:
    from workflows.clock import set_rehearsal_time

    clock = Clock(name="rehearsal", rehearsal=True)
    set_rehearsal_time(clock, datetime.fromisoformat("2021-04-15T16:00:00+03:00"))
    session.add(clock)
    session.flush()
    return clock


@pytest.fixture
def make_model(session: Session) -> Callable[..., ProcessModel]:
    """`make_model("grants")`: a process model with the shipped model's contract; keyword
    arguments change it (`make_model("notes", case_process="minimal", case_start_data=[])`)."""
    return lambda model_id=SHIPPED_MODEL["id"], **contract: process_model(
        session, model_id, **contract
    )
