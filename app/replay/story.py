"""One case of the replay, as the plan tells it: its applicant, its proposal, what becomes of it
and when each of its steps is taken (Helsinki time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.replay import texts
from app.replay.names import OrganisationName

THEME_NETWORK, GROWTH_ZONE = "theme_network", "growth_zone"
# What becomes of a proposal.
UNSENT = "unsent"  # a draft idea, never sent: closed as late at the idea deadline
INELIGIBLE = "ineligible"  # too few municipalities: rejected at screening
REJECTED = "rejected"  # eligible, but not compatible with the appropriation: rejected
NOT_APPLYING = "not_applying"  # invited, sends no application: closed as late
APPLIED = "applied"


@dataclass(frozen=True)
class Applicant:
    """A made-up organisation and its one person, an applicant."""

    username: str
    organisation: OrganisationName
    region: str
    municipality: str
    business_id: str
    person: str
    email: str

    @property
    def language(self) -> str:
        return self.organisation.language

    def as_partner(self) -> dict[str, str]:
        return {
            "name": self.organisation.name,
            "type": self.organisation.org_type,
            "region": self.region,
            "municipality": self.municipality,
            "contact_person": self.person,
            "email": self.email,
        }


@dataclass
class Story:
    """One case, from opening to decision, with the moments (Helsinki time) of each step."""

    number: int
    applicant: Applicant
    fate: str
    application_object: str
    regional_city_network: bool
    theme: tuple[str, str]
    partners: list[dict[str, str]]
    requested: int
    quality: float  # 1-5: how good the evaluators find it
    opened: datetime
    idea: datetime  # sent (or, unsent, the draft saved)
    project_name: str = ""
    screened: datetime | None = None
    applied: datetime | None = None
    checked: datetime | None = None
    supplement: str | None = None  # "sent" or "late"
    supplement_due: date | None = None
    supplemented: datetime | None = None
    rechecked: datetime | None = None
    evaluated: list[datetime] = field(default_factory=list)  # one per evaluator of the call
    conflict: bool = False  # the last evaluator passes it on (a conflict of interest)
    case_id: int | None = None  # once opened

    @property
    def language(self) -> str:
        return self.applicant.language

    @property
    def kind(self) -> str:
        return "regional_cities" if self.regional_city_network else self.application_object

    @property
    def budget(self) -> tuple[int, int, int]:
        first = round(self.requested * 0.2, -3)
        second = round(self.requested * 0.4, -3)
        return int(first), int(second), self.requested - int(first) - int(second)

    @property
    def cofunding(self) -> int:
        return int(round(self.requested * (0.2 + self.quality / 50), -3))

    @property
    def estimate(self) -> int:
        return int(round(self.requested * (1.1 - self.quality / 50), -4))

    @property
    def municipality_count(self) -> int:
        members = [self.applicant.municipality, *(p["municipality"] for p in self.partners)]
        return len(set(members))


def describe(story: Story) -> dict[str, Any]:
    """The idea proposal as the applicant sends it."""
    theme = story.theme[0 if story.language == "fi" else 1]
    summary = texts.SUMMARIES[story.kind][story.language].format(
        theme=theme.lower(), count=story.municipality_count
    )
    return {
        "project_name": story.project_name,
        "application_object": story.application_object,
        "regional_city_network": story.regional_city_network,
        "partners": [dict(partner) for partner in story.partners],
        "summary": summary,
        "requested_amount_estimate": story.estimate,
    }
