import pytest

from workflows.sandbox import (
    SandboxedEnvironment,
    ScriptRefused,
    ScriptTimeout,
    check_source,
    helsinki_deadline,
)


def test_script_sets_variables_in_task_data():
    data = {"budget_2021": 100, "budget_2022": 200}
    SandboxedEnvironment().execute("requested_amount = budget_2021 + budget_2022", data)
    assert data["requested_amount"] == 300


def test_expression_reads_task_data():
    assert SandboxedEnvironment().evaluate("score >= 3", {"score": 4}) is True


def test_comprehensions_and_helpers_work():
    data = {"partners": [{"region": "Uusimaa"}, {"region": "Pirkanmaa"}, {"region": "Uusimaa"}]}
    SandboxedEnvironment().execute("regions = len(set(p['region'] for p in partners))", data)
    assert data["regions"] == 2


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import os", "import statements are not allowed"),
        ("from os import path", "import statements are not allowed"),
        ("data = open('/etc/passwd').read()", "open() is not allowed"),
        ("x = ().__class__.__base__.__subclasses__()", '"__subclasses__" is an invalid attribute'),
        ("x = getattr(1, 'real')", "getattr() is not allowed"),
        ("x = eval('1')", "eval() is not allowed"),
        ("x = (", "syntax error"),
    ],
)
def test_dangerous_scripts_are_refused_with_the_reason(source, reason):
    with pytest.raises(ScriptRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_source(source)


def test_refused_script_does_not_run():
    data: dict = {}
    with pytest.raises(ScriptRefused):
        SandboxedEnvironment().execute("import os\nleaked = os.environ", data)
    assert data == {}


def test_endless_loop_stops_at_the_time_limit():
    with pytest.raises(ScriptTimeout):
        SandboxedEnvironment().execute("x = 0\nwhile True:\n    x += 1", {})


def test_helsinki_deadline_has_the_summer_offset():
    assert helsinki_deadline("2021-06-02") == "2021-06-02T16:15:00+03:00"
    assert helsinki_deadline("2021-03-16", "09:00") == "2021-03-16T09:00:00+02:00"


@pytest.mark.parametrize("value", ["float('nan')", "float('inf')", "[1, -float('inf')]"])
def test_a_script_leaving_nan_or_infinity_fails_as_no_data(value):
    # JSON has no word for them: a state holding one could not be stored on PostgreSQL.
    with pytest.raises(ScriptRefused, match="not data: Out of range float"):
        SandboxedEnvironment().execute(f"x = {value}", {})
