"""What the engine layer tells its callers when it refuses something."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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


@dataclass
class Problem:
    file: str
    element: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f", element '{self.element}'" if self.element else "")
        return f"{where}: {self.message}"


@dataclass
class BundleRefused(WorkflowError):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "The process files were refused:\n" + "\n".join(f"- {p}" for p in self.problems)
