"""DMN decision tables evaluated with one trip to the sandbox, not one per cell.

SpiffWorkflow's DMNEngine checks a table rule by rule and cell by cell, and for each cell it
evaluates ``(<input expression>) == (<cell>)``: the eligibility table (4 inputs, 5 rules) sent
the case's whole task data to a sandbox process 14 times for one decision, and every
invitation delivered at a deadline ran it. Here the table's input expressions are evaluated
together, in one sandboxed expression, and a cell that is a literal (``True``, ``"fi"``,
``3``) is compared with its input's value here, as ``==`` in the sandbox would. Any other cell
(``> 5``, ``"a", "b"``, one using ``?``) has its rule checked as the engine always did, in
the sandbox. When the inputs cannot be evaluated together (one of them fails, for data a rule
checked before it would not have reached), the table is decided the engine's own way, so that
what succeeds or fails is what it was.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from workflows.sandbox import NOT_A_LITERAL, literal_value

_UNIQUE = HitPolicy.UNIQUE.value


class OneTripDecisions(DMNEngine):
    """A DMNEngine whose inputs are evaluated once per decision, in one sandbox call."""

    def decide(self, task: Any) -> list[Any]:
        values = self._input_values(task)
        if values is None:
            return super().decide(task)
        rules = []
        for rule in self.decision_table.rules:
            if self._matches(rule, values, task):
                rules.append(rule)
                if self.decision_table.hit_policy == _UNIQUE:
                    break
        return rules

    def _input_values(self, task: Any) -> dict[int, Any] | None:
        """The value of each input (by id) with an expression, or None when they cannot be
        evaluated together."""
        inputs = [i for i in self.decision_table.inputs if i.expression]
        if not inputs:
            return {}
        together = "[" + ", ".join(f"({i.expression})" for i in inputs) + "]"
        try:
            values = task.workflow.script_engine.evaluate(task, together)
        except Exception:  # noqa: BLE001 - the engine's own way then raises what it would
            return None
        if not isinstance(values, list) or len(values) != len(inputs):
            return None
        return {id(i): value for i, value in zip(inputs, values, strict=True)}

    def _matches(self, rule: Any, values: dict[int, Any], task: Any) -> bool:
        """Whether the rule holds: here when each of its cells is "-" or a literal, else the
        engine's own check of the rule (its errors name the rule's row)."""
        cells = [(entry, cell) for entry in rule.inputEntries for cell in entry.lhs]
        literals = [
            (id(entry.input), literal_value(cell)) for entry, cell in cells if cell is not None
        ]
        if any(key not in values or value is NOT_A_LITERAL for key, value in literals):
            return bool(self._DMNEngine__check_rule(rule, task))
        return all(values[key] == value for key, value in literals)


class DecisionParser(SpiffBpmnParser):
    """SpiffArena's BPMN parser whose business rule tasks decide with OneTripDecisions."""

    def get_engine(self, decision_ref: Any, node: Any) -> DMNEngine:
        engine = super().get_engine(decision_ref, node)
        return OneTripDecisions(engine.decision_table)
