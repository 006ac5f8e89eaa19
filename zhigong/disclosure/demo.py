"""厂务公开 in the demo (`zhigong demo`): a year of disclosures.

The persona enterprise gets its whole catalogue through the actions: every obligation whose
period ended in the last twelve months published (most on time, a few late, two left missing so
the compliance shows what is overdue), a pay table, a correction with its reason, an accident
disclosed on event, departments responsible for their matters, acknowledgements and a worker's
question with the department's answer. The other enterprises get the same year in bulk: their
catalogues and publications written with bulk_create in chunks, one trail event per chunk with
the digest of what it wrote.

No action can publish on an earlier day. The persona enterprise's publications are published
today and then moved to the day they stand for in one transaction with a trail event of their
own ("demo.backdate_disclosure"), as participation/demo.py does for its overdue examples; the
congress's disclosures before its sessions (disclose_for_session) likewise."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core.models import Department, Organization
from zhigong.disclosure import actions, rules
from zhigong.disclosure.demo_congress import at, backdate
from zhigong.disclosure.models import Matter, Publication
from zhigong.disclosure.rulebook import load as load_rules
from zhigong.participation.demo import Outcome

CHUNK = 2000
# Which department answers for which default matter, where the enterprise has one by that name.
RESPONSIBLE = {"人力资源部": ("hiring_contracts", "pay_adjustment", "awards_penalties", "dismissals_layoffs",
                          "insurance_annuity", "training_funds", "labour_disputes"),
               "安全环保部": ("safety",), "生产部": ("operations_finance",)}


# --- The persona enterprise ----------------------------------------------------------------------

TEXTS = {
    "operations_finance": "本期完成营业收入%(n)d万元，利润总额%(m)d万元；主要产品产量、成本和应收账款情况见正文。",
    "hiring_contracts": "本期新招用职工%(k)d人，全部签订书面劳动合同；劳动合同续订%(n)d人，终止%(m)d人。",
    "pay_adjustment": "经工资集体协商，一线职工岗位工资平均上调%(k)d%%，自次月起执行，明细见下表。",
    "awards_penalties": "本期表彰先进班组%(k)d个、先进个人%(n)d名；给予纪律处分%(m)d人，处分依据和申辩途径见正文。",
    "safety": "本期未发生重伤及以上生产安全事故；开展隐患排查%(n)d次，整改隐患%(m)d项，全部闭环。",
    "insurance_annuity": "本期按时足额缴纳五项社会保险费和住房公积金，缴费人数%(n)d人；企业年金缴费%(m)d万元。",
    "training_funds": "全年提取职工教育经费%(n)d万元，使用%(m)d万元，其中一线职工培训占%(k)d%%。",
    "labour_disputes": "本期发生劳动争议%(k)d件，经企业劳动争议调解委员会调解解决%(k)d件，无仲裁和诉讼案件。",
    "leaders_pay": "企业负责人年度薪酬、业务招待费和公务用车费用情况见下表，请职工代表监督。",
    "resolutions_carried_out": "上年度职代会决议%(k)d项，已落实%(k)d项；提案%(n)d件，已办结%(m)d件。",
}
PAY_TABLE = {"columns": ["岗位序列", "调整前（元/月）", "调整后（元/月）", "涨幅"],
             "rows": [["生产操作", "4,860", "5,150", "6.0%"], ["设备维修", "5,320", "5,620", "5.6%"],
                      ["质量检验", "4,980", "5,250", "5.4%"], ["后勤服务", "4,200", "4,450", "6.0%"]]}
SKIP = ("labour_disputes", "training_funds")  # left missing: the overdue examples


def _due_periods(matter: Matter, grace: dict, today: date) -> list[rules.Period]:
    """The periods of the last twelve months that have ended, oldest first."""
    found = []
    for year in (today.year - 1, today.year):
        found += [p for p in rules.periods(matter.frequency, year, grace.get(matter.frequency, 0))
                  if today - timedelta(days=365) <= p.end < today]
    return found


def _persona_enterprise(ctx, enterprise: Organization, rng: random.Random) -> dict:
    chair = ctx.users["enterprise_admin"]
    actions.adopt_defaults(chair, enterprise)
    for name, codes in RESPONSIBLE.items():
        department = Department.objects.filter(enterprise=enterprise, name=name).first()
        for matter in Matter.objects.filter(enterprise=enterprise, code__in=codes):
            actions.set_department(chair, matter, department)
    grace = load_rules(enterprise.region_id, ctx.today).grace
    moves, made, skipped = {}, [], 0
    for matter in Matter.objects.filter(enterprise=enterprise, frequency__in=rules.PERIODIC).order_by("id"):
        for period in _due_periods(matter, grace, ctx.today):
            if matter.code in SKIP and period.due > ctx.today - timedelta(days=120):
                skipped += 1
                continue
            late = rng.random() < 0.12
            day = period.due + timedelta(days=rng.randint(1, 12)) if late else period.end + timedelta(
                days=rng.randint(3, max(3, (period.due - period.end).days)))
            text = TEXTS.get(matter.code, "%(matter)s情况见正文。") % {
                "n": rng.randint(20, 90), "m": rng.randint(3, 19), "k": rng.randint(2, 9), "matter": matter.name}
            table = PAY_TABLE if matter.code == "pay_adjustment" else None
            publication = actions.publish(chair, matter, f"{period.label} {matter.name}", text, table=table,
                                          period=period.label)
            moves[publication.pk] = min(day, ctx.today)
            made.append(publication)
    accident = Matter.objects.get(enterprise=enterprise, code="dismissals_layoffs")
    event_day = ctx.today - timedelta(days=40)
    made.append(actions.publish(chair, accident, "三车间劳务派遣岗位调整情况说明",
                                "因生产线改造，三车间12个劳务派遣岗位调整，涉及人员全部安置到其他岗位，无解除劳动合同情况。",
                                event_on=event_day))
    moves[made[-1].pk] = event_day + timedelta(days=3)
    backdate(chair, moves)
    corrected = next(p for p in made if p.matter.code == "safety")
    made.append(actions.correct(chair, corrected, "隐患整改项数统计有误，更正为核实后的数字。", corrected.title,
                                corrected.text.replace("整改隐患", "整改（核实后）隐患")))
    return {"published": len(made), "skipped": skipped, "readers": _readers(ctx, made)}


def _readers(ctx, made: list[Publication]) -> int:
    """The worker persona reads and acknowledges the newest few and asks about the pay table;
    the department answers."""
    worker = ctx.users["worker"]
    recent = sorted([p for p in made if p.audience == "workers"], key=lambda p: p.pk)[-5:]
    for publication in recent:
        actions.acknowledge(worker, publication)
    pay = next((p for p in made if p.matter.code == "pay_adjustment"), None)
    if pay is not None:
        question = actions.ask(worker, pay, "劳务派遣职工的岗位工资是否同步调整？")
        answerer = (pay.matter.department.members.first() if pay.matter.department_id else None) or ctx.users[
            "enterprise_admin"]
        actions.answer(answerer, question, "同步调整。劳务派遣职工按同岗同酬原则，与本企业职工同时执行新标准。")
    return len(recent)


# --- The other enterprises, in bulk --------------------------------------------------------------

def _bulk_catalogues(ctx, ids: list[int]) -> dict[int, list[Matter]]:
    """Adopt the defaults where an enterprise has no catalogue yet (a congress demo enterprise
    has one); then every enterprise's periodic matters."""
    defaults_by_region: dict[str, object] = {}
    regions = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    adopted = set(Matter.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True))
    rows = []
    for pk in (pk for pk in ids if pk not in adopted):
        region = regions[pk]
        r = defaults_by_region.setdefault(region, load_rules(region, ctx.today))
        rows += [Matter(enterprise_id=pk, code=m["code"], name=m["name"], category=m["category"],
                        frequency=m["frequency"], audience=m["audience"], mandatory=bool(m["mandatory"]), default=True,
                        congress_matter=m.get("congress_matter", ""), rule_row=r.default_row)
                 for m in r.default_matters]
    with transaction.atomic():
        Matter.objects.bulk_create(rows, batch_size=CHUNK)
        trail.record(ctx.admin, "disclosure.catalogue.bulk_adopt", ("batch", "demo_catalogues"),
                     {"enterprises": len(ids), "matters": len(rows)})
    found: dict[int, list[Matter]] = {}
    for matter in Matter.objects.filter(enterprise_id__in=ids, frequency__in=rules.PERIODIC).order_by("id"):
        found.setdefault(matter.enterprise_id, []).append(matter)
    return found


def _bulk_rows(ctx, catalogues: dict[int, list[Matter]], regions: dict, seed: int) -> list[Publication]:
    rows = []
    for pk, matters in sorted(catalogues.items()):
        rng = random.Random(f"zhigong-demo-disclosure|{seed}|{pk}")
        diligence = rng.choice((0.98, 0.9, 0.8, 0.65, 0.45))  # share of obligations met
        grace = load_rules(regions[pk], ctx.today).grace
        for matter in matters:
            for period in _due_periods(matter, grace, ctx.today):
                if rng.random() > diligence:
                    continue
                late = rng.random() > diligence
                day = min(ctx.today, period.due + timedelta(days=rng.randint(1, 20)) if late else period.due
                          - timedelta(days=rng.randint(0, 10)))
                text = f"{matter.name}（{period.label}）情况已在厂务公开栏公布，详见正文。"
                content = {"title": f"{period.label} {matter.name}", "text": text, "table": None,
                           "period": period.label, "version": 1, "enterprise": pk, "matter": matter.code,
                           "previous": None, "files": []}
                rows.append(Publication(
                    enterprise_id=pk, matter=matter, kind=Publication.Kind.PERIOD, period=period.label,
                    due_on=period.due, audience=matter.audience, title=content["title"], text=text,
                    published_on=day, published_at=at(day), sha256=rules.content_digest(content),
                    region_id=regions[pk]))
    return rows


def _bulk_enterprises(ctx, ids: list[int]) -> int:
    if not ids:
        return 0
    catalogues = _bulk_catalogues(ctx, ids)
    regions = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    rows = _bulk_rows(ctx, catalogues, regions, ctx.seed)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        with transaction.atomic():
            Publication.objects.bulk_create(chunk)
            trail.record(ctx.admin, "disclosure.bulk_publish", ("batch", "demo_disclosures"), {
                "count": len(chunk), "sha256": rules.content_digest({"rows": [p.sha256 for p in chunk]})})
    return len(rows)


def build(ctx) -> Outcome:
    enterprise = Organization.objects.get(pk=ctx.persona_enterprise_id)
    rng = random.Random(f"zhigong-demo-disclosure|{ctx.seed}")
    persona = _persona_enterprise(ctx, enterprise, rng)
    others = [pk for pk in ctx.enterprise_ids if pk != enterprise.pk]
    bulk = _bulk_enterprises(ctx, others)
    report = _("厂务公开：%(name)s发布%(n)d条（含更正1条，%(skipped)d项逾期未公开），职工已阅%(read)d条；"
               "其他%(others)s家企业批量生成%(bulk)s条。\n") % {
        "name": enterprise.name, "n": persona["published"], "skipped": persona["skipped"],
        "read": persona["readers"], "others": f"{len(others):,}", "bulk": f"{bulk:,}"}
    return Outcome(report)

