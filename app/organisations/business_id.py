"""The Finnish business ID (Y-tunnus, FO-nummer) of an organisation: seven digits, a hyphen and
a check digit, as the Finnish Patent and Registration Office and the Tax Administration give it.

The check digit: the seven digits weighted 7, 9, 10, 5, 8, 4, 2 and summed; the sum's remainder
modulo 11 is 0 for check digit 0, 1 for no valid ID (no business ID is given those digits), and
otherwise 11 minus the remainder. So 0245442-8: 0·7 + 2·9 + 4·10 + 5·5 + 4·8 + 4·4 + 2·2 = 135,
135 = 12·11 + 3, check digit 11 − 3 = 8.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

FORMAT = re.compile(r"^([0-9]{7})-([0-9])$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
LENGTH = 9


class InvalidBusinessId(ValueError):
    """Not a business ID; the message says why, in the page language."""


def check_digit(digits: str) -> int | None:
    """The check digit of seven digits, or None when no business ID has those digits."""
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def valid_business_id(text: str) -> str:
    """The business ID written in ``text`` (surrounding spaces stripped), or InvalidBusinessId."""
    value = text.strip()
    match = FORMAT.match(value)
    if match is None:
        raise InvalidBusinessId(
            _l("Write the business ID as seven digits, a hyphen and a check digit: 1234567-1.")
        )
    if check_digit(match[1]) != int(match[2]):
        raise InvalidBusinessId(
            _l("This business ID's check digit does not match its digits: check the number.")
        )
    return value
