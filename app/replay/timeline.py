"""When each person of the replay acts: on weekdays, in office hours, after what they act on,
around the call's two deadlines."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from app.replay.story import APPLIED, UNSENT, Story
from app.timefmt import HELSINKI

# The decision came 27 days after the application deadline (2.6 -> 29.6.2021), the ranking a
# week before it; the idea call opened 30 days before the idea deadline (16.3.2021).
DECISION_AFTER = timedelta(days=27)
RANKING_AFTER = timedelta(days=20)
OPENING_BEFORE = timedelta(days=30)
EVALUATIONS_WITHIN = timedelta(days=16)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=HELSINKI)


class Timeline:
    """When each person acts: on weekdays, in office hours, after what they act on."""

    def __init__(self, idea_deadline: datetime, application_deadline: datetime, rng: random.Random):
        self.rng = rng
        self.idea_deadline = idea_deadline.astimezone(HELSINKI)
        self.application_deadline = application_deadline.astimezone(HELSINKI)
        self.opening = self.idea_deadline.date() - OPENING_BEFORE
        self.first = at(self.opening + timedelta(days=1), time(8, 0))

    def _weekday(self, first: date, last: date) -> date:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weekdays = [day for day in days if day.weekday() < 5] or days or [first]
        return self.rng.choice(weekdays)

    def _during(self, day: date, first: time = time(8, 0), last: time = time(16, 0)) -> datetime:
        start = first.hour * 60 + first.minute
        minutes = self.rng.randrange(start, last.hour * 60 + last.minute)
        return at(day, time(minutes // 60, minutes % 60))

    def idea(self, fate: str) -> tuple[datetime, datetime]:
        """(opened, sent); an unsent idea's draft is saved a few days before the deadline."""
        deadline_day = self.idea_deadline.date()
        if fate != UNSENT and self.rng.random() < 0.3:  # many send on the last day
            sent = self._during(deadline_day, last=time(16, 10))
        else:
            last = deadline_day - timedelta(days=3 if fate == UNSENT else 1)
            sent = self._during(self._weekday(self.first.date(), last))
        earliest = max(self.first.date(), sent.date() - timedelta(days=12))
        opened = self._during(self._weekday(earliest, sent.date()))
        if opened > sent - timedelta(minutes=30):
            opened = max(self.first, sent - timedelta(minutes=self.rng.randrange(30, 120)))
        return opened, sent

    def apply(self, story: Story) -> None:
        if story.fate == UNSENT:
            return
        story.screened = self._during(
            self._weekday(
                self.idea_deadline.date() + timedelta(days=1),
                self.idea_deadline.date() + timedelta(days=12),
            ),
            first=time(8, 30),
        )
        if story.fate != APPLIED:
            return
        deadline_day = self.application_deadline.date()
        if self.rng.random() < 0.35:  # the last day again
            story.applied = self._during(deadline_day, last=time(16, 14))
        else:
            last = deadline_day - timedelta(days=1)
            first = min(story.screened.date() + timedelta(days=3), last)
            story.applied = self._during(self._weekday(first, last))
        story.checked = self._during(
            self._weekday(deadline_day + timedelta(days=1), deadline_day + timedelta(days=5))
        )

    def supplement(self, story: Story, sent: bool) -> None:
        assert story.checked is not None
        story.supplement = "sent" if sent else "late"
        story.supplement_due = story.checked.date() + timedelta(days=7)
        if sent:
            day = self._weekday(story.checked.date() + timedelta(days=1), story.supplement_due)
            story.supplemented = self._during(day, last=time(15, 0))
            story.rechecked = self._during(story.supplemented.date() + timedelta(days=1))

    def ready(self, story: Story) -> datetime:
        """When the application goes to evaluation."""
        if story.supplement == "late" and story.supplement_due is not None:
            return at(story.supplement_due, time(16, 16))
        moment = story.rechecked or story.checked
        assert moment is not None
        return moment

    def evaluate(self, story: Story, evaluators: int) -> None:
        if story.fate != APPLIED:
            return
        ready = self.ready(story).date() + timedelta(days=1)
        last = max(ready, self.application_deadline.date() + EVALUATIONS_WITHIN)
        story.evaluated = sorted(
            self._during(self._weekday(ready, last)) for _ in range(evaluators)
        )
