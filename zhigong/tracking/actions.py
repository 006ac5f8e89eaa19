"""Every change of decision tracking: policy check → rules → one transaction → trail event.

Locks: a change to a measure locks its plan first, then the measures (by primary key), so a
single report and a bulk import touching the same plan queue behind each other instead of
rolling up from stale percents."""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import policy, rulebook
from zhigong.core import rules as core_rules
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.files import check_document
from zhigong.core.models import Department, Organization, RuleRow
from zhigong.democracy.models import AgendaItem, Resolution
from zhigong.tracking import rules
from zhigong.tracking.models import Entry, Evidence, Measure, Plan

TRACKED_KINDS = (AgendaItem.Kind.APPROVE, AgendaItem.Kind.ADVISE)
MAX_FILES = 5

# Lazy: built at import, the sentences must be in the language of the request.
MESSAGES = {
    "progress.not_a_number": gettext_lazy("进度应为0到100之间的整数。"),
    "progress.range": gettext_lazy("进度应在0到100之间。"),
    "progress.backwards": gettext_lazy("进度不能低于上次的%(previous)d%%；确需下调，请填写下调原因。"),
    "progress.future": gettext_lazy("日期不能晚于今天。"),
    "progress.before_decision": gettext_lazy("日期不能早于决定作出之日（%(earliest)s）。"),
    "measure.weight": gettext_lazy("权重应为1到100之间的整数。"),
    "tracking.not_trackable": gettext_lazy("只有通过的审议通过或审议建议类决议需要落实。"),
    "tracking.department": gettext_lazy("责任部门应为本企业的部门。"),
    "tracking.due_before_vote": gettext_lazy("期限不能早于决议作出之日。"),
    "tracking.roll_up_backwards": gettext_lazy(
        "新增措施会使决议进度从%(previous)d%%降至%(new)d%%，请填写原因。"),
    "tracking.too_many_files": gettext_lazy("每次最多上传%(n)d个佐证文件。"),
}


def message(code: str, **values) -> str:
    return str(MESSAGES[code]) % values if values else str(MESSAGES[code]).replace("%%", "%")


def _today() -> date:
    return timezone.localdate()


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", _("此项必填。"), field=field)
    if len(value) > limit:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": limit}, field=field)
    return value


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def enterprise_of(resolution: Resolution) -> Organization:
    return resolution.item.session.term.congress.enterprise


def decided_on(resolution: Resolution) -> date:
    """The day of the session that decided it (as noticed), or the day it was recorded if that
    was earlier: what a tracking timeline starts from and no entry may precede."""
    return rules.decision_day(timezone.localtime(resolution.created_at).date(),
                              timezone.localtime(resolution.item.session.starts_at).date())


DUE_KEY = "tracking.default_due_months"


def due_months(region_code: str, voted_on: date) -> int:
    """The default period (rule row tracking.default_due_months) for the region on the day of the vote."""
    return int(rulebook.lookup(DUE_KEY, region_code, voted_on).value)


def default_due(resolution: Resolution) -> date:
    """When a resolution without a plan of its own is due: the rule row's months after the vote."""
    voted = decided_on(resolution)
    return rules.default_due(voted, due_months(resolution.region_id, voted))


class DuePeriods:
    """The rule rows of the default period read once, for many resolutions (the overview, the
    evaluation's batch): rulebook.lookup's choice (core.rules.pick_rule), memoised per region
    and day."""

    def __init__(self) -> None:
        self.rows = [core_rules.RuleRowData(r.id, r.key, r.region_code, r.effective_from, r.value)
                     for r in RuleRow.objects.filter(key=DUE_KEY)]
        self.memo: dict[tuple[str, date], int] = {}

    def due(self, region_code: str, voted_on: date) -> date:
        key = (region_code, voted_on)
        if key not in self.memo:
            row = core_rules.pick_rule(self.rows, region_code, voted_on)
            if row is None:
                rulebook.lookup(DUE_KEY, region_code, voted_on)  # raises rule.missing, as one lookup would
            self.memo[key] = int(row.value)
        return rules.default_due(voted_on, self.memo[key])


def trackable(resolution: Resolution) -> bool:
    return resolution.passed and resolution.item.kind in TRACKED_KINDS


def may_manage(actor, enterprise: Organization) -> bool:
    """Those who run the congress (enterprise admin, union chair, cadres above) plan and import."""
    return policy.may_organization(actor, "change", enterprise)


def may_report(actor, measure: Measure) -> bool:
    """Progress of a measure: those who manage, and the members of its department or of the
    plan's lead department."""
    if may_manage(actor, measure.plan.enterprise):
        return True
    departments = [d for d in (measure.department_id, measure.plan.department_id) if d]
    return bool(departments) and Department.objects.filter(pk__in=departments, members=actor).exists()


def _department(enterprise: Organization, department: Department | None) -> Department | None:
    if department is not None and department.enterprise_id != enterprise.pk:
        raise DomainError("tracking.department", message("tracking.department"), field="department")
    return department


# --- Plan and measures ---------------------------------------------------------------------------

def plan_resolution(actor, resolution: Resolution, due_on: date | None = None,
                    department: Department | None = None) -> Plan:
    """Set (or change) who answers for a passed resolution and by when. Without a date the
    default: the rule row's months after the vote (default_due; nationally one year)."""
    enterprise = enterprise_of(resolution)
    if not may_manage(actor, enterprise):
        raise PermissionDenied("plan_resolution")
    if not trackable(resolution):
        raise DomainError("tracking.not_trackable", message("tracking.not_trackable"), field="resolution")
    department = _department(enterprise, department)
    voted = decided_on(resolution)
    due_on = due_on or rules.default_due(voted, due_months(resolution.region_id, voted))
    if due_on < voted:
        raise DomainError("tracking.due_before_vote", message("tracking.due_before_vote"), field="due_on")
    with transaction.atomic():
        plan, _created = Plan.objects.select_for_update().get_or_create(
            resolution=resolution, defaults={"enterprise": enterprise, "due_on": due_on,
                                             "region_id": resolution.region_id})
        plan.due_on, plan.department = due_on, department
        plan.save(update_fields=["due_on", "department"])
        trail.record(actor, "tracking.plan", plan, {"resolution": resolution.pk, "due_on": due_on.isoformat(),
                                                    "department": department.pk if department else None})
    return plan


def add_measure(actor, resolution: Resolution, title: str, weight: int, due_on: date,
                department: Department | None = None, reason: str = "") -> Measure:
    """Break a resolution into one more measure. A new measure starts at 0 % and so lowers the
    roll-up of a plan already under way: that needs a reason, like any step back."""
    enterprise = enterprise_of(resolution)
    if not may_manage(actor, enterprise):
        raise PermissionDenied("add_measure")
    if not trackable(resolution):
        raise DomainError("tracking.not_trackable", message("tracking.not_trackable"), field="resolution")
    title = _text(title, "title", 200)
    if rules.weight_error(weight):
        raise DomainError("measure.weight", message("measure.weight"), field="weight")
    department = _department(enterprise, department)
    if due_on < decided_on(resolution):
        raise DomainError("tracking.due_before_vote", message("tracking.due_before_vote"), field="due_on")
    reason = _text(reason, "reason", 2000, required=False)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(resolution=resolution).first()
        if plan is None:
            plan = plan_resolution(actor, resolution, max(due_on, default_due(resolution)))
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
        pairs = list(plan.measures.values_list("weight", "progress"))
        new = rules.rolled_up_progress([*pairs, (weight, 0)]) if pairs else 0
        if pairs and rules.progress_error(new, plan.progress, reason):
            raise DomainError("tracking.roll_up_backwards", message(
                "tracking.roll_up_backwards", previous=plan.progress, new=new), field="reason")
        number = (plan.measures.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        measure = Measure.objects.create(plan=plan, number=number, title=title, weight=weight,
                                         department=department, due_on=due_on)
        roll_up(plan, _today())
        trail.record(actor, "tracking.measure", measure, {
            "plan": plan.pk, "number": number, "title": title, "weight": weight, "due_on": due_on.isoformat(),
            "department": department.pk if department else None, "reason_sha256": _sha(reason) if reason else "",
            "plan_progress": plan.progress})
    return measure


def roll_up(plan: Plan, on: date) -> Plan:
    """Plan progress from its measures; carried out on the day the last measure reached 100."""
    pairs = list(plan.measures.values_list("weight", "progress"))
    plan.progress = rules.rolled_up_progress(pairs)
    if plan.progress >= 100 and pairs:
        plan.carried_out_on = plan.carried_out_on or on
    else:
        plan.carried_out_on = None
    plan.save(update_fields=["progress", "carried_out_on"])
    return plan


# --- Progress --------------------------------------------------------------------------------------

def progress_refusal(code: str, previous: int, earliest: date) -> DomainError:
    field = "on" if code in ("progress.future", "progress.before_decision") else "percent"
    return DomainError(code, message(code, **({"previous": previous} if code == "progress.backwards" else
                                               {"earliest": earliest.isoformat()} if field == "on" else {})),
                       field=field)


def report_progress(actor, measure: Measure, percent: int, note: str, on: date | None = None, reason: str = "",
                    files: list | None = None) -> Entry:
    """A dated progress entry of a measure with its evidence; one trail event carries the
    percent, the digests of the note, the reason and every file."""
    if not may_report(actor, measure):
        raise PermissionDenied("report_progress")
    note = _text(note, "note", 5000)
    reason = _text(reason, "reason", 2000, required=False)
    on = on or _today()
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise DomainError("tracking.too_many_files", message("tracking.too_many_files", n=MAX_FILES), field="files")
    checked = [check_document(upload, field="files") for upload in files]
    earliest = decided_on(measure.plan.resolution)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=measure.plan_id)
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        code = rules.progress_error(percent, locked.progress, reason) or rules.entry_date_error(on, _today(), earliest)
        if code:
            raise progress_refusal(code, locked.progress, earliest)
        entry = Entry.objects.create(measure=locked, on=on, percent=percent, previous=locked.progress, note=note,
                                     reason=reason, by=actor)
        _apply(locked, percent, on)
        roll_up(plan, on)
        event = trail.record(actor, "tracking.progress", locked, {
            "entry": entry.pk, "percent": percent, "previous": entry.previous, "on": on.isoformat(),
            "note_sha256": _sha(note), "reason_sha256": _sha(reason) if reason else "",
            "files": [c.sha256 for c in checked], "plan": plan.pk, "plan_progress": plan.progress})
        Entry.objects.filter(pk=entry.pk).update(event_seq=event.seq)
        for upload, check in zip(files, checked, strict=True):
            Evidence.objects.create(entry=entry, title=upload.name[:128], file=upload, content_type=check.content_type,
                                    size=check.size, sha256=check.sha256, uploaded_by=actor, event_seq=event.seq)
    entry.refresh_from_db()
    return entry


def _apply(measure: Measure, percent: int, on: date) -> None:
    measure.progress = percent
    measure.done_on = (measure.done_on or on) if percent == 100 else None
    measure.save(update_fields=["progress", "done_on"])


def add_evidence(actor, entry: Entry, upload) -> Evidence:
    """One more file for an entry already made (a photo taken after the report)."""
    if not may_report(actor, entry.measure):
        raise PermissionDenied("add_evidence")
    checked = check_document(upload, field="file")
    with transaction.atomic():
        evidence = Evidence.objects.create(entry=entry, title=upload.name[:128], file=upload,
                                           content_type=checked.content_type, size=checked.size,
                                           sha256=checked.sha256, uploaded_by=actor)
        event = trail.record(actor, "tracking.evidence", evidence, {"entry": entry.pk, "sha256": checked.sha256,
                                                                     "size": checked.size})
        Evidence.objects.filter(pk=evidence.pk).update(event_seq=event.seq)
    evidence.event_seq = event.seq
    return evidence
