"""Identifier rules as pure functions (no Django, no database).

Resident ID: GB 11643-1999, ISO 7064 MOD 11-2 check character (via python-stdnum's cn.ric).
Unified social credit code: GB 32100-2015 (via stdnum.cn.uscc). Region codes: GB/T 2260.
"""

from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    region_code: str
    birth_date: date
    sex: str  # "M" or "F": odd sequence digit = male (GB 11643 art. 5.4)


class IdentifierError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_id_number(raw: str, known_regions=None, today: date | None = None) -> IdNumberFacts:
    """Validate an 18-character resident ID number and derive birth date and sex.

    known_regions, when given, is a container of 6-digit codes; the ID's region must be in it
    (numbers issued under a since-abolished county code are accepted when the province exists)."""
    number = ric.compact(raw or "").upper()
    if len(number) != 18:
        raise IdentifierError("id_number.length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentifierError("id_number.format")
    if number[17] != ric.calc_check_digit(number):
        raise IdentifierError("id_number.checksum")
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise IdentifierError("id_number.birth_date") from None
    birth = ric.get_birth_date(number)
    if today is not None and birth > today:
        raise IdentifierError("id_number.birth_date")
    region = number[:6]
    if known_regions is not None and region not in known_regions:
        if region[:2] + "0000" not in known_regions:
            raise IdentifierError("id_number.region")
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberFacts(number=number, region_code=region, birth_date=birth, sex=sex)


def mask_id_number(number: str) -> str:
    """3201**********123X: the first four and the last four characters stay visible."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def validate_credit_code(raw: str) -> str:
    code = uscc.compact(raw or "").upper()
    if len(code) != 18:
        raise IdentifierError("credit_code.length")
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise IdentifierError("credit_code.checksum") from None
    except stdnum_errors.ValidationError:
        raise IdentifierError("credit_code.format") from None
    return code


def validate_mobile(raw: str) -> str:
    number = (raw or "").strip().replace(" ", "").replace("-", "")
    if number.startswith("+86"):
        number = number[3:]
    if len(number) != 11 or not number.isdigit() or number[0] != "1" or number[1] in "012":
        raise IdentifierError("mobile.format")
    return number


def region_level(code: str) -> str:
    """province / city / county for a 6-digit GB/T 2260 code."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_ancestors(code: str) -> list[str]:
    """The codes above a region, nearest last: 320102 -> ['320000', '320100']."""
    level = region_level(code)
    if level == "province":
        return []
    if level == "city":
        return [code[:2] + "0000"]
    return [code[:2] + "0000", code[:4] + "00"]


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- Rule tables -----------------------------------------------------------------------------
# Every number of DOMAIN.md is a rule row with a region (blank = national) and an effective
# date; the lookup takes the most specific region that has a row in force on the day, and of
# its rows the latest one on or before that day.

@dataclass(frozen=True)
class RuleRowData:
    id: int
    key: str
    region_code: str  # "" for the national default
    effective_from: date
    value: object
    source: str = ""


def _region_rank(row_region: str, region_code: str) -> int | None:
    """How specific a row is for `region_code` (higher is more specific), or None when the row
    does not apply to that region."""
    if row_region == "":
        return 0
    chain = region_ancestors(region_code) + [region_code] if region_code else []
    if row_region not in chain:
        return None
    return {"province": 1, "city": 2, "county": 3}[region_level(row_region)]


def pick_rule(rows: list[RuleRowData], region_code: str, day: date) -> RuleRowData | None:
    best: tuple[int, date, int] | None = None
    chosen = None
    for row in rows:
        rank = _region_rank(row.region_code, region_code)
        if rank is None or row.effective_from > day:
            continue
        score = (rank, row.effective_from, row.id)
        if best is None or score > best:
            best, chosen = score, row
    return chosen
