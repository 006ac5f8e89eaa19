"""Bulk work of decision tracking, over columns:

- import_progress: a whole spreadsheet of progress entries, all or nothing: every row is
  checked by the same rules as a single report (rules.row_errors → rules.progress_error,
  rules.entry_date_error); when one is wrong nothing is written and the caller gets every
  error with its row and column. A clean file is written in one transaction with one trail
  event carrying the SHA-256 of what was written.
- import_proposals: the same for accepted proposals' progress (their own template), each row
  written through participation's report_progress so a proposal's trail reads as if reported
  by hand, plus one tracking.import event with the digest of the batch.
- carried_out_rates: for the evaluation, (resolutions due in a year, carried out) per
  enterprise in one query, by the same rule as the per-enterprise query."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization
from zhigong.democracy.models import Resolution
from zhigong.participation.models import Proposal
from zhigong.tracking import actions, rules, spreadsheet
from zhigong.tracking.models import Entry, ImportBatch, Measure, Plan
from zhigong.trail.canonical import canonical_json

ROW_MESSAGES = {
    "import.header": gettext_lazy("表头应为“%(expected)s”。请使用下载的模板，不要增删或移动列。"),
    "import.header_extra": gettext_lazy("表头多出了列。请使用下载的模板，不要增删或移动列。"),
    "import.too_many_rows": gettext_lazy("一个文件最多%(n)d行，请分成几个文件导入。"),
    "import.too_large": gettext_lazy("文件不能超过%(mb)dMB。"),
    "import.empty": gettext_lazy("文件中没有需要更新的行：请在“本次进度(%)”一列填写进度。"),
    "import.unreadable": gettext_lazy("无法读取该文件，请上传由模板填写的 Excel（.xlsx）文件。"),
    "import.measure_format": gettext_lazy("措施编号应为整数。"),
    "import.measure_missing": gettext_lazy("填写了进度，但缺少措施编号。"),
    "import.measure_unknown": gettext_lazy("本企业没有这项未完成的措施（可能已完成或编号有误）。"),
    "import.measure_twice": gettext_lazy("同一措施在文件中出现了不止一次。"),
    "import.percent_format": gettext_lazy("进度应为0到100之间的整数。"),
    "import.percent_missing": gettext_lazy("填写了进展情况，但缺少本次进度。"),
    "import.on_format": gettext_lazy("日期格式应为 2026-05-01。"),
    "import.note_missing": gettext_lazy("请填写进展情况。"),
    "import.note_too_long": gettext_lazy("进展情况不能超过%(n)d个字。"),
    "import.reason_too_long": gettext_lazy("下调原因不能超过%(n)d个字。"),
    "import.proposal_format": gettext_lazy("提案ID应为整数。"),
    "import.proposal_missing": gettext_lazy("填写了进度，但缺少提案ID。"),
    "import.proposal_unknown": gettext_lazy("本企业没有这件正在落实的提案（可能尚未答复、已落实或ID有误）。"),
    "import.proposal_twice": gettext_lazy("同一提案在文件中出现了不止一次。"),
    "proposal.backwards": gettext_lazy("提案的落实进度只能增加：本次进度不能低于当前的%(previous)d%%。"),
    "proposal.before_assigned": gettext_lazy("日期不能早于提案交办之日（%(earliest)s）。"),
    "progress.not_a_number": gettext_lazy("进度应为0到100之间的整数。"),
    "progress.range": gettext_lazy("进度应在0到100之间。"),
    "progress.backwards": gettext_lazy("本次进度低于当前的%(previous)d%%，请在“下调原因”一列说明原因。"),
    "progress.future": gettext_lazy("日期不能晚于今天。"),
    "progress.before_decision": gettext_lazy("日期不能早于决议作出之日（%(earliest)s）。"),
}


MAX_BYTES = 5 * 1024 * 1024


class ImportRefused(DomainError):
    """A spreadsheet with errors: nothing was written; `errors` lists every one."""

    def __init__(self, errors: list[spreadsheet.RowError]) -> None:
        super().__init__("import.invalid", _("文件有%(n)d处错误，未导入任何数据。") % {"n": len(errors)},
                         field="file", errors=[{"row": e.row, "column": e.column, "column_label": e.column_label,
                                                "value": e.value, "message": e.message} for e in errors])
        self.errors = errors


def _say(code: str, **values) -> str:
    text = str(ROW_MESSAGES[code])
    return text % values if values else text.replace("%%", "%")


def open_measures(enterprise: Organization):
    """Measures of the enterprise's plans not yet at 100 %: what the template lists and what a
    row may update."""
    return (Measure.objects.filter(plan__enterprise=enterprise, progress__lt=100)
            .select_related("plan__resolution__item__session", "department").order_by("plan__resolution_id", "number"))


def open_measure_facts(enterprise: Organization) -> dict[int, rules.OpenItem]:
    """What each row is checked against, as columns: no model instance per measure."""
    local = timezone.localtime
    rows = open_measures(enterprise).values_list("pk", "progress", "plan__resolution__created_at",
                                                 "plan__resolution__item__session__starts_at")
    return {pk: rules.OpenItem(pk, progress, rules.decision_day(local(recorded).date(), local(starts).date()))
            for pk, progress, recorded, starts in rows.iterator(chunk_size=5000)}


def template_rows(enterprise: Organization) -> list[spreadsheet.TemplateRow]:
    return [spreadsheet.TemplateRow(m.pk, m.plan.resolution.number, m.title, m.department.name if m.department else "",
                                    m.due_on, m.progress) for m in open_measures(enterprise)]


# --- Accepted proposals -------------------------------------------------------------------------

# Answered and being carried out: the states participation's report_progress starts from.
OPEN_PROPOSAL_STATES = (Proposal.State.ANSWERED, Proposal.State.CARRYING_OUT)


def open_proposals(enterprise: Organization):
    """Accepted proposals of the enterprise that progress may be reported on now: what the
    proposals template lists and what a row may update."""
    return (Proposal.objects.filter(congress__enterprise=enterprise, state__in=OPEN_PROPOSAL_STATES)
            .select_related("lead_department").order_by("id"))


def open_proposal_facts(enterprise: Organization) -> dict[int, rules.OpenItem]:
    """Each open proposal's percent and the earliest day of a step (its assignment)."""
    local = timezone.localtime
    rows = open_proposals(enterprise).values_list("pk", "progress", "assigned_on", "created_at")
    return {pk: rules.OpenItem(pk, progress, assigned_on or local(created).date())
            for pk, progress, assigned_on, created in rows.iterator(chunk_size=5000)}


def proposal_template_rows(enterprise: Organization) -> list[spreadsheet.ProposalTemplateRow]:
    return [spreadsheet.ProposalTemplateRow(p.pk, p.number, p.title, p.lead_department.name if p.lead_department
                                            else "", p.due_on, p.progress) for p in open_proposals(enterprise)]


def import_proposals(actor, enterprise: Organization, content: bytes, file_name: str) -> ImportBatch:
    """Progress of many accepted proposals from one file, all or nothing, in one transaction.

    Every row is checked first (the rules of a single report: 0–100, never below the current
    percent, a note, a date neither in the future nor before the assignment); then, under the
    proposals' row locks and re-checked, each row goes through participation's own
    report_progress, so each proposal gets the same ProgressUpdate and the same trail event
    (proposal.report_progress, or proposal.complete at 100 %) as a report made by hand, and
    its tracking page shows the step with its proof. One more event, tracking.import, carries
    the SHA-256 of the whole batch (digest_proposal_rows)."""
    from zhigong.participation import actions as voice

    if not actions.may_manage(actor, enterprise):
        raise PermissionDenied("import_proposals")
    today = timezone.localdate()
    checked = check(enterprise, content, today, spreadsheet.PROPOSALS)
    with transaction.atomic():
        ids = sorted(r.target for r in checked.rows)
        locked = {p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        fresh = {pk: rules.OpenItem(pk, p.progress, checked.known[pk].decided_on) for pk, p in locked.items()
                 if p.state in OPEN_PROPOSAL_STATES and pk in checked.known}
        errors = [_row_error(row, c, code, fresh, spreadsheet.PROPOSALS) for row in checked.rows
                  for c, code in rules.row_errors(row, fresh, set(), today, "proposal")]
        if errors:
            raise ImportRefused(errors)
        batch = ImportBatch.objects.create(kind=ImportBatch.Kind.PROPOSALS, enterprise=enterprise, by=actor,
                                           file_name=file_name[:200], rows=len(checked.rows), sha256="",
                                           file_sha256=hashlib.sha256(content).hexdigest())
        written = []
        for row in sorted(checked.rows, key=lambda r: r.number):
            proposal = locked[row.target]
            previous = proposal.progress
            update = voice.report_progress(actor, proposal, row.percent, row.note, row.on or today)
            written.append((update, previous))
        batch.sha256 = hashlib.sha256(canonical_json(digest_proposal_rows(written))).hexdigest()
        event = trail.record(actor, "tracking.import", batch, {
            "enterprise": enterprise.pk, "kind": batch.kind, "rows": len(written), "sha256": batch.sha256,
            "file_sha256": batch.file_sha256, "proposals": {str(u.proposal_id): u.percent for u, _p in written}})
        batch.event_seq = event.seq
        batch.save(update_fields=["sha256", "event_seq"])
    return batch


def digest_proposal_rows(written) -> list[dict]:
    """What a proposals import's digest covers, in row order, from (ProgressUpdate, previous
    percent) pairs: anyone who sees the proposals' updates can recompute it."""
    return [{"proposal": u.proposal_id, "update": u.pk, "percent": u.percent, "previous": previous,
             "on": u.on.isoformat(), "note_sha256": hashlib.sha256(u.note.encode()).hexdigest()}
            for u, previous in written]


@dataclass(frozen=True)
class Checked:
    rows: list[rules.ImportRow]
    known: dict[int, rules.OpenItem]  # the open measures or proposals, by id


def check(enterprise: Organization, content: bytes, today: date,
          layout: spreadsheet.Layout = spreadsheet.MEASURES) -> Checked:
    """Every error of the file, or the rows to write. Raises ImportRefused."""
    if len(content) > MAX_BYTES:
        raise ImportRefused([spreadsheet.RowError(0, "", "", _say("import.too_large", mb=MAX_BYTES // 2**20))])
    try:
        parsed = spreadsheet.read(content, layout)
    except spreadsheet.UnreadableFile:
        raise ImportRefused([spreadsheet.RowError(0, "", "", _say("import.unreadable"))]) from None
    if parsed.header_errors:
        raise ImportRefused([_header_error(layout, *e) for e in parsed.header_errors])
    known = open_proposal_facts(enterprise) if layout is spreadsheet.PROPOSALS else open_measure_facts(enterprise)
    errors: list[spreadsheet.RowError] = []
    rows, seen = [], set()
    for row in parsed.rows:
        if rules.is_blank(row):
            continue
        for column, code in rules.row_errors(row, known, seen, today, layout.target):
            errors.append(_row_error(row, column, code, known, layout))
        if row.target is not None:
            seen.add(row.target)
        rows.append(row)
    if not rows and not errors:
        errors.append(spreadsheet.RowError(0, "", "", _say("import.empty")))
    if errors:
        raise ImportRefused(errors)
    return Checked(rows, known)


def _header_error(layout: spreadsheet.Layout, row: int, column: str, code: str) -> spreadsheet.RowError:
    if code == "import.header":
        return spreadsheet.RowError(row, column, "", _say(code, expected=layout.header(column)))
    if code == "import.too_many_rows":
        return spreadsheet.RowError(row, column, "", _say(code, n=spreadsheet.MAX_ROWS))
    return spreadsheet.RowError(row, column, "", _say(code))


# A proposal's earliest day is its assignment, not a decision.
PROPOSAL_CODES = {"progress.before_decision": "proposal.before_assigned"}


def _row_error(row: rules.ImportRow, column: str, code: str, known: dict,
               layout: spreadsheet.Layout = spreadsheet.MEASURES) -> spreadsheet.RowError:
    item = known.get(row.target) if row.target is not None else None
    if layout is spreadsheet.PROPOSALS:
        code = PROPOSAL_CODES.get(code, code)
    values = {}
    if code in ("progress.backwards", "proposal.backwards"):
        values["previous"] = item.progress if item else 0
    if code in ("progress.before_decision", "proposal.before_assigned"):
        values["earliest"] = item.decided_on.isoformat() if item else ""
    if code == "import.note_too_long":
        values["n"] = rules.NOTE_MAX
    if code == "import.reason_too_long":
        values["n"] = rules.REASON_MAX
    raw = row.bad.get(column)
    if raw is None:
        raw = {layout.target: row.target, "percent": row.percent, "on": row.on, "note": row.note[:60]}.get(column)
    return spreadsheet.RowError(row.number, column, "" if raw is None else str(raw), _say(code, **values))


def import_progress(actor, enterprise: Organization, content: bytes, file_name: str) -> ImportBatch:
    """Check the whole file, then write it in one transaction with one trail event."""
    if not actions.may_manage(actor, enterprise):
        raise PermissionDenied("import_progress")
    today = timezone.localdate()
    checked = check(enterprise, content, today)
    with transaction.atomic():
        ids = sorted(r.target for r in checked.rows)
        plan_ids = sorted(set(Measure.objects.filter(pk__in=ids).values_list("plan_id", flat=True)))
        plans = {p.pk: p for p in Plan.objects.select_for_update().filter(pk__in=plan_ids).order_by("pk")}
        locked = {m.pk: m for m in Measure.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        # Re-check against the locked rows: another report may have landed since the file was read.
        fresh = {pk: rules.OpenItem(pk, m.progress, checked.known[pk].decided_on) for pk, m in locked.items()
                 if m.progress < 100 and pk in checked.known}
        errors = [_row_error(row, c, code, fresh) for row in checked.rows
                  for c, code in rules.row_errors(row, fresh, set(), today)]
        if errors:
            raise ImportRefused(errors)
        batch = ImportBatch.objects.create(enterprise=enterprise, by=actor, file_name=file_name[:200],
                                           file_sha256=hashlib.sha256(content).hexdigest(), rows=len(checked.rows),
                                           sha256="")
        entries = _entries(actor, batch, checked.rows, locked, today)
        Entry.objects.bulk_create(entries, batch_size=1000)
        _write_measures([locked[r.target] for r in checked.rows])
        for plan in plans.values():
            actions.roll_up(plan, max(e.on for e in entries if locked[e.measure_id].plan_id == plan.pk))
        batch.sha256 = hashlib.sha256(canonical_json(digest_rows(entries))).hexdigest()
        event = trail.record(actor, "tracking.import", batch, {
            "enterprise": enterprise.pk, "rows": len(entries), "sha256": batch.sha256,
            "file_sha256": batch.file_sha256, "plans": {str(pk): p.progress for pk, p in plans.items()}})
        batch.event_seq = event.seq
        batch.save(update_fields=["sha256", "event_seq"])
        Entry.objects.filter(batch=batch).update(event_seq=event.seq)
    return batch


def _entries(actor, batch: ImportBatch, rows: list[rules.ImportRow], locked: dict[int, Measure],
             today: date) -> list[Entry]:
    entries = []
    for row in sorted(rows, key=lambda r: r.number):
        measure = locked[row.target]
        on = row.on or today
        entries.append(Entry(measure=measure, on=on, percent=row.percent, previous=measure.progress, note=row.note,
                             reason=row.reason, by=actor, batch=batch))
        measure.progress = row.percent
        measure.done_on = (measure.done_on or on) if row.percent == 100 else None
    return entries


def _write_measures(measures: list[Measure]) -> None:
    """One UPDATE per distinct (percent, done on): a hundred or so for a file of any length,
    where bulk_update builds a CASE over every row."""
    groups: dict[tuple[int, date | None], list[int]] = defaultdict(list)
    for m in measures:
        groups[(m.progress, m.done_on)].append(m.pk)
    for (progress, done_on), pks in groups.items():
        for first in range(0, len(pks), 5000):
            Measure.objects.filter(pk__in=pks[first:first + 5000]).update(progress=progress, done_on=done_on)


def digest_rows(entries) -> list[dict]:
    """What the import event's digest covers, in row order: anyone who sees the entries of the
    import can recompute it (docs/tracking.md)."""
    return [{"measure": e.measure_id, "percent": e.percent, "previous": e.previous, "on": e.on.isoformat(),
             "note_sha256": hashlib.sha256(e.note.encode()).hexdigest(),
             "reason_sha256": hashlib.sha256(e.reason.encode()).hexdigest() if e.reason else ""} for e in entries]


# --- For the evaluation -------------------------------------------------------------------------

def trackable_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}passed": True, f"{prefix}item__kind__in": actions.TRACKED_KINDS})


def carried_out_rates(enterprise_ids: list[int], year: int, today: date) -> dict[int, tuple[int, int]]:
    """{enterprise id: (resolutions due in `year`, carried out)} for every id asked, in one
    query over the columns (rules.carried_out_tally decides, as in queries.carried_out_rate)."""
    rows = (Resolution.objects.filter(trackable_filter(),
                                      item__session__term__congress__enterprise_id__in=list(enterprise_ids))
            .values_list("item__session__term__congress__enterprise_id", "created_at", "item__session__starts_at",
                         "tracking_plan__due_on", "tracking_plan__carried_out_on", "region_id"))
    pairs: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    local = timezone.localtime
    periods = actions.DuePeriods()
    for enterprise_id, created_at, starts_at, due_on, carried_on, region in rows.iterator(chunk_size=5000):
        due = due_on or periods.due(region, rules.decision_day(local(created_at).date(), local(starts_at).date()))
        pairs[enterprise_id].append((due, carried_on))
    return {pk: rules.carried_out_tally(pairs.get(pk, []), year, today) for pk in enterprise_ids}
