"""The replay's story: the facts of the 2021 call, told the same way for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from app.organisations.business_id import valid_business_id
from app.reference.places import finland
from app.replay.names import ORGANISATIONS
from app.replay.plan import CallFacts, Sizes, make_plan
from app.replay.story import APPLIED, INELIGIBLE, UNSENT, Story, describe

FACTS = CallFacts(
    idea_deadline=datetime.fromisoformat("2021-04-15T16:15:00+03:00"),
    application_deadline=datetime.fromisoformat("2021-06-02T16:15:00+03:00"),
    budget=7_000_000,
    reserve=1_000_000,
    rules={
        "theme_network": {"municipalities": 4, "regions": 2},
        "growth_zone": {"municipalities": 2, "regions": 1},
    },
    evaluators=2,
    reserve_evaluators=1,
)


def _places(story: Story) -> tuple[int, int]:
    members = [story.applicant.as_partner(), *story.partners]
    return len({m["municipality"] for m in members}), len({m["region"] for m in members})


def test_the_same_seed_tells_the_same_story() -> None:
    first, again, other = make_plan(FACTS), make_plan(FACTS), make_plan(FACTS, seed=7)

    assert [describe(story) for story in first.stories] == [
        describe(story) for story in again.stories
    ]
    assert [story.opened for story in first.stories] == [story.opened for story in again.stories]
    assert [describe(s) for s in first.stories] != [describe(s) for s in other.stories]


def test_the_story_keeps_the_facts_of_the_2021_call() -> None:
    plan = make_plan(FACTS)
    fates = Counter(story.fate for story in plan.stories)

    assert len(plan.stories) == 46
    assert sum(1 for story in plan.stories if story.fate != UNSENT) == 45  # ideas sent
    assert fates[APPLIED] == 37
    assert all(story.idea < FACTS.idea_deadline for story in plan.stories)
    applied = [story for story in plan.stories if story.fate == APPLIED]
    assert all(s.applied and s.applied < FACTS.application_deadline for s in applied)
    assert plan.decision_at.isoformat() == "2021-06-29T13:00:00+03:00"
    assert plan.opening.isoformat() == "2021-03-16T09:00:00+02:00"
    assert sum(1 for story in applied if story.regional_city_network) == 8
    assert {story.language for story in applied} == {"fi", "sv"}
    assert sum(1 for story in applied if story.supplement) == 4
    assert sum(1 for story in applied if story.conflict) == 1


def test_each_step_of_a_story_follows_the_one_it_acts_on() -> None:
    for story in make_plan(FACTS).stories:
        steps = [story.opened, story.idea, story.screened, story.applied, story.checked]
        steps += [story.supplemented, story.rechecked, *story.evaluated]
        moments = [moment for moment in steps if moment is not None]
        assert moments == sorted(moments), story.number
        assert all(moment.weekday() < 5 for moment in moments[:2])


def test_proposals_name_places_by_their_codes_and_meet_the_call_rules_unless_ineligible() -> None:
    places = finland()
    for story in make_plan(FACTS).stories:
        for member in [story.applicant.as_partner(), *story.partners]:
            assert places.region_of(member["municipality"]) == member["region"]
        rules = FACTS.rules[story.application_object]
        municipalities, regions = _places(story)
        if story.fate == INELIGIBLE:
            assert (municipalities, regions >= 2) == (3, True)
        else:
            assert municipalities >= rules["municipalities"] and regions >= rules["regions"]


def test_applicants_have_valid_distinct_business_ids_and_swedish_ones_write_in_swedish() -> None:
    plan = make_plan(FACTS)
    ids = [applicant.business_id for applicant in plan.applicants]

    assert len(plan.applicants) == len(ORGANISATIONS)
    assert [valid_business_id(business_id) for business_id in ids] == ids
    assert len(set(ids)) == len(ids)
    swedish = [story for story in plan.stories if story.applicant.organisation.language == "sv"]
    assert swedish and all(story.language == "sv" for story in swedish)
    assert all(describe(story)["project_name"] for story in plan.stories)


@pytest.mark.parametrize("sizes", [Sizes(applications=6, funded=3, city_networks=2, city_funded=1)])
def test_a_smaller_story_keeps_its_sizes(sizes: Sizes) -> None:
    plan = make_plan(FACTS, sizes=sizes)

    assert Counter(story.fate for story in plan.stories)[APPLIED] == 6
    assert len(plan.stories) == sizes.cases
