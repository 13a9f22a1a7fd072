"""The story of the replay, decided before anything runs: who applies with what, what becomes of
each proposal, and when each person acts on the call's clock. A pure function of the seed and
the call's settings, so the same seed tells the same story.

The facts it keeps (docs/DOMAIN.md): ideas by the idea deadline, the webinar invitation at it,
screening, exactly ``applications`` applications sent before the application deadline, their
completeness checked (some supplemented), each evaluated by every evaluator of the call, the
ranking, and the decision 27 days after the application deadline (2.6 -> 29.6.2021).
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time

from app.calls.models import Call
from app.organisations.business_id import check_digit
from app.reference.places import finland
from app.replay import texts
from app.replay.names import FIRST_NAMES, LAST_NAMES, ORGANISATIONS
from app.replay.story import (
    APPLIED,
    GROWTH_ZONE,
    INELIGIBLE,
    NOT_APPLYING,
    REJECTED,
    THEME_NETWORK,
    UNSENT,
    Applicant,
    Story,
)
from app.replay.timeline import DECISION_AFTER, RANKING_AFTER, Timeline, at
from app.timefmt import HELSINKI


@dataclass(frozen=True)
class Sizes:
    """How many of each: the 2021 call's 37 applications and 18 funded, by default."""

    applications: int = 37
    funded: int = 18
    city_networks: int = 8  # networks of regional cities applying (if the call has a reserve)
    city_funded: int = 4
    ineligible: int = 2
    rejected: int = 3
    not_applying: int = 3
    unsent: int = 1
    supplements: int = 4  # the last one asked is never sent: evaluated as it is

    @property
    def cases(self) -> int:
        return self.applications + self.ineligible + self.rejected + self.not_applying + self.unsent


FULL = Sizes()


@dataclass(frozen=True)
class Plan:
    seed: int
    sizes: Sizes
    applicants: list[Applicant]
    stories: list[Story]
    opening: datetime  # the idea call opened (9:00 Helsinki time, 30 days before the deadline)
    ranking_at: datetime
    decision_at: datetime

    @property
    def first_moment(self) -> datetime:
        return min(story.opened for story in self.stories)


@dataclass(frozen=True)
class CallFacts:
    """What the plan reads of the call."""

    idea_deadline: datetime
    application_deadline: datetime
    budget: int
    reserve: int
    rules: dict[str, dict[str, int]]  # per application object: least municipalities, regions
    evaluators: int
    reserve_evaluators: int = 0

    @classmethod
    def of(cls, call: Call) -> CallFacts:
        idea, application = call.deadline("idea"), call.deadline("application")
        assert idea is not None and application is not None
        objects = call.config.get("application_objects") or []
        return cls(
            idea_deadline=idea,
            application_deadline=application,
            budget=call.budget_total,
            reserve=call.reserved_total,
            rules={
                item["key"]: {
                    "municipalities": int(item.get("min_municipalities") or 0),
                    "regions": int(item.get("min_regions") or 0),
                }
                for item in objects
            },
            evaluators=len(call.config.get("evaluators") or []),
            reserve_evaluators=len(call.config.get("reserve_evaluators") or []),
        )


def make_plan(facts: CallFacts, seed: int = 2021, sizes: Sizes = FULL) -> Plan:
    """The story: which organisations lead which proposals (regional cities the networks of
    regional cities), what becomes of each, and when each step is taken."""
    rng = random.Random(seed)
    pool = make_applicants(rng)
    city_networks = sizes.city_networks if facts.reserve else 0
    city_funded = min(sizes.city_funded, city_networks)
    targets = {  # what a funded project of each kind gets on average
        True: facts.reserve / max(1, city_funded),
        False: (facts.budget - (facts.reserve if city_funded else 0))
        / max(1, sizes.funded - city_funded),
    }
    fates = (
        [APPLIED] * sizes.applications
        + [INELIGIBLE] * sizes.ineligible
        + [REJECTED] * sizes.rejected
        + [NOT_APPLYING] * sizes.not_applying
        + [UNSENT] * sizes.unsent
    )
    rng.shuffle(fates)
    city_leads = rng.sample([a for a in pool if a.organisation.regional_city], city_networks)
    others = rng.sample([a for a in pool if a not in city_leads], len(fates) - city_networks)
    city_turns = {i for i, fate in enumerate(fates) if fate == APPLIED}
    city_turns = set(rng.sample(sorted(city_turns), city_networks))
    timeline = Timeline(facts.idea_deadline, facts.application_deadline, rng)
    stories = []
    for number, fate in enumerate(fates, start=1):
        city = number - 1 in city_turns
        lead = city_leads.pop() if city else others.pop()
        story = _story(number, lead, fate, city, pool, facts, rng, timeline)
        # Rounded up: every funded group applies for more than its share of the budget.
        story.requested = math.ceil(targets[city] * rng.uniform(1.05, 1.8) / 10_000) * 10_000
        stories.append(story)
    _name_projects(stories)
    _ask_supplements(stories, sizes, rng, timeline)
    for story in stories:
        timeline.evaluate(story, facts.evaluators)
    applied = [s for s in stories if s.fate == APPLIED and s.supplement is None]
    if applied and facts.reserve_evaluators:  # one evaluator knows an applicant too well
        rng.choice(applied).conflict = True
    deadline_day = facts.application_deadline.astimezone(HELSINKI).date()
    return Plan(
        seed=seed,
        sizes=sizes,
        applicants=pool,
        stories=stories,
        opening=at(timeline.opening, time(9, 0)),
        ranking_at=at(deadline_day + RANKING_AFTER, time(10, 0)),
        decision_at=at(deadline_day + DECISION_AFTER, time(13, 0)),
    )


def make_applicants(rng: random.Random) -> list[Applicant]:
    """Every organisation of the pool with a business ID and a person of its own."""
    places = finland()
    taken: set[str] = set()
    applicants = []
    for index, organisation in enumerate(ORGANISATIONS, start=1):
        code = places.municipality_code(organisation.municipality)
        assert code is not None, organisation.municipality
        language = organisation.language
        first, last = rng.choice(FIRST_NAMES[language]), rng.choice(LAST_NAMES[language])
        username = f"replay-{index:02d}"
        applicants.append(
            Applicant(
                username=username,
                organisation=organisation,
                region=places.municipalities[code].region,
                municipality=code,
                business_id=_business_id(rng, taken),
                person=f"{first} {last}",
                email=f"{_ascii(first)}.{_ascii(last)}.{username}@replay.grantflow.example",
            )
        )
    return applicants


def _business_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        digits = f"{rng.randrange(100_000, 3_400_000):07d}"
        check = check_digit(digits)
        if check is not None and digits not in taken:
            taken.add(digits)
            return f"{digits}-{check}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.lower()


def _story(
    number: int,
    lead: Applicant,
    fate: str,
    city: bool,
    pool: list[Applicant],
    facts: CallFacts,
    rng: random.Random,
    timeline: Timeline,
) -> Story:
    if city or fate in (INELIGIBLE, UNSENT):
        kind = THEME_NETWORK
    else:
        kind = rng.choice((THEME_NETWORK, THEME_NETWORK, GROWTH_ZONE))
    rules = facts.rules.get(kind, {"municipalities": 1, "regions": 1})
    if city:
        candidates = [a for a in pool if a.organisation.regional_city and a is not lead]
        partners = _partners(rng, lead, candidates, rules, (3, 5))
    else:
        candidates = [a for a in pool if a is not lead]
        if fate == INELIGIBLE:
            partners = _partners(rng, lead, candidates, rules, (2, 2), short=True)
        elif kind == GROWTH_ZONE:  # a zone: its neighbours first
            near = [a for a in candidates if a.region == lead.region]
            near = [a for a in near if a.municipality != lead.municipality] or near
            chosen = rng.sample(near, min(2, len(near)))
            rest = [a for a in candidates if a not in chosen]
            partners = _partners(rng, lead, rest, rules, (max(0, 2 - len(chosen)), 2), chosen)
        else:
            partners = _partners(rng, lead, candidates, rules, (3, 6))
    opened, idea = timeline.idea(fate)
    story = Story(
        number=number,
        applicant=lead,
        fate=fate,
        application_object=kind,
        regional_city_network=city,
        theme=rng.choice(texts.CITY_THEMES if city else texts.THEMES),
        partners=[p.as_partner() for p in partners],
        requested=0,  # set by the plan, from what a funded project of its kind gets
        quality=round(rng.uniform(2.0, 4.8), 2),
        opened=opened,
        idea=idea,
    )
    timeline.apply(story)
    return story


def _partners(
    rng: random.Random,
    lead: Applicant,
    candidates: list[Applicant],
    rules: dict[str, int],
    count: tuple[int, int],
    fixed: list[Applicant] | None = None,
    *,
    short: bool = False,
) -> list[Applicant]:
    """``fixed`` and ``count`` more partners, that meet the object's least municipalities and
    regions (with the lead), or, ``short``, have one municipality too few (as an ineligible
    proposal does)."""
    unique = list(dict.fromkeys(candidates))
    for _attempt in range(500):
        chosen = [*(fixed or []), *rng.sample(unique, rng.randint(*count))]
        members = [lead, *chosen]
        municipalities = len({m.municipality for m in members})
        regions = len({m.region for m in members})
        if short:
            if municipalities == rules["municipalities"] - 1 and regions >= rules["regions"]:
                return chosen
        elif municipalities >= rules["municipalities"] and regions >= rules["regions"]:
            return chosen
    raise ValueError(f"no partners for {lead.organisation.name} under {rules}")


def _name_projects(stories: list[Story]) -> None:
    places = finland()
    taken: set[str] = set()
    for story in stories:
        language = story.language
        if story.application_object == GROWTH_ZONE or story.regional_city_network:
            codes = [story.applicant.municipality, *(p["municipality"] for p in story.partners)]
            names = [places.municipality_name(code, language) or code for code in codes]
        else:
            codes = [story.applicant.region, *(p["region"] for p in story.partners)]
            names = [places.region_name(code, language) or code for code in codes]
        joined = "–".join(list(dict.fromkeys(names))[:3])
        theme = story.theme[0 if language == "fi" else 1]
        name = texts.PROJECT_NAMES[story.kind][language].format(theme=theme, places=joined)
        while name in taken:
            name += " II"
        taken.add(name)
        story.project_name = name


def _ask_supplements(
    stories: list[Story], sizes: Sizes, rng: random.Random, timeline: Timeline
) -> None:
    applied = [s for s in stories if s.fate == APPLIED]
    asked = rng.sample(applied, min(sizes.supplements, len(applied)))
    for index, story in enumerate(asked):
        timeline.supplement(story, sent=index < len(asked) - 1)
