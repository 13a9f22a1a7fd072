"""Security headers on every answer: pages, static files, error pages.

The policy (``CONTENT_SECURITY_POLICY`` in app/config.py) lets scripts and styles come from this
site only: the templates carry no inline script and no ``on...=`` handlers (page scripts live in
app/static). Framing is refused twice (``frame-ancestors 'none'`` and ``X-Frame-Options``) for
browsers that know only one. HSTS goes out when the request came over HTTPS or the app is
configured as served over HTTPS (``HTTPS``); a browser ignores it over plain HTTP anyway.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, request
from werkzeug.wrappers import Response


def policy_text(policy: Mapping[str, str] | str) -> str:
    """'default-src 'self'; frame-ancestors 'none'' from a mapping of directives."""
    if isinstance(policy, str):
        return policy
    return "; ".join(f"{name} {value}".strip() for name, value in policy.items())


def init_app(app: Flask) -> None:
    config = app.config

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        csp = config.get("CONTENT_SECURITY_POLICY")
        if csp:
            headers.setdefault("Content-Security-Policy", policy_text(csp))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", config.get("REFERRER_POLICY", "same-origin"))
        if config.get("PERMISSIONS_POLICY"):
            headers.setdefault("Permissions-Policy", config["PERMISSIONS_POLICY"])
        seconds = int(config.get("HSTS_SECONDS") or 0)
        if seconds and (request.is_secure or config.get("HTTPS")):
            headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
        return response
