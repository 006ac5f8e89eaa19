"""Bulk generation of a synthetic province for demos and benchmarks (`zhigong demo`).

Two halves. The planning and generation functions are pure: from a seed they compute the
territory, the enterprises and, chunk by chunk, the people as columns, so the same seed always
gives the same names and ID numbers. The writing functions turn those columns into rows
(encrypting ID numbers with the very functions the one-at-a-time action uses), insert them in
chunks with one transaction and one trail event per chunk carrying the SHA-256 of what was
written, and finally set every organization's member count.

Peak memory stays flat: only one chunk of people exists at a time."""

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import numpy as np
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from zhigong import trail
from zhigong.core import actions, crypto, paging, rules
from zhigong.core.identifiers import credit_code, id_number
from zhigong.core.models import Employment, EnterpriseProfit, Membership, Organization, Person
from zhigong.core.names import draw_names

# The chunk is part of the seed: people are drawn chunk by chunk from (seed, chunk number).
CHUNK_SIZE = 10_000
PEOPLE_PER_ENTERPRISE = 150
ENTERPRISES_PER_COUNTY = 4
COUNTIES_PER_CITY = 2
PROFIT_YEARS = 3
# Workers are 18 to 60 on the day the demo is built, born 1965–2005.
YOUNGEST_AGE, OLDEST_AGE = 18, 60
EARLIEST_BIRTH, LATEST_BIRTH = date(1965, 1, 1), date(2005, 12, 31)
# 江苏省 2025 monthly minimum wage, class 1 (苏政发〔2025〕); part-time jobs are paid by the hour.
MINIMUM_WAGE_YUAN, PART_TIME_FLOOR_YUAN = 2490, 1000
Kind = Organization.Kind
Form = Employment.Form
T = TypeVar("T")

# --- What the province's economy looks like ----------------------------------------------------

FORMS = (Form.LABOUR_CONTRACT, Form.DISPATCHED, Form.PART_TIME, Form.FLEXIBLE, Form.PLATFORM)
FORM_WAGE_FACTOR = np.array([1.0, 0.85, 0.4, 0.8, 0.95])
# Share of each form's workers who are union members (≈85 % overall).
FORM_MEMBER_SHARE = np.array([0.90, 0.80, 0.55, 0.60, 0.65])
_ORDINARY = (0.88, 0.07, 0.03, 0.01, 0.01)


@dataclass(frozen=True)
class Industry:
    name: str  # GB/T 4754-2017 section
    weight: float  # share of enterprises
    trades: tuple[str, ...]  # how company names in the industry end (…机械有限公司)
    median_wage_yuan: int
    male_share: float
    forms: tuple[float, ...] = _ORDINARY  # probabilities in FORMS order
    revenue_per_head_yuan: int = 800_000
    margin: float = 0.05


INDUSTRIES = (
    Industry("制造业", 34, ("机械", "电子", "纺织", "化工", "精密制造", "新材料", "食品", "汽车零部件", "电气", "服装"),
             6800, 0.60, revenue_per_head_yuan=1_400_000, margin=0.06),
    Industry("建筑业", 9, ("建设工程", "建筑安装", "路桥工程", "装饰工程"), 7000, 0.85,
             (0.80, 0.12, 0.02, 0.05, 0.01), 900_000, 0.03),
    Industry("批发和零售业", 12, ("商贸", "超市", "医药连锁", "贸易"), 6000, 0.45,
             (0.80, 0.05, 0.10, 0.03, 0.02), 2_000_000, 0.02),
    Industry("交通运输、仓储和邮政业", 7, ("物流", "运输", "供应链", "速递"), 7500, 0.80,
             (0.62, 0.08, 0.03, 0.07, 0.20), 700_000, 0.04),
    Industry("住宿和餐饮业", 6, ("餐饮管理", "酒店管理", "食品连锁"), 4800, 0.45,
             (0.66, 0.05, 0.15, 0.06, 0.08), 250_000, 0.03),
    Industry("信息传输、软件和信息技术服务业", 7, ("软件", "信息技术", "网络科技", "数据科技"), 14000, 0.65,
             revenue_per_head_yuan=900_000, margin=0.10),
    Industry("金融业", 2, ("融资租赁", "保险代理"), 13000, 0.45,
             revenue_per_head_yuan=2_000_000, margin=0.18),
    Industry("租赁和商务服务业", 9, ("人力资源", "物业管理", "企业管理咨询", "会展服务"), 7000, 0.50,
             (0.70, 0.20, 0.05, 0.03, 0.02), 600_000, 0.06),
    Industry("居民服务、修理和其他服务业", 5, ("家政服务", "汽车维修", "洗涤服务"), 5000, 0.45,
             (0.60, 0.05, 0.15, 0.12, 0.08), 200_000, 0.04),
    Industry("科学研究和技术服务业", 4, ("检测技术", "工程设计", "环境科技"), 11000, 0.60,
             revenue_per_head_yuan=600_000, margin=0.08),
    Industry("卫生和社会工作", 5, ("康复医院", "养老服务", "护理服务"), 9500, 0.25,
             revenue_per_head_yuan=300_000, margin=0.05),
)

# 字号: the distinctive part of a company name.
TRADE_NAMES = (
    "恒通", "鑫源", "永和", "宏达", "新程", "天合", "锦程", "瑞丰", "华远", "东升", "金石", "长风",
    "同舟", "众诚", "博远", "嘉禾", "立信", "润泽", "盛华", "荣昌", "中联", "信达", "华盛", "明辉",
    "德隆", "安泰", "福源", "兴业", "汇通", "和顺", "九州", "五洲", "光明", "益民", "百川", "鼎盛",
    "通达", "万象", "宏远", "志诚", "凯瑞", "恒信", "富源", "海纳", "天成", "星辰", "云帆", "启航",
    "卓越", "协力", "永盛", "隆昌", "金盛", "祥和", "瑞华", "广源", "泰和", "宏图", "新锐", "春晖",
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189",
    "191", "198", "199",
)
# Multiplier coprime with 10**8: i -> (A·i + B) mod 10**8 is a permutation, so mobile numbers
# look random yet never repeat.
_MOBILE_MULTIPLIER = 54_435_761

# --- Plan: territory and enterprises (pure) ----------------------------------------------------


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    parent: str | None = None

    @property
    def short(self) -> str:
        """玄武区 → 玄武, 南京市 → 南京, 沛县 stays 沛县."""
        return self.name[:-1] if len(self.name) > 2 and self.name[-1] in "省市区县旗" else self.name


@dataclass
class Territory:
    province: Place
    cities: list[Place]
    counties: list[Place]


@dataclass
class EnterprisePlan:
    """One row per enterprise, as columns."""

    county: np.ndarray  # index into Territory.counties
    industry: np.ndarray  # index into INDUSTRIES
    size: np.ndarray  # workers
    first_person: np.ndarray  # global index of the enterprise's first worker
    names: list[str]
    credit_codes: list[str]
    profits_fen: np.ndarray  # (enterprises, PROFIT_YEARS)
    profit_years: list[int]

    def __len__(self) -> int:
        return len(self.size)


@dataclass
class DemoPlan:
    seed: int
    people: int
    today: date
    territory: Territory
    enterprises: EnterprisePlan
    persona_enterprise: int
    chunk_size: int = CHUNK_SIZE

    @property
    def persona_person(self) -> int:
        return int(self.enterprises.first_person[self.persona_enterprise])


def enterprise_count(people: int) -> int:
    return max(1, min(people, max(3, round(people / PEOPLE_PER_ENTERPRISE))))


def choose_territory(province: Place, places: Sequence[Place], enterprises: int) -> Territory:
    """The province, and as many of its cities and counties as the enterprises can fill: a few
    for a small demo (so each county has several enterprises), all of them for a large one.
    Counties are taken round-robin over the cities in code order."""
    cities = [p for p in places if p.parent == province.code]
    by_city = {c.code: [p for p in places if p.parent == c.code] for c in cities}
    cities = [c for c in cities if by_city[c.code]]  # 东莞-like cities without counties
    total = sum(len(v) for v in by_city.values())
    want = min(total, max(min(2, enterprises), -(-enterprises // ENTERPRISES_PER_COUNTY)))
    chosen_cities = cities[: max(1, -(-want // COUNTIES_PER_CITY))]
    counties: list[Place] = []
    for round_no in range(max(len(v) for v in by_city.values())):
        for city in chosen_cities:
            if round_no < len(by_city[city.code]) and len(counties) < want:
                counties.append(by_city[city.code][round_no])
    used = {c.parent for c in counties}
    return Territory(province, [c for c in chosen_cities if c.code in used], counties)


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into len(weights) integers ≥ 1 proportional to the weights (largest
    remainder), summing exactly to total."""
    count = len(weights)
    share = weights / weights.sum() * (total - count)
    sizes = np.floor(share).astype(np.int64)
    short = total - count - int(sizes.sum())
    sizes[np.argsort(-(share - sizes), kind="stable")[:short]] += 1
    return sizes + 1


def draw_enterprise_sizes(rng: np.random.Generator, people: int, count: int) -> np.ndarray:
    # Log-normal: many small firms, a few with thousands of workers.
    return allocate(people, rng.lognormal(0.0, 1.2, count))


def draw_enterprise_names(rng: np.random.Generator, territory: Territory, county: np.ndarray,
                          industry: np.ndarray) -> list[str]:
    cities = {c.code: c for c in territory.cities}
    taken: set[str] = set()
    names = []
    for number, (k, i) in enumerate(zip(county.tolist(), industry.tolist(), strict=True)):
        place = territory.counties[k]
        prefixes = (place.short, cities[place.parent].short, territory.province.short)
        names.append(_unique_name(rng, prefixes, INDUSTRIES[i].trades, taken, number))
    return names


def _unique_name(rng, prefixes, trades, taken: set[str], number: int) -> str:
    for attempt in range(30):
        prefix = prefixes[min(attempt // 10, len(prefixes) - 1)]
        name = f"{prefix}{TRADE_NAMES[rng.integers(len(TRADE_NAMES))]}{trades[rng.integers(len(trades))]}有限公司"
        if name not in taken:
            break
    else:
        name = f"{prefixes[0]}{trades[0]}{number + 1}号有限公司"
    taken.add(name)
    return name


def draw_profits(rng: np.random.Generator, size: np.ndarray, industry: np.ndarray) -> np.ndarray:
    """Yearly profit in fen per enterprise and year: revenue per head × margin, with the
    enterprise's own margin and a yearly wobble, so that about a quarter make a loss."""
    revenue = size * np.array([INDUSTRIES[i].revenue_per_head_yuan for i in industry])
    revenue = revenue * rng.lognormal(0.0, 0.3, len(size))
    margin = np.array([INDUSTRIES[i].margin for i in industry]) + rng.normal(0, 0.06, len(size))
    yearly = margin[:, None] + rng.normal(0, 0.03, (len(size), PROFIT_YEARS))
    return np.round(revenue[:, None] * yearly).astype(np.int64) * 100


def plan_demo(province: Place, places: Sequence[Place], people: int, seed: int, today: date) -> DemoPlan:
    """Everything about the demo that is decided before the first person is drawn."""
    rng = np.random.default_rng([seed, 0])
    count = enterprise_count(people)
    territory = choose_territory(province, places, count)
    county = rng.permutation(np.arange(count) % len(territory.counties))
    weights = np.array([i.weight for i in INDUSTRIES], dtype=float)
    industry = rng.choice(len(INDUSTRIES), size=count, p=weights / weights.sum())
    size = draw_enterprise_sizes(rng, people, count)
    serial_base = int(rng.integers(10_000_000, 80_000_000))
    codes = [credit_code(territory.counties[k].code, serial_base + n) for n, k in enumerate(county.tolist())]
    plan = EnterprisePlan(
        county=county, industry=industry, size=size,
        first_person=np.concatenate([[0], np.cumsum(size)[:-1]]),
        names=draw_enterprise_names(rng, territory, county, industry), credit_codes=codes,
        profits_fen=draw_profits(rng, size, industry),
        profit_years=[today.year - PROFIT_YEARS + n for n in range(PROFIT_YEARS)],
    )
    # The personas work in the largest enterprise of the first county: a page worth showing.
    in_first = np.flatnonzero(county == 0)
    persona = int(in_first[np.argmax(size[in_first])])
    return DemoPlan(seed, people, today, territory, plan, persona)


# --- People (pure) ----------------------------------------------------------------------------


@dataclass
class PeopleChunk:
    """Columns for the people [start, start + len) of the demo, with their job and membership."""

    start: int
    enterprise: np.ndarray
    names: list[str]
    id_numbers: list[str]
    birth_dates: list[date]
    male: np.ndarray
    mobiles: list[str]
    forms: list[str]
    wages_fen: list[int]
    start_dates: list[date]
    member: np.ndarray
    joined_on: list[date]

    def __len__(self) -> int:
        return len(self.enterprise)


@dataclass
class BirthWindow:
    first: date
    days: int

    @classmethod
    def on(cls, today: date) -> "BirthWindow":
        """Whole birth years whose people are 18 to 60 on every day of today's year: the window,
        and with it every name and ID number, stays the same all year for the same seed."""
        first = max(EARLIEST_BIRTH, date(today.year - OLDEST_AGE + 1, 1, 1))
        last = min(LATEST_BIRTH, date(today.year - YOUNGEST_AGE - 1, 12, 31))
        return cls(first, (last - first).days + 1)


@dataclass
class SequenceCounters:
    """How many ID numbers each (county, birth day, sex) has handed out: the GB 11643 sequence
    code is three digits with the sex in its parity, so 500 per sex, county and day. Counting
    instead of drawing makes ID numbers unique without remembering them."""

    counties: int
    days: int
    used: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.used = np.zeros(self.counties * self.days * 2, dtype=np.int32)

    def take(self, county: np.ndarray, day: np.ndarray, male: np.ndarray) -> np.ndarray:
        keys = (county * self.days + day) * 2 + male
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        rank = np.empty(len(keys), dtype=np.int64)
        rank[order] = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
        taken = self.used[keys] + rank
        if len(taken) and taken.max() >= 500:
            raise ValueError("more than 500 people of one sex born on one day in one county")
        np.add.at(self.used, keys, 1)
        # Scramble the n-th number of each (county, day, sex) over 0..499 so that the codes do
        # not all start 00: a bijection, (n·367 + offset) mod 500 with 367 coprime to 500.
        scrambled = (taken * 367 + keys * 2_654_435_761 % 500) % 500
        return scrambled * 2 + male  # odd for men (GB 11643 art. 5.4)


def iter_people(plan: DemoPlan) -> Iterator[PeopleChunk]:
    """The demo's people, chunk by chunk. Pure: the same plan gives the same people."""
    window = BirthWindow.on(plan.today)
    counters = SequenceCounters(len(plan.territory.counties), window.days)
    for number, start in enumerate(range(0, plan.people, plan.chunk_size)):
        stop = min(plan.people, start + plan.chunk_size)
        rng = np.random.default_rng([plan.seed, 1, number])
        yield draw_people(rng, plan, window, counters, start, stop)


def draw_people(rng: np.random.Generator, plan: DemoPlan, window: BirthWindow,
                counters: SequenceCounters, start: int, stop: int) -> PeopleChunk:
    ents = plan.enterprises
    index = np.arange(start, stop)
    enterprise = np.searchsorted(ents.first_person, index, side="right") - 1
    industry = ents.industry[enterprise]
    county = ents.county[enterprise]
    male = rng.random(len(index)) < np.array([i.male_share for i in INDUSTRIES])[industry]
    # Ages peak in the thirties and forties: Beta(2, 2.2) over the birth window.
    day = np.minimum((rng.beta(2.0, 2.2, len(index)) * window.days).astype(np.int64), window.days - 1)
    births = np.datetime64(window.first) + day
    form = _draw_forms(rng, industry)
    persona = index == plan.persona_person
    form[persona] = 0
    member = (rng.random(len(index)) < FORM_MEMBER_SHARE[form]) | persona
    started = _draw_start_dates(rng, births, plan.today)
    joined = np.minimum(started + rng.integers(0, 91, len(index)), np.datetime64(plan.today))
    sequence = counters.take(county, day, male.astype(np.int64))
    codes = [c.code for c in plan.territory.counties]
    birth_dates = births.astype("datetime64[D]").tolist()
    return PeopleChunk(
        start=start, enterprise=enterprise,
        names=draw_names(rng, male, births.astype("datetime64[Y]").astype(int) + 1970),
        id_numbers=[
            id_number(codes[k], b, s) for k, b, s in zip(county.tolist(), birth_dates, sequence.tolist(), strict=True)
        ],
        birth_dates=birth_dates, male=male, mobiles=_mobiles(rng, index, plan.seed),
        forms=[FORMS[f].value for f in form.tolist()], wages_fen=_draw_wages(rng, industry, form),
        start_dates=started.tolist(), member=member, joined_on=joined.tolist(),
    )


def _draw_forms(rng: np.random.Generator, industry: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(np.array([i.forms for i in INDUSTRIES]), axis=1)[industry]
    return (rng.random(len(industry))[:, None] > cumulative).sum(axis=1).clip(0, len(FORMS) - 1)


def _draw_start_dates(rng: np.random.Generator, births: np.ndarray, today: date) -> np.ndarray:
    """Started work at 18 or later, most within the last few years (short tenures dominate)."""
    adult = births + 18 * 365 + 5
    span = (np.datetime64(today) - adult).astype(np.int64)
    return np.datetime64(today) - (rng.beta(1.3, 3.0, len(births)) * span).astype(np.int64)


def _draw_wages(rng: np.random.Generator, industry: np.ndarray, form: np.ndarray) -> list[int]:
    median = np.array([i.median_wage_yuan for i in INDUSTRIES])[industry] * FORM_WAGE_FACTOR[form]
    yuan = median * rng.lognormal(0.0, 0.35, len(industry))
    floor = np.where(form == FORMS.index(Form.PART_TIME), PART_TIME_FLOOR_YUAN, MINIMUM_WAGE_YUAN)
    return (np.round(np.maximum(yuan, floor) / 10).astype(np.int64) * 1000).tolist()


def _mobiles(rng: np.random.Generator, index: np.ndarray, seed: int) -> list[str]:
    prefixes = rng.integers(0, len(MOBILE_PREFIXES), len(index)).tolist()
    offset = (seed * 7_919 + 12_345) % 10**8
    suffixes = ((index * _MOBILE_MULTIPLIER + offset) % 10**8).tolist()
    return [f"{MOBILE_PREFIXES[p]}{s:08d}" for p, s in zip(prefixes, suffixes, strict=True)]


# --- Writing ----------------------------------------------------------------------------------

PERSON_FIELDS = (
    "id", "name", "id_number_encrypted", "id_number_index", "id_masked", "id_last4", "birth_date",
    "sex", "mobile", "region_id", "scope_path",
)
EMPLOYMENT_FIELDS = ("person_id", "enterprise_id", "start_date", "end_date", "form", "monthly_wage_fen", "region_id")
MEMBERSHIP_FIELDS = ("person_id", "union_id", "joined_on", "left_on", "transferred_from_id", "region_id")
ORGANIZATION_FIELDS = (
    "id", "kind", "level", "name", "parent_id", "path", "region_id", "federation_id", "credit_code",
    "industry", "employee_count", "member_count", "is_active",
)
PROFIT_FIELDS = ("enterprise_id", "year", "profit_fen")


def insert_rows(model, fields: Sequence[str], rows: list[tuple], meanwhile: Callable[[], None] | None = None) -> None:
    """Insert rows (tuples in `fields` order; created_at/updated_at are stamped here).
    PostgreSQL: COPY. Elsewhere one prepared INSERT run by executemany: bulk_create would
    build a model instance and SQL text for every row, 20 times slower at a million.
    `meanwhile` (e.g. digesting the rows) runs once the rows are sent and before waiting for
    the server to finish with them, so on PostgreSQL the two overlap."""
    if not rows:
        if meanwhile:
            meanwhile()
        return
    now = timezone.now()
    stamps = [f.attname for f in model._meta.concrete_fields if f.attname in ("created_at", "updated_at")]
    columns = [*fields, *stamps]
    if connection.vendor == "postgresql":
        _copy_rows(model, columns, rows, (now,) * len(stamps), meanwhile)
    else:
        extra = (connection.ops.adapt_datetimefield_value(now),) * len(stamps)
        _insert_many(model, columns, [tuple(map(_adapt, row)) + extra for row in rows])
        if meanwhile:
            meanwhile()


def _column_list(model, fields: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)


def _copy_rows(model, fields: Sequence[str], rows: list[tuple], extra: tuple,
               meanwhile: Callable[[], None] | None = None) -> None:
    # Binary COPY: the server skips parsing text, a quarter less time than the text format.
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({_column_list(model, fields)}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types([_pg_type(model, f) for f in fields])
        for row in rows:
            copy.write_row(row + extra)
        if meanwhile:
            meanwhile()  # the server works through the rows sent so far


def _pg_type(model, name: str) -> str:
    """The column's type as psycopg names it: "varchar(64)" → "varchar"."""
    return model._meta.get_field(name).db_type(connection).split("(")[0]


def _insert_many(model, fields: Sequence[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({_column_list(model, fields)}) VALUES ({marks})", rows)


def _adapt(value):
    # Dates as ISO text, the way Django stores DateField in SQLite (the sqlite3 module's own
    # date adapter is deprecated).
    return value.isoformat() if isinstance(value, date) else value


def digest_rows(hasher, rows: Sequence[tuple]) -> None:
    """Feed rows to a SHA-256: one repr() per row, as the values read back from the database
    (str, int, bytes, date, bool, None) print the same on every backend."""
    hasher.update("\n".join(map(repr, rows)).encode())
    hasher.update(b"\n")


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(*models) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them (SQLite's
    AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass
class Structure:
    """The organizations the people are placed into, per enterprise of the plan."""

    enterprise_ids: list[int]
    enterprise_paths: list[str]
    union_ids: list[int]
    union_paths: list[str]
    county_codes: list[str]


def write_enterprises(actor, plan: DemoPlan, county_federations: Sequence[Organization]) -> Structure:
    """Every enterprise with its union and profit figures, in one transaction and one trail
    event. Credit codes pass the same rule the create action applies."""
    ents, first = plan.enterprises, next_id(Organization)
    structure = Structure([], [], [], [], [])
    org_rows, profit_rows = [], []
    for n in range(len(ents)):
        federation = county_federations[int(ents.county[n])]
        org_rows += _enterprise_rows(plan, n, first + 2 * n, federation, structure)
        profit_rows += [(first + 2 * n, y, int(p)) for y, p in zip(ents.profit_years, ents.profits_fen[n], strict=True)]
    hasher = hashlib.sha256()
    digest_rows(hasher, org_rows)
    digest_rows(hasher, profit_rows)
    with transaction.atomic():
        insert_rows(Organization, ORGANIZATION_FIELDS, org_rows)
        insert_rows(EnterpriseProfit, PROFIT_FIELDS, profit_rows)
        reset_sequences(Organization)
        paging.changed(paging.ORGANIZATIONS)
        trail.record(actor, "demo.enterprises", ("batch", "enterprises"), {
            "enterprises": len(ents), "first_organization": first, "last_organization": first + 2 * len(ents) - 1,
            "profits": len(profit_rows), "sha256": hasher.hexdigest(),
        })
    return structure


def _enterprise_rows(plan: DemoPlan, n: int, pk: int, federation: Organization, structure: Structure) -> list[tuple]:
    ents = plan.enterprises
    code = rules.validate_credit_code(ents.credit_codes[n])
    path, union_path = f"{federation.path}{pk}/", f"{federation.path}{pk}/{pk + 1}/"
    region = federation.region_id
    structure.enterprise_ids.append(pk)
    structure.enterprise_paths.append(path)
    structure.union_ids.append(pk + 1)
    structure.union_paths.append(union_path)
    structure.county_codes.append(region)
    name = ents.names[n]
    return [
        (pk, Kind.ENTERPRISE.value, "", name, federation.pk, path, region, None, code,
         INDUSTRIES[int(ents.industry[n])].name, int(ents.size[n]), 0, True),
        (pk + 1, Kind.ENTERPRISE_UNION.value, "", f"{name}工会", pk, union_path, region, federation.pk,
         None, "", 0, 0, True),
    ]


@dataclass
class PreparedPeople:
    """One chunk of people as rows ready to insert, with the digest of those rows."""

    number: int
    people: list[tuple]
    jobs: list[tuple]
    members: list[tuple]
    sha256: str
    union_members: np.ndarray  # new members per enterprise of the plan


def prepare_people(plan: DemoPlan, structure: Structure, chunk: PeopleChunk, first_id: int,
                   number: int) -> PreparedPeople:
    """Rows for a chunk: ID numbers encrypted and indexed by the functions the one-at-a-time
    action uses (crypto.encrypt, actions.id_index), never a copy of them."""
    people, jobs, members = _people_rows(chunk, structure, first_id)
    hasher = hashlib.sha256()
    for rows in (people, jobs, members):
        digest_rows(hasher, rows)
    counts = np.bincount(chunk.enterprise[chunk.member], minlength=len(plan.enterprises))
    return PreparedPeople(number, people, jobs, members, hasher.hexdigest(), counts)


def _people_rows(chunk: PeopleChunk, structure: Structure, first_id: int) -> tuple[list, list, list]:
    people, jobs, members = [], [], []
    enterprise = chunk.enterprise.tolist()
    member = chunk.member.tolist()
    for i, number in enumerate(chunk.id_numbers):
        pk, e = first_id + i, enterprise[i]
        region = structure.county_codes[e]
        people.append((
            pk, chunk.names[i], crypto.encrypt(number, actions.ID_PURPOSE), actions.id_index(number),
            rules.mask_id_number(number), number[-4:], chunk.birth_dates[i], "M" if chunk.male[i] else "F",
            chunk.mobiles[i], region, structure.enterprise_paths[e],
        ))
        jobs.append((pk, structure.enterprise_ids[e], chunk.start_dates[i], None, chunk.forms[i],
                     chunk.wages_fen[i], region))
        if member[i]:
            members.append((pk, structure.union_ids[e], chunk.joined_on[i], None, None, region))
    return people, jobs, members


def write_people(actor, prepared: PreparedPeople) -> None:
    """One chunk in one transaction, with one trail event holding the SHA-256 of its rows."""
    people = prepared.people
    with transaction.atomic():
        insert_rows(Person, PERSON_FIELDS, people)
        insert_rows(Employment, EMPLOYMENT_FIELDS, prepared.jobs)
        insert_rows(Membership, MEMBERSHIP_FIELDS, prepared.members)
        trail.record(actor, "demo.people", ("batch", prepared.number), {
            "first_person": people[0][0], "last_person": people[-1][0], "people": len(people),
            "employments": len(prepared.jobs), "memberships": len(prepared.members),
            "sha256": prepared.sha256,
        })
    reset_queries()  # DEBUG keeps every statement; a million rows of SQL would not fit


def read_ahead(items: Iterable[T]) -> Iterator[T]:
    """Compute the next item in a thread while the caller works on this one: on two cores the
    drawing and encrypting of chunk n+1 overlaps the database's work on chunk n (the driver
    releases the GIL while it waits)."""
    iterator = iter(items)
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(next, iterator, _END)
        while (item := future.result()) is not _END:
            future = pool.submit(next, iterator, _END)
            yield item


_END = object()


@dataclass
class PeopleLoaded:
    first_id: int
    people: int = 0
    memberships: int = 0
    union_members: np.ndarray | None = None


def load_people(actor, plan: DemoPlan, structure: Structure, progress: Callable[[int], None]) -> PeopleLoaded:
    """All the plan's people, chunk by chunk; `progress` hears how many each chunk added."""
    first_id = next_id(Person)
    prepared = (
        prepare_people(plan, structure, chunk, first_id + chunk.start, number)
        for number, chunk in enumerate(iter_people(plan))
    )
    loaded = PeopleLoaded(first_id, union_members=np.zeros(len(plan.enterprises), dtype=np.int64))
    _bulk_session()
    for chunk in read_ahead(prepared):
        write_people(actor, chunk)
        loaded.people += len(chunk.people)
        loaded.memberships += len(chunk.members)
        loaded.union_members += chunk.union_members
        progress(len(chunk.people))
    reset_sequences(Person)
    return loaded


def analyze_tables(*models) -> None:
    """Fresh planner statistics after a bulk load. Without them PostgreSQL plans for the empty
    tables it last saw: at a million workers a worker's home page took 0.6 s (a scan of every
    employment) instead of a few milliseconds."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _bulk_session() -> None:
    """PostgreSQL, this connection only: do not wait for the WAL flush at each chunk's commit.
    A crash can lose the last chunks, never corrupt them; a demo is rebuilt, not recovered.
    (SQLite: a 64 MiB page cache made no clear difference at 400,000 workers, for 70 MB more.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def path_ids(path: str) -> list[int]:
    """The organization ids on a materialized path, top first: "/1/5/42/" → [1, 5, 42]."""
    return [int(part) for part in path.strip("/").split("/")]


def write_member_counts(actor, structure: Structure, union_members: np.ndarray) -> dict[int, int]:
    """Set member_count on every organization from the counts per union: a union's members
    count for it and for every organization on its path."""
    totals: dict[int, int] = {}
    for path, count in zip(structure.union_paths, union_members.tolist(), strict=True):
        for pk in path_ids(path):
            totals[pk] = totals.get(pk, 0) + count
    rows = sorted(totals.items())
    hasher = hashlib.sha256()
    digest_rows(hasher, rows)
    with transaction.atomic():
        Organization.objects.bulk_update(
            [Organization(pk=pk, member_count=count) for pk, count in rows], ["member_count"], batch_size=500,
        )
        trail.record(actor, "demo.member_counts", ("batch", "member_counts"), {
            "organizations": len(rows), "sha256": hasher.hexdigest(),
        })
    return totals
