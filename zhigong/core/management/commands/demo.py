"""zhigong demo --members N [--seed S] [--province CODE]: a reproducible synthetic province.

The federations and the persona accounts go through core.actions, one trail event each; the
enterprises, people, jobs and memberships go through core.batch in chunks, one trail event per
chunk. Refuses to run into a database that already holds organizations."""

import importlib
import time
from dataclasses import dataclass
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from zhigong.core import actions, batch
from zhigong.core.models import Employment, EnterpriseProfit, Membership, Organization, Person, Region, Role, User
from zhigong.participation import demo as voice_demo

# The demo parts of the later domain apps, run in this order after the congress and workers'
# voice. Each module has build(ctx: DemoContext) -> Outcome (zhigong.participation.demo.Outcome:
# a report and extra persona rows). Evaluation comes after disclosure and tracking, whose data
# its automatic indicators read.
DEMO_PARTS: list[str] = ["zhigong.disclosure.demo", "zhigong.tracking.demo", "zhigong.mutualaid.demo",
                          "zhigong.evaluation.demo"]

DEMO_PASSWORD = "zhigong-demo"
Kind = Organization.Kind


@dataclass
class DemoContext:
    """What a later app's demo part builds on: the demo province and its persona accounts
    (admin, province_cadre, county_cadre, enterprise_admin, worker, auditor)."""

    admin: User
    seed: int
    password: str
    today: date
    province: Organization
    cities: list[Organization]
    counties: list[Organization]
    enterprise_ids: list[int]
    persona_enterprise_id: int
    users: dict[str, User]


@dataclass
class Persona:
    title: str
    username: str
    where: str
    note: str = ""


class Command(BaseCommand):
    help = "Build a reproducible demo province: federations, enterprises, workers, members, persona logins."
    # The demo touches models only; the system checks would import every URLconf and view
    # (and what they import), seconds of start-up for nothing. `migrate` skips them too.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000, help="number of workers (about 85%% join the union)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--province", default="320000", help="GB/T 2260 province code (default 江苏省)")

    def handle(self, *args, members: int, seed: int, province: str, **options):
        if members < 1:
            raise CommandError(_("职工人数至少为1。"))
        refuse_if_built()
        started = time.monotonic()
        plan = batch.plan_demo(*load_places(province), members, seed, timezone.localdate())
        admin = actions.create_platform_admin("admin", DEMO_PASSWORD)
        federations = build_federations(admin, plan.territory)
        structure = batch.write_enterprises(admin, plan, federations.counties)
        first_person, total_members = load_people(admin, plan, structure)
        personas = create_personas(admin, plan, federations, structure, first_person)
        # The congress, proposals, suggestions and suggestion box of the personas' enterprise.
        voice = voice_demo.build(admin, structure.enterprise_ids[plan.persona_enterprise], seed, DEMO_PASSWORD,
                                 chair="enterprise_admin", delegate="worker")
        personas += [Persona(*row) for row in voice.personas]
        reports = [voice.report]
        context = DemoContext(admin=admin, seed=seed, password=DEMO_PASSWORD, today=timezone.localdate(),
                              province=federations.province, cities=federations.cities,
                              counties=federations.counties, enterprise_ids=structure.enterprise_ids,
                              persona_enterprise_id=structure.enterprise_ids[plan.persona_enterprise],
                              users={u.username: u for u in User.objects.filter(username__in=PERSONA_USERNAMES)})
        for name in DEMO_PARTS:
            part = importlib.import_module(name).build(context)
            personas += [Persona(*row) for row in part.personas]
            reports.append(part.report)
        elapsed = time.monotonic() - started
        self.stdout.write(summary(plan, federations, total_members, elapsed))
        for report in reports:
            self.stdout.write(report)
        self.stdout.write(persona_table(personas))


def refuse_if_built() -> None:
    """The demo writes into an empty database only: mixing two demos (or a demo and real data)
    would leave member counts and personas that mean nothing."""
    if Organization.objects.exists():
        raise CommandError(_("数据库中已有组织数据，演示数据只能装入空数据库。请使用新的数据库后再运行。"))
    taken = sorted(User.objects.filter(username__in=PERSONA_USERNAMES).values_list("username", flat=True))
    if taken:
        raise CommandError(_("演示账号已存在：%(names)s。请使用新的数据库后再运行。") % {"names": "、".join(taken)})


PERSONA_USERNAMES = ("admin", "province_cadre", "county_cadre", "enterprise_admin", "worker", "auditor")


def load_places(code: str) -> tuple[batch.Place, list[batch.Place]]:
    province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
    if province is None:
        raise CommandError(_("省级行政区划代码不存在：%(code)s。") % {"code": code})
    rows = Region.objects.filter(code__startswith=code[:2]).exclude(code=code).order_by("code")
    places = [batch.Place(r.code, r.name, r.parent_id) for r in rows]
    return batch.Place(province.code, province.name), places


@dataclass
class Federations:
    province: Organization
    cities: list[Organization]
    counties: list[Organization]  # in the order of Territory.counties


def build_federations(admin, territory: batch.Territory) -> Federations:
    def create(place: batch.Place, parent: Organization | None) -> Organization:
        return actions.create_organization(admin, Kind.FEDERATION, parent, name=f"{place.name}总工会",
                                           region_code=place.code)

    province = create(territory.province, None)
    cities = {c.code: create(c, province) for c in territory.cities}
    counties = [create(c, cities[c.parent]) for c in territory.counties]
    return Federations(province, list(cities.values()), counties)


def load_people(admin, plan: batch.DemoPlan, structure: batch.Structure) -> tuple[int, int]:
    """People, jobs and memberships with a progress bar; then every member count."""
    with tqdm(total=plan.people, unit=_("人"), desc=_("职工"), disable=None, smoothing=0.1) as bar:
        loaded = batch.load_people(admin, plan, structure, bar.update)
    batch.write_member_counts(admin, structure, loaded.union_members)
    batch.analyze_tables(Organization, EnterpriseProfit, Person, Employment, Membership)
    return loaded.first_id, loaded.memberships


def create_personas(admin, plan: batch.DemoPlan, federations: Federations, structure: batch.Structure,
                    first_person: int) -> list[Persona]:
    county = federations.counties[0]
    city = Organization.objects.get(pk=county.parent_id)
    enterprise = Organization.objects.get(pk=structure.enterprise_ids[plan.persona_enterprise])
    person = Person.objects.get(pk=first_person + plan.persona_person)

    def account(username: str, role: str | None, org: Organization | None, **kwargs):
        user = actions.create_account(admin, username, DEMO_PASSWORD, person=kwargs.pop("person", None))
        if role:
            actions.grant_role(admin, user, role, org, **kwargs)
        return user

    account("province_cadre", Role.CADRE, federations.province)
    account("county_cadre", Role.CADRE, county, personal_data=True)
    account("enterprise_admin", Role.ENTERPRISE_ADMIN, enterprise)
    account("worker", None, None, person=person)
    account("auditor", Role.AUDITOR, city)
    return [
        Persona(_("平台管理员"), "admin", _("全平台")),
        Persona(_("省总工会干部"), "province_cadre", federations.province.name),
        Persona(_("县级总工会干部"), "county_cadre", county.name, _("可查看完整身份证号")),
        Persona(_("企业管理员"), "enterprise_admin", enterprise.name),
        Persona(_("职工"), "worker", f"{person.name}，{enterprise.name}",
                _("也可用手机号 %(mobile)s 登录") % {"mobile": person.mobile}),
        Persona(_("审计员"), "auditor", city.name, _("只读")),
    ]


def summary(plan: batch.DemoPlan, federations: Federations, members: int, elapsed: float) -> str:
    return _(
        "演示数据已生成：%(province)s，%(cities)s 个市级、%(counties)s 个县级总工会，%(enterprises)s 家企业，"
        "%(people)s 名职工，其中 %(members)s 名工会会员。\n用时 %(seconds).1f 秒，每秒 %(rate)s 人。\n"
    ) % {
        "province": federations.province.name, "cities": f"{len(federations.cities):,}",
        "counties": f"{len(federations.counties):,}", "enterprises": f"{len(plan.enterprises):,}",
        "people": f"{plan.people:,}", "members": f"{members:,}", "seconds": elapsed,
        "rate": f"{plan.people / elapsed:,.0f}" if elapsed else "—",
    }


def persona_table(personas: list[Persona]) -> str:
    lines = [_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD}]
    for p in personas:
        note = f"（{p.note}）" if p.note else ""
        lines.append(f"  {p.title}\t{p.username}\t{p.where}{note}")
    return "\n".join(lines) + "\n"
