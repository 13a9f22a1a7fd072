"""A version must keep its process model's contract: the processes the application starts, the
start data they read, the messages the call sends the cases (workflows/contract.py)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.workflows.bundle_edits import edited
from tests.workflows.factories import SHIPPED_MODEL, process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import (
    bpmn_documents,
    check_bundle,
    deploy_bundle,
    parse_bundle,
    read_bundle,
)
from workflows.contract import BoundCall, Contract
from workflows.errors import BundleRefused, Problem
from workflows.models import ProcessVersion

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
CALL = "funding_call.bpmn"
NOW = datetime(2026, 12, 4, tzinfo=UTC)


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return read_bundle(BPMN)


def contract(**changes) -> Contract:
    model = SHIPPED_MODEL | changes
    return Contract(
        case_process=model["case_process"],
        call_process=model["call_process"],
        case_start_data=frozenset(model["case_start_data"]),
        call_start_data=frozenset(model["call_start_data"]),
        messages=tuple(model["messages"]),
    )


def errors(files: dict[str, str], given: Contract, bound=()) -> list[Problem]:
    found = check_bundle(files, contract=given, bound=bound)
    return [problem for problem in found if problem.is_error]


def test_the_shipped_files_keep_the_shipped_contract(files):
    assert errors(files, contract()) == []


def test_a_renamed_case_process_is_refused_naming_the_process_and_the_new_id(files):
    renamed = edited(
        files, APPLICATION, 'process id="funding_application"', 'process id="application_v2"'
    )
    renamed = edited(
        renamed, APPLICATION, 'processRef="funding_application"', 'processRef="application_v2"'
    )

    [problem] = errors(renamed, contract())

    assert (problem.file, problem.element) == ("process model", "funding_application")
    assert "the case process 'funding_application' of the contract is missing" in problem.message
    assert "'application_v2' (funding_application.bpmn)" in problem.message


def test_a_start_datum_the_contract_does_not_give_is_refused_at_the_element_reading_it(files):
    without = contract(case_start_data=[n for n in contract().case_start_data if n != "evaluators"])

    [problem] = errors(files, without)

    assert (problem.file, problem.element) == (APPLICATION, "evaluate_application")
    assert "reads 'evaluators', which the process never sets" in problem.message


def test_a_script_reading_a_name_nothing_gives_is_refused(files):
    script = "requested_amount = budget_2021 + budget_2022 + budget_2023"
    changed = edited(files, APPLICATION, script, script + " + budget_2024")

    [problem] = errors(changed, contract())

    assert (problem.file, problem.element) == (APPLICATION, "compute_requested_amount")
    assert "reads 'budget_2024'" in problem.message


def test_a_message_of_the_contract_the_case_process_no_longer_catches_is_refused(files):
    # The decision now goes to another message: the bundle is consistent in itself.
    renamed = edited(
        files,
        APPLICATION,
        '<bpmn:message id="funding_decision_in" name="funding_decision"/>',
        '<bpmn:message id="funding_decision_in" name="decision"/>',
    )
    renamed = edited(
        renamed,
        CALL,
        '<bpmn:message id="funding_decision_out" name="funding_decision"/>',
        '<bpmn:message id="funding_decision_out" name="decision"/>',
    )

    problems = errors(renamed, contract())

    assert [(p.file, p.element) for p in problems] == [
        (APPLICATION, "funding_application"),
        (CALL, "funding_call"),
    ]
    assert "no longer catches the message 'funding_decision'" in problems[0].message
    assert "no longer sends the message 'funding_decision'" in problems[1].message


def test_a_bound_call_keeps_its_running_call_process_whose_messages_must_still_arrive(files):
    """The call runs on the version it started with: a new version whose cases wait for a
    renamed invitation is refused for that call, though it is consistent in itself."""
    renamed = files
    for name in (APPLICATION, CALL):
        renamed = edited(renamed, name, 'name="webinar_invitation"/>', 'name="webinar_invite"/>')
    new_contract = contract(messages=["webinar_invite", "funding_decision"])
    assert errors(renamed, new_contract) == []  # nobody runs the old call process

    bound = [BoundCall("regional-networks-2021", bpmn_documents(files))]
    problems = errors(renamed, new_contract, bound)

    messages = sorted(p.message for p in problems)
    assert len(problems) == 2
    assert "no longer catches the message 'webinar_invitation'" in messages[0]
    assert "running call process of the call regional-networks-2021 sends" in messages[0]
    assert "waits for the message 'webinar_invite'" in messages[1]
    assert {p.element for p in problems} == {"funding_application", "webinar_invitation_received"}


def test_the_deploy_refuses_what_breaks_the_contract_and_stores_nothing(session, files):
    model = process_model(session, "grants")
    script = "requested_amount = budget_2021 + budget_2022 + budget_2023"
    broken = edited(files, APPLICATION, script, script + " + budget_2024")

    with pytest.raises(BundleRefused) as refused:
        deploy_bundle(session, broken, model=model, deployed_by="owner", now=NOW)

    assert "compute_requested_amount" in str(refused.value)
    assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 0


def test_a_version_made_current_again_must_keep_todays_contract(session, files):
    model = process_model(session, "grants")
    first, _ = deploy_bundle(session, files, model=model, deployed_by="owner", now=NOW)
    second, _ = deploy_bundle(
        session,
        edited(files, APPLICATION, 'name="Check eligibility"', 'name="Eligibility"'),
        model=model,
        deployed_by="owner",
        now=NOW,
    )
    model.case_start_data = [n for n in model.case_start_data if n != "evaluators"]

    with pytest.raises(BundleRefused) as refused:
        deploy_bundle(session, files, model=model, deployed_by="owner", now=NOW)

    assert "evaluate_application" in str(refused.value)
    assert (first.is_current, second.is_current) == (False, True)


def test_without_a_contract_the_engine_checks_alone_apply(files):
    assert parse_bundle(files).specs.keys() == {"funding_application", "funding_call"}


def test_a_read_name_is_only_a_warning_where_the_application_gives_the_process_nothing():
    # A SpiffArena model (or a process other models call with their data) gets nothing from
    # the application: a name it reads may come from a caller, so the read is a warning.
    files = {
        "lookup.bpmn": process_file(
            "lookup",
            '<bpmn:startEvent id="start" name="Start"/>'
            '<bpmn:scriptTask id="format" name="Format"><bpmn:script>shown = f"{amount} EUR"'
            "</bpmn:script></bpmn:scriptTask>"
            '<bpmn:endEvent id="end" name="End"/>' + chain("start", "format", "end"),
        )
    }
    given_nothing = Contract(case_process="lookup")
    given_some = Contract(case_process="lookup", case_start_data=frozenset({"case_key"}))

    [warning] = [p for p in check_bundle(files, contract=given_nothing) if "reads" in p.message]
    [error] = errors(files, given_some)

    assert (warning.element, warning.is_error) == ("format", False)
    assert "reads 'amount', which the process never sets" in warning.message
    assert (error.element, error.is_error) == ("format", True)
