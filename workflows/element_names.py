"""How the pages name a BPMN element: its name, or its id where it has none.

SpiffArena runs elements without a name (the check only warns), so every place that shows an
element to a person falls back to the id the modeler gave it.
"""

from __future__ import annotations

from typing import Any


def label_of(spec: Any) -> str:
    """The element's name, else its BPMN id, else the engine's name for the task spec."""
    name = (getattr(spec, "bpmn_name", None) or "").strip()
    return name or getattr(spec, "bpmn_id", None) or spec.name
