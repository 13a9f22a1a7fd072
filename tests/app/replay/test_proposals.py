"""The specialist's amounts in the replay: the budget used to the euro, within the reserve."""

from __future__ import annotations

import pytest

from app.replay.proposals import NoAllocation, allocate, share


def test_share_gives_exactly_the_total_in_thousands_and_never_more_than_applied_for() -> None:
    requested = [450_000, 780_000, 512_000, 600_000]

    amounts = share(requested, 2_000_000)

    assert sum(amounts) == 2_000_000
    assert all(amount % 1000 == 0 for amount in amounts)
    assert all(0 < amount <= asked for amount, asked in zip(amounts, requested, strict=True))


def test_share_refuses_more_than_was_applied_for() -> None:
    with pytest.raises(NoAllocation):
        share([100_000, 200_000], 400_000)


def _row(key: str, requested: int, city: bool = False) -> dict[str, object]:
    return {"case_key": key, "requested_amount": requested, "regional_city_network": city}


def test_allocate_funds_the_best_of_each_share_and_nothing_else() -> None:
    rows = [  # best first, as the ranking lists them
        _row("a", 600_000),
        _row("b", 300_000, city=True),
        _row("c", 500_000),
        _row("d", 400_000, city=True),
        _row("e", 700_000),
    ]

    amounts = allocate(rows, budget=1_200_000, reserve=250_000, funded=3, city_funded=1)

    assert amounts["b"] == 250_000  # the reserve, to the best network of regional cities
    assert amounts["a"] + amounts["c"] == 950_000
    assert amounts["d"] == amounts["e"] == 0
