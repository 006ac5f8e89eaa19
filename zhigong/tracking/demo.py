"""Decision tracking in the demo (`zhigong demo`): every resolution of the demo congresses that
has something to carry out gets a plan, weighted measures and dated progress, through the
actions (and one spreadsheet import through batch.import_progress), so every step is trailed:

- the collective contract is carried out completely, with evidence;
- the business report's opinions are under way, one measure overdue and one set back with a
  reason;
- the proposal rules are updated from a spreadsheet (one trail event for the file);
- the other enterprises' resolutions get a plan and two measures, some overdue.

Accepted proposals are tracked from the workers' voice demo's own progress rows. Reproducible
from the seed."""

import io
import random
import time
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhigong.core.models import Department, Organization
from zhigong.democracy.models import AgendaItem, Resolution
from zhigong.participation.demo import Outcome
from zhigong.tracking import actions, batch, queries, spreadsheet
from zhigong.tracking.models import Measure

Matter = AgendaItem.Matter
# A one-page PDF standing for a scanned acceptance certificate (验收单).
EVIDENCE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# matter -> measures (title, weight, due in days after the decision)
MEASURES = {
    Matter.COLLECTIVE_CONTRACT: [("印发集体合同文本并向全体职工公开", 1, 20), ("按合同调整一线岗位工资标准", 3, 45),
                                 ("落实带薪年休假和年度职工体检", 2, 60)],
    Matter.BUSINESS_REPORT: [("制定工资增长与效益增长同步的测算方案", 2, 45), ("编制设备更新和安全投入计划", 3, 55),
                             ("改善一线职工就餐、通勤和住宿条件", 2, 120)],
    Matter.OTHER: [("修订并印发提案工作细则", 1, 30), ("组织提案工作委员会和代表培训", 1, 150)],
}
GENERIC = [("制定落实方案并明确责任人", 1, 30), ("组织实施并检查验收", 2, 60)]


def build(ctx) -> Outcome:
    started = time.monotonic()
    today = ctx.today
    main = Organization.objects.get(pk=ctx.persona_enterprise_id)
    chair = ctx.users.get("enterprise_admin") or ctx.admin
    resolutions = _trackable(main)
    plans = 0
    for resolution in resolutions:
        _track_main(chair, main, resolution, today, random.Random(f"zhigong-demo-tracking|{ctx.seed}|{resolution.pk}"))
        plans += 1
    others = Resolution.objects.filter(batch.trackable_filter()).exclude(
        item__session__term__congress__enterprise=main).select_related("item__session__term__congress__enterprise")
    for resolution in others.order_by("pk"):
        _track_other(ctx.admin, resolution, today, random.Random(f"zhigong-demo-tracking|{ctx.seed}|{resolution.pk}"))
        plans += 1
    figures = queries.overview(ctx.admin, main, today)
    lines = [_("决策追踪：%(plans)d项决议已分解为%(measures)d项措施；"
               "%(name)s有%(overdue)d项措施逾期，%(done)d项决议已落实。") % {
                 "plans": plans, "measures": Measure.objects.count(), "name": main.name,
                "overdue": figures["measures_overdue"], "done": figures["resolution_states"]["carried_out"]},
             _("决策追踪演示数据用时 %(seconds).1f 秒。") % {"seconds": time.monotonic() - started}]
    return Outcome("\n".join(lines) + "\n")


def _trackable(enterprise: Organization) -> list[Resolution]:
    return list(Resolution.objects.filter(batch.trackable_filter())
                .filter(item__session__term__congress__enterprise=enterprise)
                .select_related("item__session").order_by("pk"))


def _departments(enterprise: Organization) -> list[Department | None]:
    return list(Department.objects.filter(enterprise=enterprise).order_by("pk")) or [None]


def _measures(chair, resolution: Resolution, specs, departments, decided: date) -> list[Measure]:
    return [actions.add_measure(chair, resolution, title, weight, decided + timedelta(days=days),
                                departments[i % len(departments)]) for i, (title, weight, days) in enumerate(specs)]


def _on(decided: date, days: int, today: date) -> date:
    return min(decided + timedelta(days=days), today)


def _track_main(chair, enterprise: Organization, resolution: Resolution, today: date, rng: random.Random) -> None:
    decided = actions.decided_on(resolution)
    departments = _departments(enterprise)
    matter = resolution.item.matter
    actions.plan_resolution(chair, resolution, decided + timedelta(days=150), departments[0])
    measures = _measures(chair, resolution, MEASURES.get(matter, GENERIC), departments, decided)
    if matter == Matter.COLLECTIVE_CONTRACT:
        _carried_out(chair, measures, decided, today)
    elif matter == Matter.BUSINESS_REPORT:
        _under_way(chair, measures, decided, today, rng)
    else:
        _by_spreadsheet(chair, enterprise, measures, decided, today)


def _carried_out(chair, measures: list[Measure], decided: date, today: date) -> None:
    notes = ("已印发集体合同文本，在厂务公开栏和企业内网公开。", "一线岗位工资标准已按合同调整，自次月起执行。",
             "年休假计划已排定，职工体检已全部完成。")
    for i, measure in enumerate(measures):
        actions.report_progress(chair, measure, 50, "已启动，正在组织实施。", on=_on(decided, 5 + 5 * i, today))
        proof = [SimpleUploadedFile(f"验收单-{measure.number}.pdf", EVIDENCE_PDF)]
        actions.report_progress(chair, measure, 100, notes[i % len(notes)], on=_on(decided, 15 + 10 * i, today),
                                files=proof)


def _under_way(chair, measures: list[Measure], decided: date, today: date, rng: random.Random) -> None:
    first, second, third = measures
    actions.report_progress(chair, first, 40, "人力资源部已收集近三年效益和工资数据。", on=_on(decided, 12, today))
    actions.report_progress(chair, first, 40 + rng.choice((10, 20)), "测算方案初稿已形成，征求工会意见。",
                            on=_on(decided, 30, today))
    actions.report_progress(chair, second, 60, "设备更新清单已报经营层。", on=_on(decided, 20, today))
    actions.report_progress(chair, second, 45, "安全投入预算需重新核算，计划退回修改。", on=_on(decided, 35, today),
                            reason="财务部审核发现安全投入预算漏列两项隐患整改费用，退回重编。")
    actions.report_progress(chair, third, 30, "职工食堂已增设夜班窗口。", on=_on(decided, 25, today))


def _by_spreadsheet(chair, enterprise: Organization, measures: list[Measure], decided: date, today: date) -> None:
    """Fill the downloaded template as a union clerk would, and upload it."""
    rows = {row.measure: row for row in batch.template_rows(enterprise)}
    book = Workbook()
    sheet = book.active
    sheet.append(list(spreadsheet.SOURCE_HEADERS))
    updates = {measures[0].pk: (100, "细则已经职代会主席团审定并印发。"),
               measures[1].pk: (30, "已举办第一期代表培训。")}
    for pk, row in rows.items():
        percent, note = updates.get(pk, (None, None))
        sheet.append([pk, row.resolution, row.title, row.department, row.due_on, row.previous, percent,
                      _on(decided, 28, today) if percent is not None else None, note, None])
    out = io.BytesIO()
    book.save(out)
    batch.import_progress(chair, enterprise, out.getvalue(), "提案细则落实进度.xlsx")


def _track_other(admin, resolution: Resolution, today: date, rng: random.Random) -> None:
    decided = actions.decided_on(resolution)
    measures = _measures(admin, resolution, GENERIC, [None], decided)
    actions.report_progress(admin, measures[0], 100, "落实方案已制定，责任人已明确。", on=_on(decided, 10, today))
    actions.report_progress(admin, measures[1], rng.choice((20, 40, 70)), "正在组织实施。", on=_on(decided, 40, today))
