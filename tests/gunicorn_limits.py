"""What deploy/gunicorn.conf.py lets through to the app, read from the file itself."""

from __future__ import annotations

import runpy
from pathlib import Path

GUNICORN_CONF = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
# The longest request line (method, path, query and version) gunicorn reads; longer is a 414.
LIMIT_REQUEST_LINE: int = runpy.run_path(str(GUNICORN_CONF))["limit_request_line"]
