"""What the engine layer tells its callers when it refuses something."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Severity = Literal["error", "warning"]


class WorkflowError(Exception):
    """Base class: the message is meant for the person who asked."""


class TaskNotFound(WorkflowError):
    pass


class TaskAlreadyCompleted(WorkflowError):
    def __init__(
        self, message: str = "This task was already completed, possibly by someone else."
    ) -> None:
        super().__init__(message)


class InstanceChanged(WorkflowError):
    def __init__(self) -> None:
        super().__init__(
            "The case was changed by someone else at the same time; nothing was saved."
        )


class NotAllowed(WorkflowError):
    pass


class DeadlinePassed(WorkflowError):
    def __init__(self, deadline: datetime) -> None:
        super().__init__(
            f"The deadline passed at {deadline.isoformat()}; the task can no longer be sent."
        )
        self.deadline = deadline


class EngineStepFailed(WorkflowError):
    """An automatic step after the user's action failed; nothing was saved."""


class MigrationRefused(WorkflowError):
    """A case may not move to another process version; ``reasons`` name the elements."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(
            "The case cannot move to that version:\n" + "\n".join(f"- {r}" for r in reasons)
        )
        self.reasons = reasons


@dataclass
class Problem:
    """One finding in a process file. Errors refuse a deploy; warnings are only shown."""

    file: str
    element: str | None
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.file}" + (f", element '{self.element}'" if self.element else "")
        prefix = "" if self.is_error else "warning: "
        return f"{where}: {prefix}{self.message}"


@dataclass
class BundleRefused(WorkflowError):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "The process files were refused:\n" + "\n".join(f"- {p}" for p in self.problems)
