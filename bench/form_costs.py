"""What the idea form costs a request, the heaviest form of the call: filling in its dynamic
parts (app/forms/dynamic.py), rendering it (app/forms/render.py) and validating a send with
three partners, by jsonschema's own validator of the draft beside grantflow's
(workflows/safe_jsonschema.py: a choice among string consts looked up, an ``if`` on fields'
values read from the row). In one process, the best of five runs of each.

    .venv/bin/python -m bench.form_costs
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import validators

from app import create_app
from app.forms.dynamic import expand
from app.forms.render import render_form
from bench.common import machine_speed
from load.deadline_rush import PARTNER_COUNT
from workflows.safe_jsonschema import make_validator

FORMS = Path(__file__).resolve().parent.parent / "bpmn" / "forms"
OPTIONS = {"application_object_options": [{"value": "theme_network", "label": "Theme network"}]}
IDEA = {
    "project_name": "Rush network",
    "application_object": "theme_network",
    "summary": "Four municipalities in two regions.",
    "requested_amount_estimate": 400000,
    "partners": [
        {
            "type": "municipality",
            "region": "06",
            "municipality": "837",
            "name": f"Partner {n}",
            "email": f"partner{n}@example.fi",
        }
        for n in range(PARTNER_COUNT)
    ],
}


def best_us(work: Callable[[], Any], number: int = 100) -> float:
    return min(timeit.repeat(work, number=number, repeat=5)) / number * 1e6


def main() -> None:
    schema = json.loads((FORMS / "idea_proposal.json").read_text())
    ui = json.loads((FORMS / "idea_proposal-uischema.json").read_text())
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
    with app.test_request_context("/"):
        filled, filled_ui = expand(schema, ui, OPTIONS, "fi")
        html = render_form(filled, filled_ui, {}, {})
        drafts = validators.validator_for(filled)(filled)
        ours = make_validator(filled)
        assert not list(ours.iter_errors(IDEA)) and not list(drafts.iter_errors(IDEA))
        print(f"The idea form: {html.count('<option')} options, {PARTNER_COUNT} partners sent\n")
        rows: list[tuple[str, Callable[[], Any]]] = [
            ("fill in its dynamic parts", lambda: expand(schema, ui, OPTIONS, "fi")),
            ("render it", lambda: render_form(filled, filled_ui, {}, {})),
            ("validate a send, jsonschema's own validator", lambda: list(drafts.iter_errors(IDEA))),
            ("validate a send, grantflow's", lambda: list(ours.iter_errors(IDEA))),
        ]
        print("| | µs |")
        print("| --- | --- |")
        for said, work in rows:
            print(f"| {said} | {best_us(work):.0f} |")
    print(f"\n{machine_speed()}")


if __name__ == "__main__":
    main()
