"""The overview's figures as the page shows them: bar charts, each with the table of its figures.

A chart is drawn as SVG by the template (calls/_bar_chart.html) and read by screen readers from
its table; here its labels are put in the page language, its figures formatted for the locale,
and each bar's length is its figure over the chart's largest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_decimal, format_percent, ngettext
from flask_babel import gettext as _

from app.calls.models import Call, in_language
from app.calls.overview import GroupSum, Overview
from app.i18n import current_language
from app.i18n.labels import object_name, phase_name
from app.money import format_money
from app.reference.places import finland


@dataclass(frozen=True)
class Bar:
    label: str
    figure: str  # the bar's figure, formatted, written beside it
    cells: tuple[str, ...]  # the table's columns after the label
    length: float  # 0..1 of the chart's width


@dataclass(frozen=True)
class Chart:
    key: str  # for the page's ids
    title: str
    headings: tuple[str, ...]  # of the table: the label's column, then the cells'
    bars: tuple[Bar, ...]


def _lengths(figures: Sequence[int]) -> list[float]:
    largest = max(figures, default=0)
    return [figure / largest if largest else 0.0 for figure in figures]


def _count(number: int) -> str:
    return str(format_decimal(number))


def _share(part: int, whole: int) -> str:
    return str(format_percent(part / whole)) if whole else "–"


def phases_chart(overview: Overview) -> Chart:
    lengths = _lengths([row.cases for row in overview.phases])
    bars = tuple(
        Bar(
            label=phase_name(row.phase, row.instance_id),
            figure=_count(row.cases),
            cells=(_("Closed") if row.closed else _("Open"), _count(row.cases)),
            length=length,
        )
        for row, length in zip(overview.phases, lengths, strict=True)
    )
    headings = (_("Phase"), _("Open or closed"), _("Cases"))
    return Chart("phases", _("Cases by phase"), headings, bars)


def money_chart(overview: Overview, call: Call) -> Chart:
    money = overview.money
    rows = [
        (_("Budget of the call"), money.budget),
        (_("Applied for, all applications"), money.applied),
        (_("Applied for, applications still open"), money.applied_open),
        (_("Granted"), money.granted),
    ]
    language = current_language()
    for reserve in call.reserves:
        title = in_language(reserve.get("title"), language, str(reserve.get("key") or ""))
        rows.append((_("Reserved: %(title)s", title=title), int(reserve.get("amount") or 0)))
    if call.reserves:
        rows.append((_("Applied for by regional-city networks"), money.applied_reserved))
    lengths = _lengths([amount for _label, amount in rows])
    bars = tuple(
        Bar(label, format_money(amount), (format_money(amount), _share(amount, money.budget)), n)
        for (label, amount), n in zip(rows, lengths, strict=True)
    )
    headings = (_("Sum"), _("Amount"), _("Share of the budget"))
    return Chart("money", _("Applied for against the budget"), headings, bars)


def _sums_chart(
    key: str, title: str, heading: str, groups: list[GroupSum], labels: list[str]
) -> Chart:
    lengths = _lengths([group.applied for group in groups])
    bars = tuple(
        Bar(
            label,
            format_money(group.applied),
            (_count(group.cases), _count(group.applications), format_money(group.applied)),
            length,
        )
        for group, label, length in zip(groups, labels, lengths, strict=True)
    )
    headings = (heading, _("Cases"), _("Applications with an amount"), _("Applied for"))
    return Chart(key, title, headings, bars)


def objects_chart(overview: Overview, call: Call) -> Chart:
    labels = [
        object_name(group.key, call) if group.key else _("Not chosen yet")
        for group in overview.by_object
    ]
    title = _("Applied for by application object")
    return _sums_chart("objects", title, _("Application object"), overview.by_object, labels)


def regions_chart(overview: Overview) -> Chart:
    places, language = finland(), current_language()
    labels = [
        (places.region_name(group.key, language) or group.key)  # codes; a name typed long ago
        if group.key
        else _("No applicant organisation")
        for group in overview.by_region
    ]
    title = _("Applied for by region of the lead organisation")
    return _sums_chart("regions", title, _("Region"), overview.by_region, labels)


def overview_facts(overview: Overview, call: Call) -> list[tuple[str, str]]:
    """The few figures above the charts: (term, its figure)."""
    money = overview.money
    cases = _(
        "%(cases)s: %(open)s open, %(closed)s closed",
        cases=_count(overview.cases),
        open=_count(overview.open_cases),
        closed=_count(overview.closed_cases),
    )
    applied = ngettext(
        "%(amount)s by %(count)s application, %(share)s of the budget",
        "%(amount)s by %(count)s applications, %(share)s of the budget",
        money.applications,
        amount=format_money(money.applied),
        count=_count(money.applications),
        share=_share(money.applied, money.budget),
    )
    budget = format_money(money.budget)
    if money.reserved:
        reserved = _("%(amount)s reserved", amount=format_money(money.reserved))
        budget = f"{budget} ({reserved})"
    return [(_("Cases"), cases), (_("Applied for"), applied), (_("Budget of the call"), budget)]


def overview_charts(overview: Overview, call: Call) -> list[Chart]:
    return [
        phases_chart(overview),
        money_chart(overview, call),
        objects_chart(overview, call),
        regions_chart(overview),
    ]
