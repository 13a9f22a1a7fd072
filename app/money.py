"""Amounts of money as each language writes them, the one formatter of pages, instructions,
emails and letters: '300 000 €' in Finnish and Swedish, '€300,000' in English (Babel's CLDR
patterns), with cents only when the amount has them ('€1,234.50')."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.numbers import format_currency
from flask_babel import get_locale

CURRENCY = "EUR"
_FALLBACK = "fi"  # outside a request and without a language: the language of the call's texts


def format_money(amount: Any, language: str | None = None) -> str:
    """``amount`` in euros in ``language`` (fi, sv, en), or in the page's language without it.
    No amount gives an empty text; a text that is not a number is shown as it is."""
    if amount is None or amount == "" or isinstance(amount, bool):
        return ""
    try:
        number = Decimal(str(amount).strip())
    except InvalidOperation:
        return str(amount)
    if not number.is_finite():
        return str(amount)
    locale = Locale.parse(language) if language else (get_locale() or Locale.parse(_FALLBACK))
    pattern = locale.currency_formats["standard"].pattern
    whole = number == number.to_integral_value()
    if whole:  # the locale's own pattern without its cents
        pattern = pattern.replace(".00", "")
    return format_currency(
        number, CURRENCY, format=pattern, locale=locale, currency_digits=not whole
    )
