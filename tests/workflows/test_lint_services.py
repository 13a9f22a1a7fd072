"""Service tasks are checked before a deploy (workflows/lint/services.py): a connector grantflow
has no operator for, a SpiffArena secret and a helper not offered are refused with the element
named; a literal url the http connector may not call is a warning."""

from collections.abc import Iterator

import pytest

from tests.workflows.test_http_connector import service_task
from tests.workflows.test_lint import bpmn_file
from workflows.bundles import check_bundle
from workflows.http_connector import configure_http_connector, http_settings


def problems(operator: str, **parameters: str) -> list[tuple[str, str | None, str, str]]:
    found = check_bundle({"minimal.bpmn": bpmn_file(service_task(operator, **parameters))})
    return [(p.file, p.element, p.severity, p.message) for p in found]


@pytest.fixture
def allowed_host() -> Iterator[None]:
    before = http_settings()
    configure_http_connector(allowed_hosts="api.example.org")
    yield
    configure_http_connector(
        allowed_hosts=",".join(before.allowed_hosts), allow_plain_http=before.allow_plain_http
    )


@pytest.mark.parametrize("operator", ["aws/AddDynamoItem", "postgresql/SelectValues", "smtp/Send"])
def test_a_connector_without_an_operator_is_refused_naming_the_element(operator):
    assert problems(operator) == [
        (
            "minimal.bpmn",
            "call_out",
            "error",
            f"the service task 'Call out' calls the connector '{operator}', for which grantflow "
            "has no operator (it runs only the http connector and its own operators)",
        )
    ]


def test_the_http_connector_to_an_allowed_host_passes(allowed_host):
    url = "&#34;https://api.example.org/v1/items&#34;"
    assert problems("http/GetRequest", url=url, headers="{}") == []


def test_a_literal_url_to_a_host_not_allowed_is_a_warning(allowed_host):
    [(file, element, severity, message)] = problems(
        "http/PostRequest", url="&#34;https://elsewhere.example.com/hook&#34;"
    )
    assert (file, element, severity) == ("minimal.bpmn", "call_out", "warning")
    assert "the host elsewhere.example.com is not one the http connector may call" in message


def test_a_url_read_from_task_data_is_judged_when_the_task_runs(allowed_host):
    assert problems("http/GetRequest", url="endpoint") == []


def test_a_parameter_calling_get_secret_is_refused(allowed_host):
    [(_, element, severity, message)] = problems(
        "http/GetRequest", url="&#34;https://api.example.org&#34;", auth="get_secret('KEY')"
    )
    assert (element, severity) == ("call_out", "error")
    assert "calls get_secret, which grantflow does not offer" in message


def test_a_spiffarena_secret_value_is_refused(allowed_host):
    [(_, element, severity, message)] = problems(
        "http/GetRequest",
        url="&#34;https://api.example.org&#34;",
        basic_auth_username="&#34;secret:BAMBOOHR_API_KEY&#34;",
    )
    assert (element, severity) == ("call_out", "error")
    assert message == (
        "the parameter basic_auth_username names a SpiffArena secret (secret:BAMBOOHR_API_KEY), "
        "which grantflow does not offer"
    )
