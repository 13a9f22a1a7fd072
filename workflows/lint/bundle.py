"""The bundle as the lint rules see it, and the shape of a rule."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workflows.bpmn_xml import Element
from workflows.errors import Problem


@dataclass(frozen=True)
class Bundle:
    """What the rules read: the well-formed XML files, what the parser made of them, and the
    translation catalogs (language -> English text -> translation) that loaded."""

    documents: Mapping[str, Element]
    refused: Collection[str]
    forms: Mapping[str, Any]
    start_data: Mapping[str, Collection[str]] | None
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The BPMN files of the other deployed process models (their current versions), by
    # "<model id>/<file>": messages are routed across models, as in SpiffArena.
    deployed: Mapping[str, Element] = field(default_factory=dict)

    def bpmn(self) -> Iterator[tuple[str, Element]]:
        """BPMN files the engine accepted: a refused file is reported by the engine's own error."""
        for name, root in sorted(self.documents.items()):
            if name.endswith(".bpmn") and name not in self.refused:
                yield name, root

    def dmn(self) -> Iterator[tuple[str, Element]]:
        for name, root in sorted(self.documents.items()):
            if name.endswith(".dmn"):
                yield name, root


Rule = Callable[[Bundle], Iterator[Problem]]
