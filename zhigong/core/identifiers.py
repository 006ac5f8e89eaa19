"""Building valid identifiers (for demo data and tests): resident ID numbers per GB 11643 and
unified social credit codes per GB 32100 (with the GB 11714 organization code inside)."""

from datetime import date

from stdnum.cn import ric, uscc

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_number(region: str, birth: date, sequence: int, male: bool | None = None) -> str:
    """18-character resident ID. The sequence's last digit is odd for men, even for women."""
    seq = sequence % 1000
    if male is not None and (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def organization_code(serial: int) -> str:
    """9-character GB 11714 organization code: 8 digits and a check character."""
    body = f"{serial % 10**8:08d}"
    total = sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(region: str, serial: int) -> str:
    """18-character unified social credit code of an enterprise (registration authority 9 =
    market regulation, type 1 = enterprise) in the given county."""
    body = f"91{region}{organization_code(serial)}"
    return body + uscc.calc_check_digit(body + "0")
