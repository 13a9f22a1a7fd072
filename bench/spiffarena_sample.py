"""How much of a SpiffArena repository runs here: import it all at once, check, deploy, start a
case of every deployed model and drive it to its end.

    .venv/bin/python -m bench.spiffarena_sample --repo <folder or bare git dir> [--json out.json]

Uses a scratch SQLite database and the operations the import page uses (read_repository_zip,
import_repository_tree, deploy_checked_drafts), then for each deployed model the operations of
"Start a case" (standing_call, start_case) and of a task page (send_task): every ready human
task is sent with the smallest data its form accepts (generated from its JSON Schema; a task
without a form is sent with none) until the case ends or stops progressing (at most
MAX_STEPS sends). Prints per stage how many models got there, and every refusal class (the
reason with names and numbers blanked) with the number of models it affects and how many of
those it alone stops, as a table and as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from app.auth.models import ROLES, User
from app.auth.operations import create_user
from app.calls.models import Call
from app.cases.models import Case
from app.cases.operations import CaseRefused, standing_call, start_case
from app.extensions import db
from app.forms.dynamic import expand
from app.processes.spiffarena_operations import (
    ImportedModel,
    deploy_checked_drafts,
    import_repository_tree,
    read_repository_zip,
)
from app.tasks.operations import EMPTY_FORM, FormRefused, send_task
from workflows.engine import deliver_pending, start_by_message
from workflows.messages import pending_starts
from workflows.models import HumanTask, ProcessModel, WorkflowInstance
from workflows.queries import task_view
from workflows.spiffarena_export import ExportedModel, export_tree
from workflows.spiffarena_layout import GROUP_FILE, MODEL_FILE
from workflows.spiffarena_repo import import_repository

MAX_STEPS = 50
STAGES = ("imported", "check_clean", "deployed", "started", "ended")


@dataclass
class Tally:
    """Per model, the last stage reached; per refusal class, the models it stopped."""

    reached: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in STAGES})
    waiting: dict[str, int] = field(default_factory=dict)  # model -> its case's waiting instance
    refused_start: dict[str, str] = field(default_factory=dict)  # model -> why no person may
    refusals: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def refuse(self, stage: str, model: str, reason: str) -> None:
        self.refusals[(stage, reason_class(reason))].add(model)

    def counts(self) -> dict[str, int]:
        return {stage: len(models) for stage, models in self.reached.items()}

    def classes(self) -> list[dict[str, Any]]:
        """Each class with the models it stops, and of those how many it alone stops (the
        models that would pass the stage without it)."""
        per_model: dict[str, int] = defaultdict(int)
        for models in self.refusals.values():
            for model in models:
                per_model[model] += 1
        rows = [
            {
                "stage": stage,
                "reason": reason,
                "models": len(models),
                "alone": sum(1 for model in models if per_model[model] == 1),
            }
            for (stage, reason), models in self.refusals.items()
        ]
        return sorted(rows, key=lambda row: (STAGES.index(row["stage"]), -row["models"]))


def reason_class(reason: str) -> str:
    """A refusal without its particulars: file and element names, quoted names, numbers."""
    text = re.sub(r"^.*?\.(?:bpmn|dmn|json)(?:, element '[^']*')?:\s*", "", reason)
    text = re.sub(r"^[^\s:]+(?:, element '[^']*')?:\s*", "", text)
    text = re.sub(r"the condition .* has no name", "the condition … has no name", text)
    text = re.sub(r"'[^']*'|“[^”]*”|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"'…' \([^()]*\)", "'…'", text)
    text = re.sub(r"\(line \d+\)", "(line …)", text)
    text = re.sub(r"0x[0-9a-f]+", "0x…", text)
    text = re.sub(r"\b\d+\b", "N", text)
    return text.strip()[:200]


def read_repo(repo: Path) -> dict[str, bytes]:
    """The files of a working folder or of a bare git directory's HEAD, by posix path."""
    if (repo / "HEAD").is_file() and (repo / "objects").is_dir():
        return _read_bare(repo)
    return {
        path.relative_to(repo).as_posix(): path.read_bytes()
        for path in sorted(repo.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(repo).parts)
    }


def _read_bare(repo: Path) -> dict[str, bytes]:
    git = ["git", f"--git-dir={repo}"]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", "HEAD"], check=True, capture_output=True
    ).stdout
    tree = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        name = path.decode()
        if any(part.startswith(".") for part in name.split("/")):
            continue
        blob = subprocess.run(
            [*git, "cat-file", "blob", sha.decode()], check=True, capture_output=True
        )
        tree[name] = blob.stdout
    return tree


def as_zip(tree: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(tree.items()):
            archive.writestr(path, content)
    return buffer.getvalue()


# --- data for a form --------------------------------------------------------------------------


def minimal_value(schema: Any, depth: int = 0) -> Any:
    """The smallest value a JSON Schema accepts, as far as a simple reading of it goes."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            return minimal_value(options[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return {
            name: minimal_value(sub, depth + 1)
            for name, sub in (schema.get("properties") or {}).items()
            if minimal_value(sub, depth + 1) is not None
        }
    if kind == "array":
        return [minimal_value(schema.get("items"), depth + 1)] * int(schema.get("minItems", 0))
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum")) or 0
        value = low + 1 if "exclusiveMinimum" in schema else low
        return int(value) if kind == "integer" else value
    if kind == "string":
        return _string(schema)
    return None


def _string(schema: dict[str, Any]) -> str:
    formats = {"date": "2026-01-15", "date-time": "2026-01-15T12:00:00+00:00", "email": "a@b.fi"}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "x" * max(1, int(schema.get("minLength", 1)))


# --- driving the cases ------------------------------------------------------------------------


def drive(session: Session, model: ProcessModel, user: User, tally: Tally) -> None:
    try:
        with session.begin_nested():
            case = start_case(session, standing_call(session, model), user)
    except CaseRefused as refused:
        # A case that begins with a message start event is opened by a message, not a person:
        # judged after every other model's case had the chance to send it.
        tally.refused_start[model.id] = str(refused)
        return
    except Exception as err:  # noqa: BLE001 - every refusal is a finding to count
        tally.refuse("started", model.id, f"{type(err).__name__}: {err}")
        return
    tally.reached["started"].add(model.id)
    work(session, case, model.id, user, tally)


def work(session: Session, case: Case, model_id: str, user: User, tally: Tally) -> None:
    """Send the case's tasks with minimal valid data until it ends or stops."""
    instance_id = case.instance_id
    if instance_id is None:
        tally.refuse("ended", model_id, "the case has no process instance")
        return
    for _ in range(MAX_STEPS):
        instance = session.get(WorkflowInstance, instance_id)
        if instance is None or instance.status == "completed":
            break
        row = session.scalar(
            select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.id)
        )
        if row is None:
            if run_messages(session):
                continue
            # It may wait for a message another model's case sends: judged after them all.
            tally.waiting[model_id] = instance_id
            return
        try:
            with session.begin_nested():
                view = task_view(session, instance, row.task_id)
                schema, _ui = expand(view.schema or EMPTY_FORM, view.ui_schema, view.data, "en")
                data = minimal_value(schema) or {}
                send_task(session, case.call, instance_id, row.task_id, data, user)
        except FormRefused as refused:
            tally.refuse("ended", model_id, f"form refused the data: {refused.errors}")
            return
        except Exception as err:  # noqa: BLE001
            tally.refuse("ended", model_id, f"{type(err).__name__}: {err}")
            return
    instance = session.get(WorkflowInstance, instance_id)
    if instance is not None and instance.status == "completed":
        tally.reached["ended"].add(model_id)
    else:
        tally.refuse("ended", model_id, f"not ended after {MAX_STEPS} sends")


def started_by_messages(session: Session, user: User, tally: Tally) -> None:
    """The models a person may not start: started when a message opened a case of theirs."""
    for model_id, reason in sorted(tally.refused_start.items()):
        case = session.scalar(
            select(Case)
            .join(Call, Call.id == Case.call_id)
            .where(Call.model_id == model_id, Case.created_by == "system")
            .order_by(Case.id)
        )
        if case is None:
            tally.refuse("started", model_id, f"CaseRefused: {reason}")
            continue
        tally.reached["started"].add(model_id)
        work(session, case, model_id, user, tally)
        session.commit()


def run_messages(session: Session) -> int:
    """What the worker does with the messages thrown so far: open the cases they start, then
    deliver them; how many it did."""
    done = sum(start_by_message(session, start) for start in pending_starts(session, 1000))
    return done + deliver_pending(session)


def measure(tree: dict[str, bytes]) -> Tally:
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "SECRET_KEY": "bench",
                "UPLOAD_FOLDER": f"{folder}/uploads",
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        with app.app_context():
            db.create_all()
            session: Session = db.session()
            user = create_user("owner", "bench owner pw", "Owner", "owner@example.fi", ROLES)
            session.add(user)
            session.commit()
            rows = import_repository_tree(
                session, read_repository_zip("repo.zip", as_zip(tree)), user
            )
            session.commit()
            _count_import(rows, tally)
            clean = [row for row in rows if not row.errors and row.draft_id is not None]
            outcome = deploy_checked_drafts(
                session, [row.draft_id for row in clean if row.draft_id], user
            )
            session.commit()
            by_draft = {row.draft_id: row.model_id for row in clean}
            for draft_id, errors in outcome.items():
                model_id = by_draft[draft_id]
                if errors:
                    for problem in errors:
                        tally.refuse("deployed", model_id, str(problem) or "refused")
                else:
                    tally.reached["deployed"].add(model_id)
            for model_id in sorted(tally.reached["deployed"]):
                drive(session, session.get_one(ProcessModel, model_id), user, tally)
                session.commit()
            run_messages(session)
            started_by_messages(session, user, tally)
            run_messages(session)
            for model_id, instance_id in tally.waiting.items():
                if session.get_one(WorkflowInstance, instance_id).status == "completed":
                    tally.reached["ended"].add(model_id)
                else:
                    tally.refuse("ended", model_id, "the case waits with no human task ready")
            db.session.remove()
            db.engine.dispose()
    return tally


def _count_import(rows: list[ImportedModel], tally: Tally) -> None:
    for row in rows:
        import_errors = [p for p in row.found if p.is_error]
        for problem in import_errors:
            tally.refuse("imported", row.model_id, str(problem))
        if import_errors:
            continue
        tally.reached["imported"].add(row.model_id)
        check_errors = [p for p in row.checked if p.is_error]
        for problem in check_errors:
            tally.refuse("check_clean", row.model_id, str(problem))
        if not check_errors:
            tally.reached["check_clean"].add(row.model_id)


def round_trip(tree: dict[str, bytes]) -> dict[str, int]:
    """Every model that imports without an error, exported again: how many of its files come
    back byte for byte (BPMN, DMN, forms and every other file kept), how many differ, and how
    many process_model.json are equal as JSON."""
    models = [m for m in import_repository(tree) if not m.errors and m.metadata is not None]
    exported = export_tree(
        [
            ExportedModel(
                m.files,
                m.path,
                m.display_name,
                m.primary_process_id or "",
                m.description,
                metadata=m.metadata,
            )
            for m in models
        ]
    )
    counts = {"models": len(models), "identical": 0, "different": 0, "model_json_equal": 0}
    for name, text in exported.items():
        if name.rsplit("/", 1)[-1] == GROUP_FILE:
            continue  # written from the group's own fields, not its list of members
        original = tree.get(name, b"").decode("utf-8", "replace")
        if name.rsplit("/", 1)[-1] == MODEL_FILE:
            counts["model_json_equal"] += json.loads(original or "null") == json.loads(text)
        else:
            counts["identical" if original == text else "different"] += 1
    return counts


def report(tally: Tally, models: int) -> dict[str, Any]:
    return {"models": models, "counts": tally.counts(), "refusals": tally.classes()}


def print_table(result: dict[str, Any]) -> None:
    print(f"SpiffArena models in the repository: {result['models']}")
    for stage, count in result["counts"].items():
        print(f"  {stage:<12} {count:>4}")
    print()
    print(f"{'stage':<12} {'models':>6} {'alone':>5}  reason")
    for row in result["refusals"]:
        print(f"{row['stage']:<12} {row['models']:>6} {row['alone']:>5}  {row['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, type=Path, help="folder or bare git directory")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    tree = read_repo(args.repo)
    models = sum(1 for path in tree if path.rsplit("/", 1)[-1] == "process_model.json")
    result = report(measure(tree), models) | {"round_trip": round_trip(tree)}
    print_table(result)
    trip = result["round_trip"]
    print(
        f"\nExported again ({trip['models']} models): {trip['identical']} files byte for byte,"
        f" {trip['different']} different, {trip['model_json_equal']} process_model.json equal"
    )
    print()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
