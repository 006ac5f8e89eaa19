"""Validators with published valid codes and crafted invalid ones."""

from datetime import date

import pytest

from zhigong.core import rules
from zhigong.core.identifiers import credit_code, id_number, organization_code

# The example of GB 11643-1999 itself, and numbers built by hand from the standard.
VALID_IDS = [
    ("11010519491231002X", date(1949, 12, 31), "F"),
    ("440524188001010014", date(1880, 1, 1), "M"),
    ("320102199005171233", date(1990, 5, 17), "M"),
]


@pytest.mark.parametrize("number,birth,sex", VALID_IDS)
def test_valid_id_numbers(number, birth, sex):
    facts = rules.parse_id_number(number)
    assert (facts.birth_date, facts.sex, facts.region_code) == (birth, sex, number[:6])


@pytest.mark.parametrize("number,code", [
    ("110105194912310021", "id_number.checksum"),   # X is right, 1 is not
    ("11010519491231002", "id_number.length"),
    ("1101051949123100XX", "id_number.format"),
    ("11010519490230002" + "X", "id_number.checksum"),
    ("", "id_number.length"),
])
def test_invalid_id_numbers(number, code):
    with pytest.raises(rules.IdentifierError) as err:
        rules.parse_id_number(number)
    assert err.value.code == code


def test_impossible_birth_date_with_a_right_check_character():
    from stdnum.cn import ric

    body = "11010519490230002"  # 30 February
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(rules.IdentifierError) as err:
        rules.parse_id_number(number)
    assert err.value.code == "id_number.birth_date"


def test_birth_date_in_the_future_is_refused():
    number = id_number("110105", date(2030, 1, 1), 11)
    with pytest.raises(rules.IdentifierError):
        rules.parse_id_number(number, today=date(2026, 11, 23))


def test_unknown_region_is_refused_when_regions_are_known():
    number = id_number("990101", date(1980, 1, 1), 12)
    with pytest.raises(rules.IdentifierError) as err:
        rules.parse_id_number(number, known_regions={"110105", "110000"})
    assert err.value.code == "id_number.region"


def test_lower_case_x_and_spaces_are_accepted():
    assert rules.parse_id_number(" 11010519491231002x ").number == "11010519491231002X"


def test_mask():
    assert rules.mask_id_number("32010219900517123X") == "3201**********123X"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", credit_code("320102", 12345)])
def test_valid_credit_codes(code):
    assert rules.validate_credit_code(code) == code


@pytest.mark.parametrize("code,error", [
    ("91350100M000100Y42", "credit_code.checksum"),
    ("91350100M000100Y4", "credit_code.length"),
    ("9135010OM000100Y43", "credit_code.format"),  # letter O in the region part
])
def test_invalid_credit_codes(code, error):
    with pytest.raises(rules.IdentifierError) as err:
        rules.validate_credit_code(code)
    assert err.value.code == error


def test_organization_code_check_character():
    # By hand: weights 3,7,9,10,5,8,4,2 over 1..8 give 3+14+27+40+25+48+28+16 = 201;
    # 11 - 201 % 11 = 8.
    assert organization_code(12345678) == "123456788"


@pytest.mark.parametrize("mobile,ok", [
    ("13812345678", True), ("+86 138 1234 5678", True), ("12812345678", False),
    ("1381234567", False), ("23812345678", False), ("1381234567a", False),
])
def test_mobile(mobile, ok):
    if ok:
        assert rules.validate_mobile(mobile) == "13812345678"
    else:
        with pytest.raises(rules.IdentifierError):
            rules.validate_mobile(mobile)


@pytest.mark.parametrize("code,level,ancestors", [
    ("110000", "province", []), ("320100", "city", ["320000"]),
    ("320102", "county", ["320000", "320100"]),
])
def test_region_levels(code, level, ancestors):
    assert rules.region_level(code) == level
    assert rules.region_ancestors(code) == ancestors


def test_age_on():
    assert rules.age_on(date(1990, 5, 17), date(2026, 5, 16)) == 35
    assert rules.age_on(date(1990, 5, 17), date(2026, 5, 17)) == 36
