"""The specialist's ranking: the best-scored applications funded until the budget is used to the
euro, the networks of regional cities from their reserve and the rest from the remainder (the
ranking's own check, app/tasks/hooks.py), each funded one a little less than it applied for."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal


class NoAllocation(ValueError):
    """The funded applications applied for less than the money to share."""


def share(requested: list[int], total: int, step: int = 1000) -> list[int]:
    """``total`` shared in proportion to ``requested``, in multiples of ``step`` where the total
    allows, none above what it applied for; the amounts sum to ``total`` exactly."""
    applied = sum(requested)
    if applied < total:
        raise NoAllocation(f"{applied} applied for, {total} to share")
    amounts = [amount * total // applied // step * step for amount in requested]
    rest = total - sum(amounts)
    while rest:
        for index, amount in enumerate(requested):
            more = min(step, rest, amount - amounts[index])
            amounts[index] += more
            rest -= more
            if not rest:
                break
    return amounts


def allocate(
    rows: list[dict[str, Any]], budget: int, reserve: int, funded: int, city_funded: int
) -> dict[str, int]:
    """Proposed amounts by case key: the ``city_funded`` best regional-city networks share the
    reserve, the next best others (``funded`` in all) the rest; the rows come best first."""
    city = [row for row in rows if row["regional_city_network"]][:city_funded]
    others = [row for row in rows if not row["regional_city_network"]][: funded - len(city)]
    amounts = {row["case_key"]: 0 for row in rows}
    groups = ((city, reserve if city else 0), (others, budget - (reserve if city else 0)))
    for group, total in groups:
        if group:
            shared = share([row["requested_amount"] for row in group], total)
            amounts.update(zip((row["case_key"] for row in group), shared, strict=True))
    return amounts


def format_score(score: float, language: str) -> str:
    return format_decimal(score, format="0.00", locale="sv_FI" if language == "sv" else "fi_FI")
