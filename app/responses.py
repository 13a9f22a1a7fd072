"""Process files (BPMN, DMN, JSON forms) sent to the browser as text that never runs.

An XML file may carry XHTML with a script; served as XML from our origin, opening it would run
that script with the user's session. Sent as plain text, not sniffed, and sandboxed, it is only
ever read: by the diagram viewer and the modeler (which fetch it), or by a person.
"""

from __future__ import annotations

from werkzeug.wrappers import Response


def process_file(text: str, download_name: str | None = None) -> Response:
    response = Response(text, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response
