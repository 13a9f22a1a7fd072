"""SpiffArena's http connector (workflows/http_connector.py), against a real HTTP server on
127.0.0.1: the result SpiffArena stores, the host allowlist both ways, and the limits."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.test_lint import END, START, bpmn_file, flow
from workflows.bundles import deploy_bundle
from workflows.engine import load_workflow, start_instance
from workflows.http_connector import ConnectorRefused, call, configure_http_connector, http_settings
from workflows.models import Incident
from workflows.services import SYSTEM

SEEN: list[dict] = []


def service_task(operator: str, **parameters: str) -> str:
    given = "".join(
        f'<spiffworkflow:parameter id="{key}" type="any" value="{value}"/>'
        for key, value in parameters.items()
    )
    return f"""{START}
<bpmn:serviceTask id="call_out" name="Call out">
  <bpmn:extensionElements>
    <spiffworkflow:serviceTaskOperator id="{operator}" resultVariable="answer">
      <spiffworkflow:parameters>{given}</spiffworkflow:parameters>
    </spiffworkflow:serviceTaskOperator>
  </bpmn:extensionElements>
</bpmn:serviceTask>
{END}
{flow("f1", "start", "call_out")}{flow("f2", "call_out", "end")}"""


class Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length).decode() if length else ""
        SEEN.append(
            {
                "method": self.command,
                "path": self.path,
                "body": sent,
                "auth": self.headers.get("Authorization"),
                "accept": self.headers.get("Accept"),
            }
        )
        if self.path.startswith("/elsewhere"):
            self.send_response(302)
            self.send_header("Location", "http://localhost:1/stolen")
            self.end_headers()
            return
        if self.path.startswith("/missing"):
            payload, status, kind = b"no such thing", 404, "text/plain"
        elif self.path.startswith("/big"):
            payload, status, kind = b"x" * 5000, 200, "text/plain"
        elif self.path.startswith("/text"):
            payload, status, kind = b"hello", 200, "text/plain"
        else:
            payload = json.dumps({"method": self.command, "path": self.path}).encode()
            status, kind = 200, "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    before = http_settings()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    configure_http_connector(allowed_hosts=host, allow_plain_http=True, max_bytes=4096)
    SEEN.clear()
    yield f"http://{host}"
    configure_http_connector(
        allowed_hosts=",".join(before.allowed_hosts),
        allow_plain_http=before.allow_plain_http,
        max_bytes=before.max_bytes,
    )
    httpd.shutdown()
    httpd.server_close()


def test_a_get_gives_what_spiffarena_stores(server):
    result = call(
        "http/GetRequest",
        {"url": f"{server}/items", "params": {"name": "istanbul"}, "headers": {"Accept": "x/y"}},
    )
    assert result == {
        "body": {"method": "GET", "path": "/items?name=istanbul"},
        "mimetype": "application/json",
        "http_status": 200,
        "headers": {},
        "operator_identifier": "http/GetRequest",
    }
    assert SEEN[0]["accept"] == "x/y"


def test_a_post_sends_json_and_basic_auth(server):
    result = call(
        "http/PostRequest",
        {
            "url": f"{server}/hook",
            "data": {"amount": 5},
            "basic_auth_username": "user",
            "basic_auth_password": "pass",
        },
    )
    assert result["body"] == {"method": "POST", "path": "/hook"}
    assert SEEN[0]["body"] == '{"amount": 5}'
    assert SEEN[0]["auth"] == "Basic dXNlcjpwYXNz"


def test_a_text_answer_is_a_raw_response(server):
    assert call("http/GetRequest", {"url": f"{server}/text"})["body"] == {"raw_response": "hello"}


def test_a_host_not_allowed_is_never_called(server):
    configure_http_connector(allowed_hosts="api.example.org")
    with pytest.raises(ConnectorRefused, match="the host 127.0.0.1 is not one"):
        call("http/GetRequest", {"url": f"{server}/items"})
    assert SEEN == []


def test_plain_http_needs_the_setting(server):
    configure_http_connector(allow_plain_http=False)
    with pytest.raises(ConnectorRefused, match="plain http"):
        call("http/GetRequest", {"url": f"{server}/items"})
    assert SEEN == []


def test_a_redirect_to_another_host_is_not_followed(server):
    with pytest.raises(ConnectorRefused, match="redirects to another host"):
        call("http/GetRequest", {"url": f"{server}/elsewhere"})


def test_an_error_status_fails_with_spiffarenas_error_code(server):
    with pytest.raises(ConnectorRefused, match="HttpError404.*no such thing"):
        call("http/GetRequest", {"url": f"{server}/missing"})


def test_an_answer_over_the_size_limit_is_refused(server):
    with pytest.raises(ConnectorRefused, match="larger than the limit of 4096 bytes"):
        call("http/GetRequest", {"url": f"{server}/big"})


def test_a_spiffarena_secret_is_never_sent(server):
    with pytest.raises(ConnectorRefused, match="names a SpiffArena secret"):
        call("http/GetRequest", {"url": f"{server}/x", "basic_auth_username": "secret:KEY"})
    assert SEEN == []


def run_service(session, clock, url_expression: str):
    model = process_model(session, "http", case_process="minimal", case_start_data=[])
    files = {"minimal.bpmn": bpmn_file(service_task("http/GetRequest", url=url_expression))}
    version, _ = deploy_bundle(session, files, model=model, deployed_by="t", now=datetime.now(UTC))
    return start_instance(
        session,
        version,
        "minimal",
        data={},
        clock=clock,
        group_key="g",
        correlation_key="http-1",
        actor=SYSTEM,
    )


def test_a_service_task_stores_the_result_in_its_result_variable(session, rehearsal_clock, server):
    instance = run_service(session, rehearsal_clock, f"&#34;{server}/items&#34;")
    assert instance.status == "completed"
    [end] = [t for t in load_workflow(instance).get_tasks() if t.task_spec.name == "end"]
    assert end.data["answer"]["body"] == {"method": "GET", "path": "/items"}
    assert end.data["answer"]["http_status"] == 200


def test_a_service_task_to_a_host_not_allowed_becomes_an_incident(session, rehearsal_clock, server):
    configure_http_connector(allowed_hosts="api.example.org")
    instance = run_service(session, rehearsal_clock, f"&#34;{server}/items&#34;")
    incident = session.scalar(select(Incident).where(Incident.instance_id == instance.id))
    assert incident is not None
    assert "is not one the http connector may call" in incident.error
    assert SEEN == []
