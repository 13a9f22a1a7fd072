import shutil
from pathlib import Path

from sqlalchemy import func, select

from app.auth.models import User
from app.calls.models import Call
from app.extensions import db
from workflows.models import ProcessVersion, WorkflowInstance

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_setup_demo_twice_duplicates_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["grantflow", "setup-demo"])
    second = runner.invoke(args=["grantflow", "setup-demo"])
    assert first.exit_code == 0, first.output
    assert "8 demo account(s) created" in first.output
    assert "0 demo account(s) created" in second.output
    assert "already set up" in second.output
    assert "call regional-networks-2022 already set up" in second.output
    # one version; the 2021 call and its 2022 copy, each with its call process
    assert (count(app, ProcessVersion), count(app, Call), count(app, User)) == (1, 2, 8)
    assert count(app, WorkflowInstance) == 2


def test_deploy_refuses_a_folder_whose_script_imports_os(app, tmp_path):
    folder = tmp_path / "bpmn"
    shutil.copytree(BPMN, folder)
    model = folder / "funding_application.bpmn"
    model.write_text(
        model.read_text().replace(
            "<bpmn:script>requested_amount = budget_2021 + budget_2022 + budget_2023</bpmn:script>",
            "<bpmn:script>import os</bpmn:script>",
        )
    )
    result = app.test_cli_runner().invoke(args=["grantflow", "deploy", str(folder)])
    assert result.exit_code == 1
    assert "element 'compute_requested_amount'" in result.output
    assert "import statements are not allowed" in result.output
    assert count(app, ProcessVersion) == 0


def test_the_clock_command_moves_the_rehearsal_clock_past_the_next_timer(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["grantflow", "setup-demo"])
    shown = runner.invoke(args=["grantflow", "clock", "regional-networks-2021"])
    assert "next timer: 15.4.2021 16:15:00 (UTC+03:00)" in shown.output
    moved = runner.invoke(args=["grantflow", "clock", "regional-networks-2021", "--next"])
    assert moved.exit_code == 0, moved.output
    # The rehearsal clock runs on from where it was set while the due timers fire.
    assert "clock set to 15.4.2021 16:15:01 (UTC+03:00)" in moved.output
    assert "1 instance(s) advanced" in moved.output
    assert "next timer: 2.6.2021 16:15:00 (UTC+03:00)" in moved.output


def test_the_clock_command_wants_an_offset(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["grantflow", "setup-demo"])
    result = runner.invoke(
        args=["grantflow", "clock", "regional-networks-2021", "--to", "2021-04-15T16:00"]
    )
    assert result.exit_code == 1
    assert "give the time with its offset" in result.output
