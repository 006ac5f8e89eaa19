"""The roster (电子基础台账) as pure functions: the template's columns, the check of every row
of an uploaded roster, eligibility by age at the start of cover, and the coverage dates
(start, end of the waiting period, end). No Django, no database: what the database knows
(plans, regions, people already covered) comes in as plain data.

Rows are checked a chunk at a time over columns. The ID number check is vectorised with numpy
(GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits, a real birth date, a known region
code) and gives exactly what zhigong.core.rules.parse_id_number (python-stdnum) gives: any
number that is not plain ASCII is handed to that function itself, and a property test holds
the two together (tests/test_roster_rules.py).
"""

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

from zhigong.core import rules as core_rules

# --- The template ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    example: object = ""
    hint: str = ""
    header_optional: bool = False  # an older template without this column still imports


COLUMNS = (
    Column("name", "姓名", example="张伟", hint="与身份证一致"),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码"), example="320102198803141011",
           hint="18位，末位可为X；请设为文本格式"),
    Column("mobile", "手机号", ("手机号码", "联系电话"), required=False, example="13812345678",
           hint="11位手机号，可空"),
    Column("employment_start", "入职日期", example="2015-07-01", hint="年-月-日，如2015-07-01"),
    Column("monthly_wage", "月工资（元）", ("月工资(元)", "月工资"), required=False, example="6500.00",
           hint="元，最多两位小数，可空"),
    Column("plan", "保障计划", ("计划", "保障计划名称", "计划代码"), example="在职职工住院津贴",
           hint="计划名称或代码"),
    Column("shares", "份数", required=False, example=1, hint="整数，空白按1份"),
    Column("medical_insured", "参加职工医保", ("是否参加职工医保", "职工医保"), required=False, example="是",
           hint="是或否；空白（或旧模板没有此列）按“是”，即由企业工会确认已参加", header_optional=True),
)
HEADERS = tuple(c.header for c in COLUMNS)
FIRST_DATA_ROW = 2  # Excel row numbers: the header is row 1
MAX_NAME = 64
MAX_WAGE_FEN = 100_000_000  # 1,000,000 元 a month: anything above is a typing error
EARLIEST_DATE = date(1950, 1, 1)


@dataclass
class Issue:
    """One finding: the Excel row (1 = header), the column's header ("" for the whole row or
    file), a stable code and the figures its Chinese message needs."""

    row: int
    column: str
    code: str
    params: dict = field(default_factory=dict)


def _header_key(text) -> str:
    return re.sub(r"\s+", "", str(text or "")).replace("(", "（").replace(")", "）")


_BY_HEADER = {_header_key(name): c.key for c in COLUMNS for name in (c.header, *c.aliases)}


@dataclass
class HeaderMatch:
    positions: dict[str, int]
    issues: list[Issue]


def match_header(cells: Sequence) -> HeaderMatch:
    """Which column holds which field. Missing, unknown and repeated headers are issues of row
    1; columns without a header are ignored."""
    positions: dict[str, int] = {}
    issues: list[Issue] = []
    for index, cell in enumerate(cells):
        text = str(cell or "").strip()
        if not text:
            continue
        key = _BY_HEADER.get(_header_key(text))
        if key is None:
            issues.append(Issue(1, text, "header.unknown", {"header": text, "expected": "、".join(HEADERS)}))
        elif key in positions:
            issues.append(Issue(1, text, "header.repeated", {"header": text}))
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.key not in positions and not column.header_optional:
            issues.append(Issue(1, column.header, "header.missing", {"header": column.header}))
    return HeaderMatch(positions, issues)


# --- What a row is checked against --------------------------------------------------------------


@dataclass(frozen=True)
class PlanTerms:
    """A plan as an enterprise may join it for the period in question: the version's
    eligibility and waiting period, and the enrolment period the rows would fall in."""

    code: str
    name: str
    min_age: int
    max_age: int
    max_shares: int
    women_only: bool
    waiting_days: int
    period_start: date
    period_end: date
    has_pool: bool = True
    requires_medical_insurance: bool = True


@dataclass(frozen=True)
class Terms:
    """What every row of one upload is checked against."""

    plans: dict[str, PlanTerms]  # by code and by name
    known_regions: Container[str]
    starts_on: date  # cover asked from this day
    today: date


# --- Values of single cells --------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value) -> date:
    """A date cell, or text as 2015-07-01 / 2015/7/1 / 2015.7.1 / 2015年7月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                pass
    raise ValueError("date.format")


def parse_yuan(value) -> int:
    """Yuan (a number cell or text such as "6,500.50") to fen, exactly, as the decimal the cell
    shows. A number cell's float is taken as r fen only when it is the double nearest to r/100
    (r/100 == value, both correctly rounded): for amounts of up to nine digits that holds exactly
    when the cell's shortest decimal form has at most two decimals. Anything else goes through
    Decimal."""
    if type(value) is float and abs(value) <= MAX_WAGE_FEN / 100:
        fen = round(value * 100)
        if fen / 100 == value:
            if fen < 0:
                raise ValueError("wage.range")
            return fen
    text = repr(value) if isinstance(value, float) else str(value).replace(",", "").replace("，", "").strip()
    try:
        amount = Decimal(text.removeprefix("¥").removeprefix("￥"))
    except InvalidOperation:
        raise ValueError("wage.format") from None
    if not amount.is_finite():
        raise ValueError("wage.format")
    if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError("wage.decimals")
    fen = int(amount * 100)
    if fen < 0 or fen > MAX_WAGE_FEN:
        raise ValueError("wage.range")
    return fen


def parse_shares(value) -> int:
    if blank(value):
        return 1
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("shares.format")
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError("shares.format")
    return int(text)


def cell_text(value) -> str:
    """Text of a cell; whole numbers without the ".0" a number cell reads back with."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value).strip() if value is not None else ""


# --- ID numbers over a column (vectorised) ------------------------------------------------------

_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)  # MOD 11-2: sum % 11 -> check character


@dataclass
class IdColumn:
    numbers: list[str]  # compacted as python-stdnum does
    errors: list[str | None]  # the code of core.rules.IdentifierError, or None
    birth: list[date | None]
    male: np.ndarray
    keys: list[int | None] | None = None  # id_key of each valid number


def compact_id(value) -> str:
    text = cell_text(value)
    # python-stdnum's compact maps look-alike characters (full-width digits...) to ASCII; for
    # ASCII text it is exactly upper() and strip().
    return text.upper().strip() if text.isascii() else core_rules.ric.compact(text)


def check_id_numbers(raw: Sequence, known_regions: Container[str], today: date) -> IdColumn:
    """core.rules.parse_id_number over a whole column: the same codes in the same order
    (length, format, checksum, birth date, region), without a Python call per digit."""
    numbers = [compact_id(v) for v in raw]
    count = len(numbers)
    errors: list[str | None] = [None] * count
    birth: list[date | None] = [None] * count
    male = np.zeros(count, dtype=bool)
    keys: list[int | None] = [None] * count
    plain = [i for i, n in enumerate(numbers) if len(n) == 18 and n.isascii()]
    for i, n in enumerate(numbers):
        if len(n) != 18:
            errors[i] = "id_number.length"
        elif not n.isascii():
            errors[i], birth[i], male[i] = _one_id(n, known_regions, today)
            keys[i] = id_key(numbers[i].upper()) if errors[i] is None else None
    if plain:
        _check_plain(numbers, plain, known_regions, today, errors, birth, male, keys)
    return IdColumn(numbers, errors, birth, male, keys)


def _one_id(number: str, known_regions, today: date) -> tuple[str | None, date | None, bool]:
    try:
        facts = core_rules.parse_id_number(number, known_regions, today)
    except core_rules.IdentifierError as exc:
        return exc.code, None, False
    except ValueError:  # digits that str.isdigit() admits but int() does not
        return "id_number.format", None, False
    return None, facts.birth_date, facts.sex == "M"


def _check_plain(numbers, plain, known_regions, today, errors, birth, male, keys) -> None:
    text = "".join(numbers[i] for i in plain).encode("ascii")
    chars = np.frombuffer(text, dtype=np.uint8).reshape(len(plain), 18)
    digits = chars.astype(np.int64) - 48
    body_ok = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1)
    last_ok = ((digits[:, 17] >= 0) & (digits[:, 17] <= 9)) | (chars[:, 17] == ord("X"))
    formatted = body_ok & last_ok
    body = np.where(formatted[:, None], digits[:, :17], 0)
    check_ok = _CHECK[(body @ _WEIGHTS) % 11] == chars[:, 17]
    year = body[:, 6] * 1000 + body[:, 7] * 100 + body[:, 8] * 10 + body[:, 9]
    month = body[:, 10] * 10 + body[:, 11]
    day = body[:, 12] * 10 + body[:, 13]
    born = _valid_dates(year, month, day)
    births = _as_dates(year, month, day, born)
    born &= births <= np.datetime64(today, "D")
    region = body[:, :6] @ np.array([10**5, 10**4, 1000, 100, 10, 1])
    known = _known_codes(known_regions)
    region_ok = np.isin(region, known) | np.isin(region // 10000 * 10000, known)
    codes = np.select(
        [~formatted, ~check_ok, ~born, ~region_ok],
        ["id_number.format", "id_number.checksum", "id_number.birth_date", "id_number.region"], "")
    dates = births.astype(object)
    sexes = body[:, 16] % 2 == 1
    # id_key: the 17 digits as one number, times 11, plus the check character (X = 10).
    check = np.where(chars[:, 17] == ord("X"), 10, np.clip(digits[:, 17], 0, 9))
    numeric = (body @ (10 ** np.arange(16, -1, -1, dtype=np.int64))) * 11 + check
    numeric = numeric.tolist()
    for k, i in enumerate(plain):
        if codes[k]:
            errors[i] = str(codes[k])
        else:
            birth[i] = dates[k]
            male[i] = sexes[k]
            keys[i] = numeric[k]


def _valid_dates(year, month, day) -> np.ndarray:
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    lengths = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    lengths = lengths + ((month == 2) & leap)
    return ok & (day <= lengths)


def _as_dates(year, month, day, valid) -> np.ndarray:
    y = np.where(valid, year, 2000)
    m = np.where(valid, month, 1)
    d = np.where(valid, day, 1)
    months = (y - 1970) * 12 + (m - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)


def _known_codes(known_regions: Container[str]) -> np.ndarray:
    return np.fromiter((int(c) for c in known_regions), dtype=np.int64)  # type: ignore[attr-defined]


# --- A chunk of rows ------------------------------------------------------------------------------


@dataclass
class Rows:
    """A chunk of raw rows as columns (cell values as read), with their Excel row numbers."""

    numbers: list[int]
    cells: dict[str, list]

    def __len__(self) -> int:
        return len(self.numbers)


def rows_from_cells(numbers: list[int], raw: list[list], positions: dict[str, int]) -> Rows:
    width = max(positions.values()) + 1
    padded = [r if len(r) >= width else list(r) + [""] * (width - len(r)) for r in raw]
    return Rows(numbers, {key: [r[i] for r in padded] for key, i in positions.items()})


@dataclass
class Checked:
    """The chunk after checking: for each row whether it may be written, and its clean values."""

    numbers: list[int]
    ok: np.ndarray
    issues: list[Issue]
    names: list[str]
    id_numbers: list[str]
    birth: list[date | None]
    male: np.ndarray
    mobiles: list[str]
    employment_start: list[date | None]
    wages_fen: list[int | None]
    plans: list[PlanTerms | None]
    shares: list[int]
    starts_on: list[date | None]
    keys: list[int | None] = field(default_factory=list)
    medical_insured: list[bool] = field(default_factory=list)

    def clean_rows(self) -> list[int]:
        return np.flatnonzero(self.ok).tolist()


def check_rows(rows: Rows, terms: Terms) -> Checked:
    """Every check that needs only the row itself and the terms, column by column. The checks
    against other rows of the file (duplicates) and against the records (people covered
    elsewhere) follow in check_duplicates and check_against_records. A row's issues come in
    column order; an empty row has only its own."""
    n, cells = len(rows), rows.cells
    ids = check_id_numbers(cells["id_number"], terms.known_regions, terms.today)
    names = [v.strip() if type(v) is str else cell_text(v) for v in cells["name"]]
    checked = Checked(
        numbers=rows.numbers, ok=np.ones(n, dtype=bool), issues=[], names=names, id_numbers=ids.numbers,
        birth=ids.birth, male=ids.male, mobiles=[""] * n, employment_start=[None] * n, wages_fen=[None] * n,
        plans=[None] * n, shares=[1] * n, starts_on=[None] * n, keys=ids.keys, medical_insured=[True] * n,
    )
    found: dict[int, list[Issue]] = {}
    for i in _empty_rows(cells, names):
        found[i] = [Issue(rows.numbers[i], "", "row.empty")]
    column_checks = (_name_issues(names), _id_issues(cells["id_number"], ids), _mobile_issues(checked, cells["mobile"]),
                     _employment_issues(checked, cells["employment_start"], terms),
                     _wage_issues(checked, cells["monthly_wage"]), _plan_issues(checked, cells["plan"], terms),
                     _share_issues(checked, cells["shares"]), _medical_issues(checked, cells.get("medical_insured")),
                     *_eligibility_issues(checked, terms))
    for header, issues in column_checks:
        for i, (code, params) in issues:
            if i in found and found[i][0].code == "row.empty":
                continue
            found.setdefault(i, []).append(Issue(rows.numbers[i], header, code, params))
    for i in sorted(found):
        checked.ok[i] = False
        checked.issues += found[i]
    for i in found:
        checked.starts_on[i] = None
    return checked


def _flag(checked: Checked, i: int, column: str, code: str, **params) -> None:
    checked.ok[i] = False
    checked.issues.append(Issue(checked.numbers[i], column, code, params))


def _empty_rows(cells: dict[str, list], names: list[str]) -> list[int]:
    candidates = [i for i, name in enumerate(names) if not name]
    present = [c.key for c in COLUMNS if c.key in cells]
    return [i for i in candidates if all(blank(cells[key][i]) for key in present)]


Found = tuple[str, list[tuple[int, tuple[str, dict]]]]


def _name_issues(names: list[str]) -> Found:
    issues = [(i, ("name.required", {})) for i, name in enumerate(names) if not name]
    issues += [(i, ("name.too_long", {"limit": MAX_NAME})) for i, name in enumerate(names) if len(name) > MAX_NAME]
    return "姓名", sorted(issues)


def _id_issues(raw: list, ids: IdColumn) -> Found:
    issues = []
    for i in [i for i, e in enumerate(ids.errors) if e is not None]:
        value = raw[i]
        if isinstance(value, float) and abs(value) >= 2**53:
            issues.append((i, ("id_number.not_text", {})))
        elif blank(value):
            issues.append((i, ("id_number.required", {})))
        else:
            issues.append((i, (ids.errors[i], {})))
    return "身份证号", issues


def _mobile_issues(checked: Checked, raw: list) -> Found:
    issues = []
    for i, value in enumerate(raw):
        if value == "" or value is None:
            continue
        text = value if type(value) is str else cell_text(value)
        if len(text) != 11 or not text.isdigit():
            text = text.strip().replace(" ", "").replace("-", "").removeprefix("+86")
        if not text:
            continue
        if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1" and text[1] in "3456789":
            checked.mobiles[i] = text
        else:
            issues.append((i, ("mobile.format", {})))
    return "手机号", issues


def _employment_issues(checked: Checked, raw: list, terms: Terms) -> Found:
    issues = []
    latest = terms.today + timedelta(days=366)
    for i, value in enumerate(raw):
        if type(value) is date:
            started = value
        elif blank(value):
            issues.append((i, ("employment_start.required", {})))
            continue
        else:
            try:
                started = parse_date(value)
            except ValueError:
                issues.append((i, ("date.format", {"value": cell_text(value)[:20]})))
                continue
        if started < EARLIEST_DATE or started > latest:
            issues.append((i, ("employment_start.range", {"value": started.isoformat()})))
        else:
            checked.employment_start[i] = started
    return "入职日期", issues


def _wage_issues(checked: Checked, raw: list) -> Found:
    issues = []
    for i, value in enumerate(raw):
        if value == "" or value is None or blank(value):
            continue
        try:
            checked.wages_fen[i] = parse_yuan(value)
        except ValueError as exc:
            issues.append((i, (str(exc), {})))
    return "月工资（元）", issues


def _plan_issues(checked: Checked, raw: list, terms: Terms) -> Found:
    issues = []
    plans = terms.plans
    for i, value in enumerate(raw):
        text = value.strip() if type(value) is str else cell_text(value)
        plan = plans.get(text)
        if plan is not None and plan.has_pool:
            checked.plans[i] = plan
        elif not text:
            issues.append((i, ("plan.required", {})))
        elif plan is None:
            issues.append((i, ("plan.unknown", {"plan": text[:40]})))
        else:
            issues.append((i, ("plan.no_pool", {"plan": plan.name})))
    return "保障计划", issues


def _share_issues(checked: Checked, raw: list) -> Found:
    issues = []
    for i, value in enumerate(raw):
        try:
            shares = parse_shares(value)
        except ValueError:
            issues.append((i, ("shares.format", {"value": cell_text(value)[:20]})))
            continue
        plan = checked.plans[i]
        limit = plan.max_shares if plan else None
        if shares < 1 or (limit is not None and shares > limit):
            issues.append((i, ("shares.range", {"shares": shares, "max": limit or 1})))
        else:
            checked.shares[i] = shares
    return "份数", issues


YES = frozenset({"是", "有", "已参加", "参加", "Y", "YES", "TRUE", "1"})
NO = frozenset({"否", "无", "未参加", "不参加", "N", "NO", "FALSE", "0"})


def parse_yes_no(value) -> bool:
    """是/否 (also Y/N, 1/0, TRUE/FALSE); blank is 是: the enterprise union confirms the
    worker's employee medical insurance, as before the column existed."""
    if blank(value):
        return True
    if isinstance(value, bool):
        return value
    text = cell_text(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("medical_insured.format")


def _medical_issues(checked: Checked, raw: list | None) -> Found:
    """参加职工医保: 否 refuses a plan whose version requires employee medical insurance (the
    common terms of DOMAIN.md: workers "in urban employee medical insurance")."""
    issues = []
    for i, value in enumerate(raw or ()):
        if blank(value):
            continue
        try:
            insured = parse_yes_no(value)
        except ValueError:
            issues.append((i, ("medical_insured.format", {"value": cell_text(value)[:20]})))
            continue
        checked.medical_insured[i] = insured
        plan = checked.plans[i]
        if not insured and plan is not None and plan.requires_medical_insurance:
            issues.append((i, ("eligibility.medical_insurance", {"plan": plan.name})))
    return "参加职工医保", issues


def _eligibility_issues(checked: Checked, terms: Terms) -> tuple[Found, Found]:
    """Age (and sex, for women's plans) on the day cover would start; reported on the ID
    number, which carries both. A start after the period is the employment date's issue."""
    issues, late = [], []
    for i, plan in enumerate(checked.plans):
        birth = checked.birth[i]
        if plan is None or birth is None:
            continue
        start = coverage_start(plan, terms.starts_on, checked.employment_start[i])
        if start is None:
            late.append((i, ("employment_start.after_period", {"ends": plan.period_end.isoformat()})))
            continue
        problem = eligibility_problem(birth, bool(checked.male[i]), start, plan)
        if problem:
            issues.append((i, problem))
        else:
            checked.starts_on[i] = start
    return ("入职日期", late), ("身份证号", issues)


# --- Eligibility and dates (shared with collective enrolment, renewal and moves) ----------------

def eligibility_problem(birth: date, male: bool, on: date, plan: PlanTerms) -> tuple[str, dict] | None:
    """Age at the start of cover within the plan's range (DOMAIN.md: in-service workers aged
    16–60), and women-only plans."""
    age = core_rules.age_on(birth, on)
    if age < plan.min_age or age > plan.max_age:
        return "eligibility.age", {"age": age, "min": plan.min_age, "max": plan.max_age, "on": on.isoformat()}
    if plan.women_only and male:
        return "eligibility.women_only", {"plan": plan.name}
    return None


def coverage_start(plan: PlanTerms, asked: date, employment_start: date | None) -> date | None:
    """Cover starts on the asked day, not before the period nor before the worker started;
    None when that is after the period ends."""
    start = max(asked, plan.period_start, employment_start or asked)
    return start if start <= plan.period_end else None


def waiting_ends(starts_on: date, waiting_days: int, unbroken: bool) -> date:
    """The first day an illness is covered. New enrolees wait `waiting_days` (90 in the common
    terms); an unbroken renewal or move does not wait again. Accidents never wait: that is the
    adjudication's rule (rules_claims), the date here is for illness."""
    if unbroken or waiting_days <= 0:
        return starts_on
    return starts_on + timedelta(days=waiting_days)


def continues(previous_end: date | None, starts_on: date) -> bool:
    """Cover continues without a break when the new cover starts on the day after the old one
    ended (or earlier, for an overlap the caller has already refused)."""
    return previous_end is not None and previous_end + timedelta(days=1) == starts_on


def period_end(starts_on: date, months: int) -> date:
    """The last day of a period of `months` months from `starts_on` (2026-01-01, 12 ->
    2026-12-31; 2026-01-31, 1 -> 2026-02-27... the day before the same day next month, clamped)."""
    total = starts_on.month - 1 + months
    year, month = starts_on.year + total // 12, total % 12 + 1
    day = min(starts_on.day, _month_length(year, month))
    return date(year, month, day) - timedelta(days=1)


def _month_length(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def end_on_leaving(left_on: date, starts_on: date, ends_on: date, paid: Sequence[tuple[date, date]]) -> date:
    """Leaving the enterprise: cover runs to the end of the paid period containing the day of
    leaving (never beyond the coverage's own end); with nothing paid for that day it ends on
    the day of leaving."""
    if left_on < starts_on:
        raise ValueError("leave.before_start")
    for first, last in paid:
        if first <= left_on <= last:
            return min(max(last, left_on), ends_on)
    return min(left_on, ends_on)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


# --- Checks across rows and against records ---------------------------------------------------------


def id_key(number: str) -> int:
    """An ID number as one integer (17 digits and the check character as 0–10), for the set of
    numbers already seen in the file: a million of them in ~60 MB instead of ~150 MB."""
    check = 10 if number[17] == "X" else int(number[17])
    return int(number[:17]) * 11 + check


class Seen:
    """The (person, plan) pairs met so far in a file, with the row each was first met on: one
    integer key each (ID key × 1024 + the plan's slot), ~100 bytes a row at a million rows."""

    def __init__(self) -> None:
        self.first: dict[int, int] = {}
        self.slots: dict[str, int] = {}

    def key(self, id_number_key: int, plan_code: str) -> int:
        slot = self.slots.setdefault(plan_code, len(self.slots))
        return id_number_key * 1024 + slot


def check_duplicates(checked: Checked, seen: Seen) -> None:
    """The same person twice for the same plan in the file: the later rows are refused,
    naming the first. `seen` carries over from chunk to chunk."""
    keys, plans, first_rows = checked.keys, checked.plans, seen.first
    for i in checked.clean_rows():
        key = seen.key(keys[i], plans[i].code)
        first = first_rows.get(key)
        if first is None:
            first_rows[key] = checked.numbers[i]
        else:
            _flag(checked, i, "身份证号", "row.duplicate", first=first)


@dataclass(frozen=True)
class Existing:
    """What the records say about one ID number: the person (if registered) and their cover
    under the plans in question, as (plan code, enterprise id, starts, ends, coverage id,
    enrolment id, has a renewal)."""

    person_id: int | None
    name: str
    coverages: tuple[tuple[str, int, date, date, int, int, bool], ...] = ()


@dataclass
class Placement:
    """Where a clean row goes: an existing person or a new one (`index`: its blind index),
    skipped as already covered, and the coverage it continues (no new waiting period)."""

    person_id: int | None
    already: bool
    continues_from: int | None
    waiting_ends_on: date | None
    index: str = ""


def check_against_records(checked: Checked, existing: dict[str, Existing], enterprise_id: int,
                          enrolment_ids: dict[str, int | None]) -> list[Placement | None]:
    """Rows against the records: a registered person must carry the same name; a person
    covered under the plan for an overlapping period is refused (by another enterprise, or
    by this one under another enrolment) and one already covered in this enrolment is
    skipped; cover continuing the day after earlier cover does not wait again."""
    placements: list[Placement | None] = [None] * len(checked.numbers)
    numbers, plans, starts = checked.id_numbers, checked.plans, checked.starts_on
    waits: dict[tuple[date, int], date] = {}  # a new enrolee's waiting end, by (start, waiting days)
    for i in checked.clean_rows():
        found = existing.get(numbers[i])
        plan = plans[i]
        start = starts[i]
        if found is None:
            wait = waits.get((start, plan.waiting_days))
            if wait is None:
                wait = waits[start, plan.waiting_days] = waiting_ends(start, plan.waiting_days, False)
            placements[i] = Placement(None, False, None, wait)
            continue
        if found.person_id is not None and found.name != checked.names[i]:
            _flag(checked, i, "姓名", "name.mismatch")
            continue
        placement, problem = place(found.person_id, found.coverages, plan, start, enterprise_id,
                                   enrolment_ids.get(plan.code))
        if problem:
            _flag(checked, i, "身份证号", problem[0], **problem[1])
        placements[i] = placement
    return placements


def place(person_id: int | None, coverages, plan: PlanTerms, start: date, enterprise_id: int,
          enrolment_id: int | None) -> tuple[Placement | None, tuple[str, dict] | None]:
    """A person's new cover under `plan` from `start` to the period's end, against the cover
    they hold: already in this enrolment (skip), overlapping other cover (refuse), or
    continuing cover that ended the day before (no new waiting period)."""
    previous = None
    for code, enterprise, first, last, coverage, enrolment, renewed in coverages:
        if code != plan.code:
            continue
        if enrolment_id is not None and enrolment == enrolment_id:
            return Placement(person_id, True, None, None), None
        if overlaps(first, last, start, plan.period_end):
            reason = "coverage.elsewhere" if enterprise != enterprise_id else "coverage.overlap"
            return None, (reason, {"ends": last.isoformat()})
        if continues(last, start) and not renewed:
            previous = coverage
    unbroken = previous is not None
    return Placement(person_id, False, previous, waiting_ends(start, plan.waiting_days, unbroken)), None


# --- Participation ------------------------------------------------------------------------------


def participation(covered: int, members: int, minimum_percent: int) -> tuple[int | None, bool]:
    """The participation rate in whole percent (rounded down) of the union's members, and
    whether it is below the rule row's minimum. No members: no rate and no warning."""
    if members <= 0:
        return None, False
    rate = covered * 100 // members
    return rate, rate < minimum_percent
