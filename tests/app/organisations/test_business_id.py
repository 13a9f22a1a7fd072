"""The business ID (Y-tunnus): seven digits, a hyphen and a check digit (weights 7, 9, 10, 5, 8,
4, 2; the sum modulo 11: 0 gives 0, 1 no valid ID, else 11 minus it)."""

import pytest

from app.organisations.business_id import InvalidBusinessId, check_digit, valid_business_id


@pytest.mark.parametrize(
    "business_id",
    [
        "0245442-8",  # 135 = 12·11 + 3: 11 − 3 = 8
        "0112038-9",  # 57 = 5·11 + 2: 9
        "0109862-8",  # 146 = 13·11 + 3: 8
        "9876543-0",  # 286 = 26·11: remainder 0, check digit 0
        "1234567-1",
    ],
)
def test_a_business_id_with_its_check_digit_is_valid(business_id):
    assert valid_business_id(business_id) == business_id


def test_spaces_around_a_business_id_are_stripped():
    assert valid_business_id(" 0245442-8 \n") == "0245442-8"


@pytest.mark.parametrize("business_id", ["0245442-7", "0245442-9", "0112038-1", "9876543-1"])
def test_a_wrong_check_digit_is_refused(business_id):
    with pytest.raises(InvalidBusinessId, match="check digit does not match"):
        valid_business_id(business_id)


def test_seven_digits_whose_remainder_is_one_have_no_valid_check_digit():
    assert check_digit("0000110") is None  # 8 + 4 = 12 = 11 + 1
    for digit in "0123456789":
        with pytest.raises(InvalidBusinessId):
            valid_business_id(f"0000110-{digit}")


@pytest.mark.parametrize(
    "business_id",
    ["", "02454428", "0245442", "245442-8", "00245442-8", "0245442-88", "0245442–8", "A245442-8"],
)
def test_a_business_id_in_another_form_is_refused_with_the_form_it_must_have(business_id):
    with pytest.raises(InvalidBusinessId) as refused:
        valid_business_id(business_id)
    assert str(refused.value) == (
        "Write the business ID as seven digits, a hyphen and a check digit: 1234567-1."
    )
