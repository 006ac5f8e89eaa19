"""What the roster tests stand on: a plan with a 2026 version offered by a county pool of county A
(and none in county B unless asked), an xlsx builder, and valid ID numbers."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhigong.conftest import World
from zhigong.core.identifiers import id_number
from zhigong.mutualaid.models import Plan, PlanVersion, Pool
from zhigong.mutualaid.rules_roster import HEADERS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START = date(2026, 1, 1)
TODAY = date(2025, 12, 20)


@dataclass
class RosterWorld:
    world: World
    plan: Plan
    version: PlanVersion
    women_plan: Plan
    pool: Pool


def make_plan(code: str, name: str, waiting_days: int = 90, max_shares: int = 3, women_only: bool = False,
              effective_from: date = START) -> tuple[Plan, PlanVersion]:
    plan = Plan.objects.create(code=code, name=name, kind=Plan.Kind.CRITICAL_ILLNESS)
    version = PlanVersion.objects.create(
        plan=plan, label=f"{effective_from.year}年度", effective_from=effective_from, text="测试条款",
        price_fen=3000, waiting_days=waiting_days, max_shares=max_shares, women_only=women_only,
        published_at=datetime(2025, 12, 1, tzinfo=UTC))
    return plan, version


def add_version(plan: Plan, effective_from: date, **fields) -> PlanVersion:
    return PlanVersion.objects.create(plan=plan, label=f"{effective_from.year}年度", effective_from=effective_from,
                                      text="测试条款", price_fen=3000, published_at=datetime(2025, 12, 1, tzinfo=UTC),
                                      **fields)


def county_pool(federation, plans, level=Pool.Level.COUNTY) -> Pool:
    pool = Pool.objects.create(federation=federation, level=level, name=f"{federation.name}互助金",
                               region_code=federation.region_id)
    pool.plans.add(*plans)
    return pool


def build(world: World) -> RosterWorld:
    plan, version = make_plan("t-zhongji", "职工重大疾病互助保障（测试）")
    women, _v = make_plan("t-nvzhigong", "女职工特殊疾病互助保障（测试）", women_only=True, max_shares=1)
    pool = county_pool(world.county_a, [plan, women])
    return RosterWorld(world, plan, version, women, pool)


def person_id(n: int, birth: date = date(1988, 3, 14), region: str = "320102", male: bool | None = None) -> str:
    return id_number(region, birth, n, male=male)


def row(n: int, name: str | None = None, plan: str = "t-zhongji", shares=1, **changes) -> list:
    values = {"姓名": name or f"职工{n}", "身份证号": person_id(n), "手机号": f"138{n:08d}",
              "入职日期": date(2015, 7, 1), "月工资（元）": 6500.5, "保障计划": plan, "份数": shares,
              "参加职工医保": ""}
    values.update(changes)
    return [values[h] for h in HEADERS]


def xlsx(rows: list[list], header: list | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(list(header or HEADERS))
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)
