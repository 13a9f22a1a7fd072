"""Amounts of money as each language writes them, on pages, in emails and in letters alike."""

from __future__ import annotations

from decimal import Decimal

from app.money import format_money


def test_whole_euros_are_written_without_cents_in_each_language():
    assert format_money(300000, "fi") == "300\u00a0000\u00a0€"
    assert format_money(300000, "sv") == "300\u00a0000\u00a0€"
    assert format_money(300000, "en") == "€300,000"
    assert format_money(7000000.0, "en") == "€7,000,000"


def test_cents_are_shown_when_the_amount_has_them():
    assert format_money(1234.5, "fi") == "1\u00a0234,50\u00a0€"
    assert format_money(Decimal("1234.05"), "sv") == "1\u00a0234,05\u00a0€"
    assert format_money("1234.5", "en") == "€1,234.50"


def test_nothing_is_an_empty_text_and_a_text_that_is_no_number_shows_as_it_is():
    assert format_money(None, "fi") == ""
    assert format_money("", "fi") == ""
    assert format_money("about a million", "en") == "about a million"


def test_without_a_language_the_amount_is_in_the_pages_language(app):
    for language, expected in (("fi", "400\u00a0000\u00a0€"), ("en", "€400,000")):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert format_money(400000) == expected
