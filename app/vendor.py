"""Browser libraries installed with npm (`npm install --no-audit --no-fund`, see package.json),
served from node_modules: only the files under each package's `dist` folder listed here."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

bp = Blueprint("vendor", __name__)

# package name -> the folder inside it that may be served
SERVED = {"bpmn-js": "dist"}


def node_modules() -> Path:
    configured = current_app.config.get("NODE_MODULES")
    return Path(configured) if configured else Path(current_app.root_path).parent / "node_modules"


@bp.get("/vendor/<package>/<path:filename>", endpoint="asset")
def asset(package: str, filename: str) -> Response:
    folder = SERVED.get(package)
    if folder is None:
        abort(404)
    # send_from_directory refuses paths that leave the folder ("..", absolute paths).
    return send_from_directory(node_modules() / package / folder, filename, max_age=86400)
