"""`make bench`: the lifecycle of N cases of the shipped application process, persisted and not.

Persisted: every step goes through the engine layer in its own transaction, as a request or a
worker job would (load, run, save state + indexes + audit, commit), on SQLite and, when
GRANTFLOW_BENCH_DATABASE_URL (or GRANTFLOW_TEST_DATABASE_URL) is set, on PostgreSQL: a scratch
database, dropped and created.
In memory: the same steps on BpmnWorkflow objects that are never saved.
The service tasks call two small operators defined here (no registry office, no mail), so the
figures are the engine layer's own cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.orm import Session

from workflows import bench_sandbox, bundles
from workflows.clock import running_on, set_rehearsal_time, wall_now
from workflows.engine import complete_task, deliver, start_instance
from workflows.json_columns import ENGINE_OPTIONS
from workflows.models import (
    AuditEvent,
    Base,
    Clock,
    HumanTask,
    MessageDelivery,
    ProcessModel,
    ProcessVersion,
    ThrownMessage,
    WorkflowInstance,
)
from workflows.services import SCRIPT_ENGINE, Actor, ServiceCall, register_operator, serving

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
PROCESS = "funding_application"
APPLICANT = Actor("applicant", frozenset({"applicant"}))
SPECIALIST = Actor("specialist", frozenset({"specialist"}))
EVALUATOR = Actor("evaluator", frozenset({"specialist"}))
# Statistics Finland's codes, as the idea form has them: Nokia, Ylöjärvi (Pirkanmaa), Hämeenlinna,
# Janakkala (Kanta-Häme).
PARTNERS = [
    {
        "name": f"Municipality {municipality}",
        "type": "municipality",
        "region": region,
        "municipality": municipality,
        "contact_person": f"Contact of {municipality}",
        "email": f"contact@{municipality}.example",
    }
    for region, municipality in [("06", "536"), ("06", "980"), ("05", "109"), ("05", "165")]
]
SCORES = {"relevance": 4, "inter_regional_cooperation": 3, "impact": 4, "feasibility": 5}
STEPS: list[tuple[str, Actor, dict[str, Any]]] = [
    (
        "send_idea_proposal",
        APPLICANT,
        {
            "project_name": "Bench network",
            "application_object": "theme_network",
            "regional_city_network": False,
            "partners": PARTNERS,
            "summary": "x" * 2000,
            "requested_amount_estimate": 400000,
        },
    ),
    (
        "webinar_invitation",
        APPLICANT,
        {"title": "Webinar", "starts_at": "2021-04-20T12:30:00+03:00"},
    ),
    (
        "screen_idea",
        SPECIALIST,
        {"akke_compatible": True, "screening_result": "proceed", "feedback": ""},
    ),
    (
        "send_application",
        APPLICANT,
        {
            "plan": "y" * 4000,
            "budget_2021": 100000,
            "budget_2022": 150000,
            "budget_2023": 150000,
            "cofunding": 50000,
            "contact_person": "A",
            "contact_email": "a@example.fi",
        },
    ),
    ("check_application", SPECIALIST, {"complete": True}),
    (
        "evaluate_application",
        SPECIALIST,
        {"no_conflict_of_interest": True, "scores": SCORES, "comments": "ok"},
    ),
    (
        "evaluate_application",
        EVALUATOR,
        {"no_conflict_of_interest": True, "scores": SCORES, "comments": "ok"},
    ),
    ("funding_decision", SPECIALIST, {"granted": True, "amount": 300000, "justification": "Good"}),
]


def _shipped_model(session: Session) -> ProcessModel:
    """The process model the shipped files describe (bpmn/model.json)."""
    definition = json.loads((BPMN / "model.json").read_text("utf-8"))
    now = wall_now()
    model = ProcessModel(
        id=definition["id"],
        names=definition["names"],
        descriptions=definition["descriptions"],
        case_process=definition["case_process"],
        call_process=definition["call_process"],
        case_start_data=definition["case_start_data"],
        call_start_data=definition["call_start_data"],
        messages=definition["messages"],
        created_by="bench",
        created_at=now,
        updated_by="bench",
        updated_at=now,
    )
    session.add(model)
    session.flush()
    return model


@register_operator("register_document")
def _register(call: ServiceCall) -> dict[str, Any]:
    return {"registry_number": f"BENCH/{call.instance.id}", "received_at": call.now.isoformat()}


@register_operator("notify")
def _notify(call: ServiceCall) -> dict[str, Any]:
    return {"template": call.params["template"]}


def _initial_data(key: str) -> dict[str, Any]:
    return {
        "case_key": key,
        "call_key": "bench",
        "idea_deadline": "2021-04-15T16:15:00+03:00",
        "application_deadline": "2021-06-02T16:15:00+03:00",
        "evaluators": ["specialist", "evaluator"],
        "evaluation_criteria": [{"key": k, "title": k, "weight": 1} for k in SCORES],
        "eligible_applicant_types": ["municipality"],
        "application_object_options": [{"value": "theme_network", "label": "Theme network"}],
        "application_object_rules": {"theme_network": {"min_municipalities": 4, "min_regions": 2}},
        "lead_organisation": {
            "name": "Lead",
            "type": "municipality",
            "region": "06",  # Pirkanmaa
            "municipality": "837",  # Tampere
        },
    }


def _send_to(
    session: Session, instance_id: int, name: str, payload: dict[str, Any], key: str
) -> None:
    """The call's message to one case, kept and delivered as the worker would."""
    message = ThrownMessage(
        group_key="bench",
        name=name,
        correlation_key=key,
        payload=payload,
        correlations={},
        thrown_by=None,
        thrown_at=wall_now(),
    )
    session.add(message)
    session.flush()
    planned = MessageDelivery(message_id=message.id, instance_id=instance_id, created_at=wall_now())
    session.add(planned)
    session.flush()
    deliver(session, planned.id)


def _message(name: str, payload: dict[str, Any], key: str) -> BpmnEvent:
    return BpmnEvent(MessageEventDefinition(name), dict(payload, case_key=key), {})


def run_persisted(url: str, cases: int) -> dict[str, float]:
    engine = create_engine(url, **ENGINE_OPTIONS)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    completions: list[float] = []
    with Session(engine) as session:
        version, _ = bundles.deploy_bundle(
            session,
            bundles.read_bundle(BPMN),
            model=_shipped_model(session),
            deployed_by="bench",
            now=wall_now(),
        )
        clock = Clock(name="bench", rehearsal=True)
        set_rehearsal_time(clock, datetime.fromisoformat("2021-03-16T09:00:00+02:00"))
        session.add(clock)
        session.commit()
        version_id, clock_id = version.id, clock.id
    started = time.perf_counter()
    for n in range(cases):
        key = f"case-{n}"
        with Session(engine) as session:
            instance = start_instance(
                session,
                session.get_one(ProcessVersion, version_id),
                PROCESS,
                data=_initial_data(key),
                clock=session.get_one(Clock, clock_id),
                group_key="bench",
                correlation_key=key,
                actor=APPLICANT,
            )
            session.commit()
            instance_id = instance.id
        for name, actor, data in STEPS:
            with Session(engine) as session:
                if name in ("webinar_invitation", "funding_decision"):
                    _send_to(session, instance_id, name, dict(data, case_key=key), key)
                else:
                    task_id = session.scalar(
                        select(HumanTask.task_id).where(
                            HumanTask.instance_id == instance_id,
                            HumanTask.spec_name == name,
                            (HumanTask.assignee.is_(None)) | (HumanTask.assignee == actor.username),
                        )
                    )
                    assert task_id is not None, f"{name} is not ready for {actor.username}"
                    began = time.perf_counter()
                    complete_task(session, instance_id, task_id, data, actor=actor)
                    session.commit()
                    completions.append(time.perf_counter() - began)
                    continue
                session.commit()
    elapsed = time.perf_counter() - started
    with Session(engine) as session:
        states = session.scalars(select(WorkflowInstance.state)).all()
        finished = session.scalar(
            select(func.count()).where(WorkflowInstance.status == "completed")
        )
        audit_bytes = sum(
            len(json.dumps(data)) + len(summary)
            for data, summary in session.execute(select(AuditEvent.data, AuditEvent.summary))
        )
    engine.dispose()
    assert finished == cases, f"only {finished} of {cases} cases finished"
    completions.sort()
    return {
        "cases_per_s": cases / elapsed,
        "state_bytes": statistics.mean(len(json.dumps(s)) for s in states),
        "audit_bytes": audit_bytes / cases,
        "p50_ms": 1000 * completions[len(completions) // 2],
        "p99_ms": 1000 * completions[min(len(completions) - 1, int(len(completions) * 0.99))],
    }


def run_in_memory(cases: int) -> float:
    with Session(create_engine("sqlite://")) as session:
        Base.metadata.create_all(session.get_bind())
        version, _ = bundles.deploy_bundle(
            session,
            bundles.read_bundle(BPMN),
            model=_shipped_model(session),
            deployed_by="bench",
            now=wall_now(),
        )
        spec, subprocess_specs = bundles.parsed(version).specs[PROCESS]
        clock = Clock(name="bench", rehearsal=True)
        set_rehearsal_time(clock, datetime.fromisoformat("2021-03-16T09:00:00+02:00"))
        session.add(clock)
        session.flush()
        holder = WorkflowInstance(id=0)
        started = time.perf_counter()
        with running_on(clock), serving(session, holder, APPLICANT, lambda: wall_now()):
            for n in range(cases):
                _one_in_memory(
                    BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE), f"case-{n}"
                )
        return cases / (time.perf_counter() - started)


def _one_in_memory(workflow: BpmnWorkflow, key: str) -> None:
    workflow.task_tree.data.update(_initial_data(key))
    workflow.do_engine_steps()
    for name, actor, data in STEPS:
        if name in ("webinar_invitation", "funding_decision"):
            workflow.send_event(_message(name, data, key))
        else:
            task = next(
                t
                for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                if t.task_spec.bpmn_id == name
                and t.data.get("evaluator", actor.username) == actor.username
            )
            task.task_spec.add_data_from_form(task, data)
            task.run()
        workflow.do_engine_steps()
    assert workflow.is_completed()


def _report(label: str, figures: dict[str, float], in_memory: float) -> None:
    ratio = in_memory / figures["cases_per_s"]
    print(
        f"{label:<10} {figures['cases_per_s']:8.1f} cases/s persisted"
        f" | {in_memory:8.1f} cases/s in memory | ratio {ratio:5.1f}x"
        f" | state {figures['state_bytes'] / 1024:6.1f} KiB"
        f" + audit {figures['audit_bytes'] / 1024:5.1f} KiB per finished case"
        f" | task completion p50 {figures['p50_ms']:6.1f} ms, p99 {figures['p99_ms']:6.1f} ms"
    )


def _recreate(url: str) -> None:
    """Drop and create the scratch PostgreSQL database ``url`` names (the other benches drop
    it when they are done)."""
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args(argv)
    bench_sandbox.report()
    in_memory = run_in_memory(args.cases)
    with tempfile.TemporaryDirectory() as folder:
        _report("SQLite", run_persisted(f"sqlite:///{folder}/bench.sqlite", args.cases), in_memory)
    url = os.environ.get("GRANTFLOW_BENCH_DATABASE_URL") or os.environ.get(
        "GRANTFLOW_TEST_DATABASE_URL"
    )
    if url:
        _recreate(url)
        _report("PostgreSQL", run_persisted(url, args.cases), in_memory)
    else:
        print("PostgreSQL: skipped (set GRANTFLOW_BENCH_DATABASE_URL to a scratch database)")


if __name__ == "__main__":
    main()
