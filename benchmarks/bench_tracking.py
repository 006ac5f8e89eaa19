"""Progress import on PostgreSQL: 10,000 measures (quick: 1,000) spread over 100 resolutions
(quick: 20) updated from one xlsx through tracking.batch.import_progress (every row checked by
the rules, written in one transaction with one trail event), side by side with the same number
of updates through tracking.actions.report_progress one at a time (a transaction and a trail
event each: a department typing them in, minus the typing), and with reading the file alone
(openpyxl, the limit of any import). Ratios are within the same run.

Set-up: the congress, its session and the resolutions go through the actions (advise items,
closed with a summary); the plans through plan_resolution; the measures are written in bulk (how
they are added is tested elsewhere and is not what is measured). After the run: every entry is
there once, and each plan's progress equals the roll-up of its measures.

Accepted proposals (a tenth of that number): answered proposals written in bulk, their progress
imported from the proposals' template through tracking.batch.import_proposals (every row goes
through participation's report_progress inside one transaction, so a trail event per proposal
as by hand, plus the batch's), side by side with participation's report_progress one at a time.

Standalone: `python -m benchmarks.run --only tracking [--quick]`."""

import io
import sys
import time
from datetime import timedelta

from benchmarks import congress_world
from benchmarks.report import Table

SIZES = {"full": (10_000, 100), "quick": (1_000, 20)}
DELEGATES = 30
PROPOSALS_SHARE = 10  # proposals measured: a tenth of the measures


def run(scale: str) -> list[Table]:
    count, resolutions = SIZES[scale]
    world, plans = prepare(resolutions)
    imported = make_measures(plans, count, "导入")
    single = make_measures(plans, count, "逐条")
    content = sheet(imported)
    read = timed(lambda: read_only(content))
    batch_seconds, batch_events = timed_events(lambda: import_all(world, content))
    single_seconds, single_events = timed_events(lambda: one_by_one(world, single))
    checks = verify(plans, count)
    return [table(count, resolutions, len(content), read, batch_seconds, batch_events, single_seconds, single_events,
                  checks), proposals_table(world, plans[0].resolution.item.session, count // PROPOSALS_SHARE)]


def prepare(resolutions: int):
    from django.utils import timezone

    from zhigong.democracy import actions
    from zhigong.democracy.models import CheckIn, Resolution
    from zhigong.tracking import actions as tracking

    print(f"[bench] tracking: setting up {resolutions} resolutions", file=sys.stderr, flush=True)
    world = congress_world.build(DELEGATES, workers=DELEGATES * 20)
    session = actions.schedule_session(world.chair, world.term, "", timezone.now() - timedelta(hours=2), "礼堂")
    items = [actions.add_agenda_item(world.chair, session, f"审议意见{i + 1}", "advise") for i in range(resolutions)]
    actions.convene_session(world.chair, session)
    CheckIn.objects.bulk_create([CheckIn(session=session, delegate=d, by="secretariat") for d in world.delegates])
    actions.open_session(world.chair, session)
    for item in items:
        actions.close_advise_item(world.chair, item, "代表们提出了意见和建议。")
    due = timezone.localdate() + timedelta(days=180)
    plans = [tracking.plan_resolution(world.chair, r, due) for r in Resolution.objects.filter(item__in=items)]
    return world, plans


def make_measures(plans, count: int, label: str):
    from django.utils import timezone

    from zhigong.tracking.models import Measure

    due = timezone.localdate() + timedelta(days=90)
    start = {p.pk: (p.measures.order_by("-number").values_list("number", flat=True).first() or 0) for p in plans}
    rows = [Measure(plan=plans[i % len(plans)], number=start[plans[i % len(plans)].pk] + i // len(plans) + 1,
                    title=f"{label}措施{i + 1}", weight=1 + i % 5, due_on=due) for i in range(count)]
    return Measure.objects.bulk_create(rows, batch_size=2000)


def sheet(measures) -> bytes:
    from django.utils import timezone
    from openpyxl import Workbook

    from zhigong.tracking import spreadsheet

    book = Workbook(write_only=True)
    page = book.create_sheet("进度")
    page.append(list(spreadsheet.SOURCE_HEADERS))
    today = timezone.localdate()
    for i, m in enumerate(measures):
        page.append([m.pk, "", m.title, "", m.due_on, 0, 10 + i % 90, today, f"第{i + 1}项已按计划推进。", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_only(content: bytes) -> int:
    from zhigong.tracking import spreadsheet

    return len(spreadsheet.read(content).rows)


def import_all(world, content: bytes):
    from zhigong.tracking import batch

    return batch.import_progress(world.chair, world.enterprise, content, "bench.xlsx")


def one_by_one(world, measures) -> None:
    from zhigong.tracking import actions

    for i, m in enumerate(measures):
        actions.report_progress(world.chair, m, 10 + i % 90, f"第{i + 1}项已按计划推进。")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def timed_events(call) -> tuple[float, int]:
    from zhigong.trail.models import Event

    before = Event.objects.count()
    seconds = timed(call)
    return seconds, Event.objects.count() - before


def verify(plans, count: int) -> list[str]:
    from zhigong.tracking import rules
    from zhigong.tracking.models import Entry, Plan

    entries = Entry.objects.count()
    wrong = [p.pk for p in Plan.objects.filter(pk__in=[p.pk for p in plans])
             if p.progress != rules.rolled_up_progress(list(p.measures.values_list("weight", "progress")))]
    return [f"entries written: {entries:,} (expected {2 * count:,})",
            f"plans whose progress differs from the roll-up of their measures: {len(wrong)}"]


def table(count, resolutions, size, read, batch_s, batch_events, single_s, single_events, checks) -> Table:
    rows = [
        ["reading the xlsx only (openpyxl, the limit)", f"{count:,}", read, count / read, 1.0, "—"],
        ["import_progress: check every row, write all, one event", f"{count:,}", batch_s, count / batch_s,
         batch_s / read, batch_events],
        ["report_progress one at a time", f"{count:,}", single_s, count / single_s, single_s / read, single_events],
    ]
    return Table(
        f"Progress import: {count:,} measures of {resolutions} resolutions (PostgreSQL)",
        ["path", "rows", "seconds", "rows per second", "× reading", "trail events"],
        rows,
        [f"file: {size:,} bytes; measures weighted 1–5, each plan rolled up after the writes.",
         f"import vs one at a time: {single_s / batch_s:.1f}× faster, {single_events:,} trail events → {batch_events}.",
         *checks],
    )


# --- Accepted proposals ---------------------------------------------------------------------------

def make_proposals(world, session, count: int, label: str):
    """Answered proposals written in bulk (the way there is tested elsewhere, not measured here)."""
    from django.utils import timezone

    from zhigong.participation.models import Proposal

    today = timezone.localdate()
    rows = [Proposal(congress=world.congress, session=session, number=f"{label}-{i + 1:05d}",
                     title=f"{label}提案{i + 1}", cause="理由", measures="措施建议", category="wages",
                     state=Proposal.State.ANSWERED, proposer=world.delegates[i % len(world.delegates)],
                     assigned_on=today, due_on=today + timedelta(days=30), answer="同意办理", answered_on=today,
                     region_id=world.enterprise.region_id) for i in range(count)]
    return Proposal.objects.bulk_create(rows, batch_size=2000)


def proposal_sheet(proposals) -> bytes:
    from django.utils import timezone
    from openpyxl import Workbook

    from zhigong.tracking import spreadsheet

    book = Workbook(write_only=True)
    page = book.create_sheet("提案进度")
    page.append(list(spreadsheet.PROPOSAL_SOURCE_HEADERS))
    today = timezone.localdate()
    for i, p in enumerate(proposals):
        page.append([p.pk, p.number, p.title, "", p.due_on, 0, 10 + i % 91, today, f"第{i + 1}件提案已按计划落实。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def proposals_table(world, session, count: int) -> Table:
    from zhigong.participation import actions as voice
    from zhigong.participation.models import ProgressUpdate, Proposal
    from zhigong.tracking import batch

    print(f"[bench] tracking: {count} proposals", file=sys.stderr, flush=True)
    imported, single = make_proposals(world, session, count, "导入"), make_proposals(world, session, count, "逐条")
    content = proposal_sheet(imported)
    cpu = time.process_time()
    batch_s, batch_events = timed_events(
        lambda: batch.import_proposals(world.chair, world.enterprise, content, "p.xlsx"))
    batch_cpu = time.process_time() - cpu
    cpu = time.process_time()
    single_s, single_events = timed_events(lambda: [
        voice.report_progress(world.chair, p, 10 + i % 91, f"第{i + 1}件提案已按计划落实。")
        for i, p in enumerate(single)])
    single_cpu = time.process_time() - cpu
    expected = {p.pk: 10 + i % 91 for i, p in enumerate(imported)}
    wrong = sum(1 for pk, progress in Proposal.objects.filter(pk__in=expected).values_list("pk", "progress")
                if progress != expected[pk])
    updates = ProgressUpdate.objects.filter(proposal__in=[*imported, *single]).count()
    return Table(
        f"Proposals progress import: {count:,} accepted proposals (PostgreSQL)",
        ["path", "rows", "seconds", "CPU seconds", "rows per second", "trail events"],
        [["import_proposals: check every row, write all in one transaction", f"{count:,}", batch_s, batch_cpu,
          count / batch_s, batch_events],
         ["participation report_progress one at a time", f"{count:,}", single_s, single_cpu, count / single_s,
          single_events]],
        [f"file: {len(content):,} bytes; each imported row leaves the same event as a report by hand, plus one "
         "tracking.import event for the batch.",
         f"one at a time / import: {single_s / batch_s:.2f}× (wall), {single_cpu / batch_cpu:.2f}× (CPU).",
         f"progress updates written: {updates:,} (expected {2 * count:,}); proposals whose progress differs from "
         f"the file: {wrong}"],
    )
