"""Start grantflow's production processes as a supervisor would: their own interpreter, the
configuration in the environment (no test mapping), a free loopback port."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database_url: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a production process: DATABASE_URL and GRANTFLOW_* settings, with the
    instance files (secret key, uploads, mail) kept in ``tmp_path``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRANTFLOW_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "GRANTFLOW_SECRET_KEY": "deploy-test-secret",
            "GRANTFLOW_UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update({f"GRANTFLOW_{key}": value for key, value in settings.items()})
    return env
