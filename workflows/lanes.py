"""Who works in a lane: SpiffArena's conventions next to grantflow's roles.

A human task belongs to a role named by its lane ('Decision maker' -> 'decision_maker'). A
process model may map other lane names to roles (``ProcessModel.lane_roles``: a SpiffArena
model's 'hr' or 'group1'). As in SpiffArena, a task outside any lane, or in the lane
'Process Initiator' (in any case of letters), belongs to the person who started the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workflows.bpmn_xml import parse_xml, xpath
from workflows.errors import BundleRefused

INITIATOR_LANE = "process initiator"
# The application's roles (configured by it, set_role_names): a lane named after one is that
# role's, and only the other lanes are looked up in the model's mapping.
_role_names: set[str] = set()


def set_role_names(roles: Iterable[str]) -> None:
    _role_names.clear()
    _role_names.update(roles)


def _named_role(lane: str) -> str:
    return lane.strip().lower().replace(" ", "_")


def needs_mapping(lane: str | None) -> bool:
    """True for a named lane that is neither the initiator's nor named after a role ('hr')."""
    return not is_initiators(lane) and _named_role(lane or "") not in _role_names


def is_initiators(lane: str | None) -> bool:
    """True for no lane (or a lane without a name) and for SpiffArena's 'Process Initiator'."""
    return not (lane or "").strip() or (lane or "").strip().casefold() == INITIATOR_LANE


def lane_role(lane: str | None, lane_roles: Mapping[str, Any] | None = None) -> str | None:
    """The role that may act in a lane: the model's mapping for it, else the lane's name as a
    role ('Decision maker' -> 'decision_maker'); None where the case's starter acts."""
    if lane is None or is_initiators(lane):
        return None
    mapped = (lane_roles or {}).get(lane.strip()) if needs_mapping(lane) else None
    if isinstance(mapped, str) and mapped:
        return mapped
    return _named_role(lane)


def lane_names(files: Mapping[str, str]) -> list[str]:
    """The names of the lanes of the BPMN files that need a role: every named lane that is
    neither the initiator's nor named after a role, sorted, each once. A file that does not
    parse has none (its check says why)."""
    found: set[str] = set()
    for name, text in files.items():
        if not name.endswith(".bpmn"):
            continue
        try:
            root = parse_xml(name, text)
        except BundleRefused:
            continue
        for lane in xpath(root, ".//bpmn:lane"):
            lane_name = (lane.get("name") or "").strip()
            if lane_name and needs_mapping(lane_name):
                found.add(lane_name)
    return sorted(found)
