"""SpiffArena's script environment in the sandbox (workflows/sandbox_spiffarena.py): the names a
SpiffArena script uses give SpiffArena's results, the helpers read the case and the person, and
what grantflow does not offer is refused at check."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import pytz
from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.test_lint import END, START, USER_TASK, bpmn_file, flow
from workflows.bundles import check_bundle, deploy_bundle
from workflows.clock import set_rehearsal_time
from workflows.engine import complete_task, load_workflow, start_instance
from workflows.models import HumanTask
from workflows.sandbox import SandboxedEnvironment, ScriptRefused, check_source
from workflows.script_context import configure_scripts, script_settings
from workflows.services import Actor


def run(script: str, data: dict | None = None) -> dict:
    data = dict(data or {})
    SandboxedEnvironment().execute(script, data)
    return data


def test_datetime_is_the_class_as_in_spiffarena():
    data = run(
        "moment = datetime.fromisoformat('2024-03-01T10:00:00+00:00') + timedelta(days=1)\n"
        "text = moment.strftime('%Y-%m-%dT%H:%MZ')\n"
        "is_datetime = isinstance(moment, datetime)\n"
        "from_stamp = datetime.utcfromtimestamp(0).isoformat()"
    )
    assert data["moment"] == datetime(2024, 3, 2, 10, tzinfo=UTC)
    assert data["text"] == "2024-03-02T10:00Z"
    assert data["is_datetime"] is True
    assert data["from_stamp"] == "1970-01-01T00:00:00"


def test_a_datetime_from_task_data_is_a_datetime_to_the_script():
    given = datetime(2024, 1, 1, tzinfo=UTC)
    assert run("ok = isinstance(given, datetime)", {"given": given})["ok"] is True


def test_time_and_decimal_give_what_spiffarena_gives():
    data = run(
        "seconds = round(time.time())\n"
        "places = decimal.Decimal('12.345').as_tuple().exponent\n"
        "rounded = str(decimal.Decimal('2.675').quantize(decimal.Decimal('0.01'), "
        "rounding=decimal.ROUND_HALF_UP))"
    )
    assert abs(data["seconds"] - datetime.now(UTC).timestamp()) < 60
    assert data["places"] == -3
    assert data["rounded"] == "2.68"


def test_get_localtime_gives_pytz_s_result():
    moment = datetime(2024, 7, 1, 12, tzinfo=UTC)
    data = run(
        "eastern = get_localtime(moment)\nhelsinki = get_localtime(moment, 'Europe/Helsinki')",
        {"moment": moment},
    )
    assert data["eastern"].isoformat() == moment.astimezone(pytz.timezone("US/Eastern")).isoformat()
    assert data["helsinki"].isoformat() == "2024-07-01T15:00:00+03:00"


def test_a_decimal_left_in_task_data_is_refused_with_the_way_out():
    with pytest.raises(ScriptRefused, match=r"a Decimal in 'amount'.*str\(\) or float\(\)"):
        run("amount = decimal.Decimal('1.50')")
    assert run("amount = str(decimal.Decimal('1.50'))")["amount"] == "1.50"


def test_modules_stay_out_of_reach():
    with pytest.raises(ScriptRefused):
        check_source("x = time.__dict__")
    for source in ("import os", "from time import sleep", "import time, os"):
        with pytest.raises(ScriptRefused, match="import statements are not allowed"):
            check_source(source)


def test_importing_an_offered_name_works_as_in_spiffarena():
    data = run("import time\ntimestamp = time.time()\ntopic = f'topic_{timestamp}'\ndel time")
    assert data["topic"] == f"topic_{data['timestamp']}"
    assert run("import datetime as dt\nyear = dt(2024, 5, 1).year") == {"year": 2024}
    assert run("import time\nnow = round(time.time()) > 0") == {"now": True}  # time stays out


def test_a_script_may_delete_an_offered_name_it_used_as_in_spiffarena():
    data = run("timestamp = time.time()\ntopic = f'topic_{timestamp}'\ndel time")
    assert data == {"timestamp": data["timestamp"], "topic": f"topic_{data['timestamp']}"}
    assert run("when = timedelta(days=1).days") == {"when": 1}  # offered names are no data


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("key = get_secret('API_KEY')", "calls get_secret, which grantflow does not offer"),
        ("set_secret('A', 'b')", "calls set_secret, which grantflow does not offer"),
        ("members = get_group_members('hr')", "needs SpiffArena's own database"),
        ("x = get_whatever()", "not one of the helpers process scripts can call"),
        ("x = get_env()", "an administrator has not set SCRIPT_ENV_IDENTIFIER"),
    ],
)
def test_helpers_not_offered_are_refused_at_check(source, reason):
    with pytest.raises(ScriptRefused, match=reason):
        check_source(source)


def test_a_function_the_script_defines_itself_is_no_helper():
    check_source("def get_total(items):\n    return sum(items)\ntotal = get_total([1, 2])")


@pytest.fixture
def scripts_configured() -> Iterator[None]:
    before = script_settings()
    configure_scripts(
        frontend_url="https://grantflow.example/",
        env_identifier="testing",
        describe_user=lambda session, username: {
            "id": len(username),
            "username": username,
            "email": f"{username}@example.org",
            "display_name": username.title(),
        },
    )
    yield
    configure_scripts(
        frontend_url=before.frontend_url,
        env_identifier=before.env_identifier or "",
        describe_user=before.describe_user,
    )


def test_get_env_answers_the_configured_environment(scripts_configured):
    check_source("x = get_env()")
    assert run("environment = get_env()")["environment"] == "testing"


def test_a_bundle_calling_get_secret_is_refused_naming_file_and_element():
    body = f"""{START}
<bpmn:scriptTask id="read_key" name="Read the key">
  <bpmn:script>key = get_secret("BAMBOOHR")</bpmn:script>
</bpmn:scriptTask>
{END}
{flow("f1", "start", "read_key")}{flow("f2", "read_key", "end")}"""
    problems = check_bundle({"minimal.bpmn": bpmn_file(body)})
    [problem] = [found for found in problems if found.severity == "error"]
    assert (problem.file, problem.element) == ("minimal.bpmn", "read_key")
    assert "calls get_secret, which grantflow does not offer" in problem.message


ASK = USER_TASK.replace("write_note", "ask")
BEFORE = """<bpmn:scriptTask id="who" name="Who"><bpmn:script>starter = get_current_user()
initiator = get_process_initiator_user()
info = get_toplevel_process_info()
page = get_url_for_task_with_bpmn_identifier("ask")
front = get_frontend_url()
started_at = datetime.now()
started_at_utc = datetime.utcnow()</bpmn:script></bpmn:scriptTask>"""
AFTER = """<bpmn:scriptTask id="after" name="After"><bpmn:script>finisher = get_current_user()
answered_by = get_last_user_completing_task("minimal", "ask")</bpmn:script></bpmn:scriptTask>"""
HELPERS_FLOW = f"""{START}{BEFORE}{ASK}{AFTER}{END}
{flow("f1", "start", "who")}{flow("f2", "who", "ask")}{flow("f3", "ask", "after")}
{flow("f4", "after", "end")}"""


def test_the_helpers_read_the_person_the_case_and_the_clock(
    session, rehearsal_clock, scripts_configured
):
    set_rehearsal_time(rehearsal_clock, datetime(2021, 4, 15, 13, 0, tzinfo=UTC))
    model = process_model(session, "helpers", case_process="minimal", case_start_data=[])
    model.group_path = "misc/examples"
    files = {"minimal.bpmn": bpmn_file(HELPERS_FLOW), "forms/note.json": '{"type": "object"}'}
    version, _ = deploy_bundle(session, files, model=model, deployed_by="t", now=datetime.now(UTC))
    anna = Actor("anna", frozenset({"applicant"}))
    instance = start_instance(
        session,
        version,
        "minimal",
        data={},
        clock=rehearsal_clock,
        group_key="g",
        correlation_key="helpers-1",
        actor=anna,
    )
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    data = load_workflow(instance).get_next_task(spec_name="ask").data
    anna_dict = {"id": 4, "username": "anna", "email": "anna@example.org", "display_name": "Anna"}
    assert data["starter"] == anna_dict
    assert data["initiator"] == anna_dict
    assert data["info"] == {
        "process_instance_id": instance.id,
        "process_model_identifier": "misc/examples/helpers",
    }
    assert data["page"] == f"https://grantflow.example/tasks/{instance.id}/{task.task_id}"
    assert data["front"] == "https://grantflow.example"
    # The case's clock (a rehearsal set to 13:00 UTC and running since), not the wall clock.
    since_set = data["started_at"] - datetime(2021, 4, 15, 13, 0)
    assert timedelta(0) <= since_set < timedelta(seconds=60)
    assert data["started_at_utc"] == data["started_at"]

    bertil = Actor("bertil", frozenset({"applicant"}))
    complete_task(session, instance.id, task.task_id, {}, actor=bertil)
    final = load_workflow(instance).task_tree.data | {
        key: value
        for found in load_workflow(instance).get_tasks()
        if found.task_spec.name == "end"
        for key, value in found.data.items()
    }
    assert final["finisher"]["username"] == "bertil"
    assert final["answered_by"] == {
        "id": 6,
        "username": "bertil",
        "email": "bertil@example.org",
        "display_name": "Bertil",
    }
    assert final["started_at"] == data["started_at"]  # a datetime in task data is kept


def test_pytz_gives_pytz_s_results():
    data = run(
        "import pytz\n"
        "zone = pytz.timezone('Europe/Helsinki')\n"
        "local = zone.localize(datetime(2024, 3, 31, 12, 0)).isoformat()\n"
        "in_utc = datetime(2024, 1, 1, 12, tzinfo=pytz.utc).astimezone(zone).isoformat()\n"
        "del zone"  # a time zone is no task data, in SpiffArena either
    )
    zone = pytz.timezone("Europe/Helsinki")
    assert data["local"] == zone.localize(datetime(2024, 3, 31, 12, 0)).isoformat()
    assert data["local"] == "2024-03-31T12:00:00+03:00"
    assert data["in_utc"] == "2024-01-01T14:00:00+02:00"
