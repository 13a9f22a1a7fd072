"""The engine's tables as the models create them."""

import pytest
from sqlalchemy import text

from workflows.models import lz4_compression_available

STATE_COMPRESSION = text(
    "SELECT attcompression FROM pg_attribute "
    "WHERE attrelid = 'workflow_instances'::regclass AND attname = 'state'"
)


def test_the_workflow_state_is_compressed_with_lz4_where_postgresql_has_it(session):
    if not lz4_compression_available(session.connection()):
        pytest.skip("lz4 compression: PostgreSQL 14 and later, built with it")
    assert session.scalar(STATE_COMPRESSION) == "l"
