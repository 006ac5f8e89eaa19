"""Every change to the roster (电子基础台账): checking and importing an uploaded roster, one
worker typed in, collective enrolment from the member register, renewal of a whole enterprise,
leaving and moving. Policy check → rules_roster → one transaction → one trail event.

Who: whoever may manage the enterprise's people (its admin or union chair, a cadre above it)."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import policy
from zhigong.core.batch import digest_rows, insert_rows
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization
from zhigong.mutualaid import batch_roster, messages_roster, queries_roster, xlsx_roster
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.models import Coverage, Enrolment, Invoice, Plan, RosterUpload

MAX_BYTES = xlsx_roster.MAX_MB * 1024 * 1024
MANAGE = "manage_people"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _require(actor, enterprise: Organization) -> None:
    if not policy.may_organization(actor, MANAGE, enterprise):
        raise PermissionDenied(MANAGE)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise DomainError("roster.not_enterprise", _("花名册只能由企业上传。"), field="enterprise")


def _lock(enterprise: Organization) -> None:
    """Imports, enrolments and renewals of one enterprise take turns: they create its
    enrolments and look for cover it already holds."""
    Organization.objects.select_for_update().filter(pk=enterprise.pk).first()


def target(enterprise: Organization, starts_on: date, today: date, actor=None) -> batch_roster.Target:
    found = batch_roster.Target(enterprise, starts_on, today, queries_roster.plan_terms(enterprise, starts_on),
                                queries_roster.known_regions())
    if actor is not None:
        found.make_enrolment = lambda code: _new_enrolment(enterprise, found.plans[code])
    return found


def _new_enrolment(enterprise: Organization, plan_entry, renewed_from: Enrolment | None = None) -> Enrolment:
    terms, where = plan_entry
    if where["pool"] is None:
        raise DomainError("roster.no_pool", messages_roster.MESSAGES["plan.no_pool"] % {"plan": terms.name},
                          field="plan")
    return Enrolment.objects.create(
        enterprise=enterprise, union=queries_roster.union_of(enterprise), version=where["version"],
        pool=where["pool"], starts_on=terms.period_start, ends_on=terms.period_end, renewed_from=renewed_from,
        region_code=enterprise.region_id,
    )


# --- Uploads --------------------------------------------------------------------------------------

def check_file(upload, max_bytes: int | None = MAX_BYTES) -> str:
    """Size and type before anything is parsed; returns the file's SHA-256."""
    if max_bytes is not None and upload.size > max_bytes:
        raise DomainError("file.too_large", _(
            "花名册文件不能超过%(limit)s MB（此文件约%(size)s MB），请分成几个文件上传。")
                          % {"limit": xlsx_roster.MAX_MB, "size": round(upload.size / 1024 / 1024)}, field="file")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError("file.old_excel", _("这是旧版 .xls 文件，请在Excel中“另存为” .xlsx 格式后上传。"),
                          field="file")
    if not head.startswith(b"PK\x03\x04"):
        raise DomainError("file.type", _("只能上传 .xlsx 格式的花名册（可先下载模板）。"), field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_roster(actor, enterprise: Organization, upload, starts_on: date, today: date | None = None,
                 max_bytes: int | None = MAX_BYTES) -> RosterUpload:
    """Check every row of an uploaded roster; write nothing of the roster itself, only the
    upload and what was found (for the report page, the error report and the import).
    max_bytes=None: no size limit, for an operator's file too large for the upload form."""
    _require(actor, enterprise)
    today = _today(today)
    _check_start(starts_on, today)
    digest = check_file(upload, max_bytes)
    # A large upload waits in a temporary file: calamine reads it from there, not via Python.
    source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload
    outcome = batch_roster.run(source, target(enterprise, starts_on, today), write=False)
    upload.seek(0)
    with transaction.atomic():
        row = RosterUpload(enterprise=enterprise, uploaded_by=actor, digest=digest, starts_on=starts_on,
                           region_code=enterprise.region_id)
        _found(row, outcome)
        row.file.save(f"{enterprise.pk}-{digest[:16]}.xlsx", File(upload), save=False)
        row.save()
        trail.record(actor, "roster.check", row, {"enterprise": enterprise.pk, "sha256": digest, "rows": outcome.rows,
                                                  "error_rows": outcome.error_rows})
    return row


def _check_start(starts_on: date, today: date) -> None:
    if starts_on is None or abs((starts_on - today).days) > 366:
        raise DomainError("roster.starts_on", _("保障起始日应在今天前后一年之内。"), field="starts_on")


def _found(row: RosterUpload, outcome: batch_roster.Outcome) -> None:
    row.rows, row.error_rows, row.errors = outcome.rows, outcome.error_rows, outcome.issues
    row.summary = {**row.summary, "check": outcome.summary()}


def _source(row: RosterUpload):
    """The uploaded file for python-calamine: its path on the local file storage (the default),
    else an open file. Django's Storage.path() raises NotImplementedError for storages without
    local files (e.g. object storage); that is the case handled here, not a missing feature."""
    try:
        return row.file.path
    except NotImplementedError:
        return row.file.open("rb")


def import_roster(actor, row: RosterUpload, only_clean_rows: bool = False, today: date | None = None) -> RosterUpload:
    """Import a checked roster: everything when every row is clean, or, when the uploader
    explicitly chose it, only the clean rows. The rows are checked again (the records may have
    changed since); a roster that is no longer clean writes nothing unless only_clean_rows."""
    enterprise = row.enterprise
    _require(actor, enterprise)
    today = _today(today)
    try:
        with transaction.atomic():
            _lock(enterprise)
            locked = RosterUpload.objects.select_for_update().get(pk=row.pk)
            if locked.state != RosterUpload.State.CHECKED:
                raise DomainError("roster.done", _("该花名册已处理（%(state)s），请重新上传。")
                                  % {"state": locked.get_state_display()}, field="upload")
            _take_write_lock(locked)
            outcome = batch_roster.run(_source(locked), target(enterprise, locked.starts_on, today, actor), write=True)
            _refuse_unless_wanted(outcome, only_clean_rows)
            _found(locked, outcome)
            locked.imported_rows = outcome.written
            locked.state = RosterUpload.State.IMPORTED if outcome.clean else RosterUpload.State.PARTIAL
            locked.summary = {**locked.summary, "import": outcome.summary()}
            locked.save()
            trail.record(actor, "roster.import", locked, {
                "enterprise": enterprise.pk, "file_sha256": locked.digest, "rows_sha256": outcome.sha256,
                "only_clean_rows": only_clean_rows, **outcome.summary(), "error_rows": outcome.error_rows,
            })
    except IntegrityError:
        raise DomainError("roster.conflict", _("导入时记录被同时修改，请稍后重试。"), field="upload") from None
    return locked


def _take_write_lock(row: RosterUpload) -> None:
    # SQLite: write first, so that the ids read for new people cannot be taken by another writer.
    if connection.vendor != "postgresql":
        RosterUpload.objects.filter(pk=row.pk).update(state=row.state)


def _refuse_unless_wanted(outcome: batch_roster.Outcome, only_clean_rows: bool) -> None:
    if not outcome.clean and not only_clean_rows:
        raise DomainError("roster.not_clean", _(
            "花名册有%(n)s行有误，未导入任何数据。请改正后重新上传，或选择只导入无误的行。")
                          % {"n": outcome.error_rows}, field="upload", error_rows=outcome.error_rows)
    if outcome.written == 0 and outcome.already == 0:
        raise DomainError("roster.nothing", _("没有可导入的行。"), field="upload")


def discard_upload(actor, row: RosterUpload) -> RosterUpload:
    _require(actor, row.enterprise)
    if row.state != RosterUpload.State.CHECKED:
        raise DomainError("roster.done", _("该花名册已处理，不能放弃。"), field="upload")
    with transaction.atomic():
        row.state = RosterUpload.State.DISCARDED
        row.save(update_fields=["state"])
        trail.record(actor, "roster.discard", row, {"sha256": row.digest})
    return row


# --- One worker typed in ---------------------------------------------------------------------------

def enrol_worker(actor, enterprise: Organization, fields: dict, starts_on: date, today: date | None = None) -> Coverage:
    """One worker through exactly the checks and the writer of an uploaded roster (a roster
    of one row). `fields` holds the template's columns by key (name, id_number, ...)."""
    _require(actor, enterprise)
    today = _today(today)
    _check_start(starts_on, today)
    positions = {column.key: n for n, column in enumerate(rules.COLUMNS)}
    raw = [fields.get(column.key, "") for column in rules.COLUMNS]
    with transaction.atomic():
        _lock(enterprise)
        outcome = batch_roster.run_chunks([([2], [raw])], positions, target(enterprise, starts_on, today, actor),
                                          write=True)
        if outcome.issues:
            issue = outcome.issues[0]
            field_key = next((c.key for c in rules.COLUMNS if c.header == issue["column"]), "")
            raise DomainError(issue["code"], issue["message"], field=field_key)
        if outcome.already:
            raise DomainError("coverage.exists", _("此人已在本企业本期参加该计划。"), field="id_number")
        coverage = Coverage.objects.filter(enterprise=enterprise).order_by("-id").first()
        trail.record(actor, "roster.enrol_worker", coverage, {
            "enterprise": enterprise.pk, "rows_sha256": outcome.sha256, **outcome.summary()})
    return coverage


# --- Collective enrolment from the member register ---------------------------------------------------

@dataclass
class Enrolled:
    enrolment: Enrolment
    written: int = 0
    already: int = 0
    refused: list[dict] = field(default_factory=list)  # {person, name, code, message}
    participation: dict = field(default_factory=dict)


def enrol_members(actor, enterprise: Organization, plan: Plan, starts_on: date, shares: int = 1,
                  today: date | None = None) -> Enrolled:
    """集体参保: every current member of the enterprise's union joins the plan in one action
    (one share each unless told otherwise). Members who are too old or young, or covered
    elsewhere for an overlapping period, are listed and left out; the participation rate is
    measured against the rule row afterwards."""
    _require(actor, enterprise)
    today = _today(today)
    _check_start(starts_on, today)
    with transaction.atomic():
        _lock(enterprise)
        found = target(enterprise, starts_on, today, actor)
        entry = found.plans.get(plan.code)
        if entry is None:
            raise DomainError("plan.unknown", messages_roster.MESSAGES["plan.unknown"] % {"plan": plan.name},
                              field="plan")
        terms, where = entry
        if not 1 <= shares <= terms.max_shares:
            raise DomainError("shares.range", messages_roster.MESSAGES["shares.range"]
                              % {"shares": shares, "max": terms.max_shares}, field="shares")
        enrolment = where["enrolment"] or _new_enrolment(enterprise, entry)
        result = Enrolled(enrolment)
        rows = _member_rows(enterprise, enrolment, terms, starts_on, shares, result)
        insert_rows(Coverage, batch_roster.COVERAGE_FIELDS, rows)
        result.written = len(rows)
        digest = hashlib.sha256()
        digest_rows(digest, rows)
        trail.record(actor, "roster.enrol_members", enrolment, {
            "enterprise": enterprise.pk, "plan": plan.code, "written": result.written, "already": result.already,
            "refused": len(result.refused), "rows_sha256": digest.hexdigest(),
        })
    result.participation = queries_roster.participation(enrolment, today)
    return result


def _member_rows(enterprise, enrolment: Enrolment, terms: rules.PlanTerms, starts_on: date, shares: int,
                 result: Enrolled) -> list[tuple]:
    members = list(queries_roster.current_members(enterprise).select_related("person")
                   .order_by("person_id").values_list("person_id", "person__name", "person__birth_date", "person__sex"))
    start = rules.coverage_start(terms, starts_on, None)
    held = queries_roster.coverage_records([m[0] for m in members], {terms.code}, start - timedelta(days=1))
    rows = []
    for person_id, name, birth, sex in members:
        problem = rules.eligibility_problem(birth, sex == "M", start, terms)
        placement = None
        if problem is None:
            placement, problem = rules.place(person_id, held.get(person_id, ()), terms, start, enterprise.pk,
                                             enrolment.pk)
        if problem is not None:
            issue = rules.Issue(0, "", problem[0], problem[1])
            result.refused.append({"person": person_id, "name": name, "code": issue.code,
                                   "message": messages_roster.message(issue)})
            continue
        if placement.already:
            result.already += 1
            continue
        rows.append((enrolment.pk, person_id, enterprise.pk, enrolment.version_id, shares, None, None, False, start,
                     placement.waiting_ends_on, terms.period_end, Coverage.State.ACTIVE.value,
                     placement.continues_from, None, "", enterprise.region_id, True))
    return rows


# --- Renewal -------------------------------------------------------------------------------------------

@dataclass
class Renewed:
    enrolment: Enrolment
    written: int = 0
    refused: list[dict] = field(default_factory=list)


def renew_enrolment(actor, enrolment: Enrolment, today: date | None = None) -> Renewed:
    """续保: the whole enterprise into the next period in one action, under the plan's version
    for that period. Everyone covered to the end of this period continues without a new
    waiting period (coverage.renewed_from); those past the age limit are listed and left out."""
    enterprise = enrolment.enterprise
    _require(actor, enterprise)
    with transaction.atomic():
        _lock(enterprise)
        if Enrolment.objects.filter(renewed_from=enrolment).exists():
            raise DomainError("renewal.done", _("该期已续保。"), field="enrolment")
        starts_on = enrolment.ends_on + timedelta(days=1)
        entry = _next_period(enterprise, enrolment.version.plan, starts_on)
        new = _new_enrolment(enterprise, entry, renewed_from=enrolment)
        terms = entry[0]
        result = Renewed(new)
        rows = _renewal_rows(enrolment, new, terms, result)
        insert_rows(Coverage, batch_roster.COVERAGE_FIELDS, rows)
        result.written = len(rows)
        digest = hashlib.sha256()
        digest_rows(digest, rows)
        trail.record(actor, "roster.renew", new, {"from": enrolment.pk, "written": len(rows),
                                                  "refused": len(result.refused), "rows_sha256": digest.hexdigest()})
    return result


def _next_period(enterprise: Organization, plan: Plan, starts_on: date):
    version = queries_roster.version_on(plan, starts_on)
    if version is None:
        raise DomainError("renewal.no_version", _("“%(plan)s”在%(day)s尚无已发布的计划版本，暂不能续保。")
                          % {"plan": plan.name, "day": starts_on.isoformat()}, field="enrolment")
    pool = queries_roster.lowest_pool(enterprise, plan)
    terms = rules.PlanTerms(
        code=plan.code, name=plan.name, min_age=version.min_age, max_age=version.max_age,
        max_shares=version.max_shares, women_only=version.women_only, waiting_days=version.waiting_days,
        period_start=starts_on, period_end=rules.period_end(starts_on, version.period_months),
        has_pool=pool is not None, requires_medical_insurance=version.requires_medical_insurance,
    )
    return terms, {"plan": plan, "version": version, "enrolment": None, "pool": pool}


def _renewal_rows(old: Enrolment, new: Enrolment, terms: rules.PlanTerms, result: Renewed) -> list[tuple]:
    current = (old.coverages.filter(ends_on=old.ends_on, state=Coverage.State.ACTIVE, renewal__isnull=True)
               .select_related("person").order_by("id"))
    rows = []
    for cover in current:
        person = cover.person
        problem = rules.eligibility_problem(person.birth_date, person.sex == "M", new.starts_on, terms)
        if problem is None and terms.requires_medical_insurance and not cover.medical_insured:
            problem = ("eligibility.medical_insurance", {"plan": terms.name})
        if problem is not None:
            issue = rules.Issue(0, "", problem[0], problem[1])
            result.refused.append({"person": person.pk, "name": person.name, "code": issue.code,
                                   "message": messages_roster.message(issue)})
            continue
        rows.append((new.pk, person.pk, new.enterprise_id, new.version_id, min(cover.shares, terms.max_shares),
                     cover.monthly_wage_fen, cover.employment_start, cover.hardship, new.starts_on,
                     rules.waiting_ends(new.starts_on, terms.waiting_days, unbroken=True), new.ends_on,
                     Coverage.State.ACTIVE.value, cover.pk, None, "", new.region_code, cover.medical_insured))
    return rows


# --- Leaving and moving ------------------------------------------------------------------------------------

def _open(coverage: Coverage) -> None:
    if coverage.left_on is not None or coverage.state == Coverage.State.ENDED:
        raise DomainError("coverage.ended", _("该保障已终止或已办理离职。"), field="coverage")
    if Coverage.objects.filter(renewed_from=coverage).exists():
        raise DomainError("coverage.renewed", _("该保障已续保或转移到下一期，请在最新的保障记录上办理。"),
                          field="coverage")


def leave(actor, coverage: Coverage, left_on: date, today: date | None = None) -> Coverage:
    """离职: cover runs to the end of the paid period containing the day of leaving."""
    _require(actor, coverage.enterprise)
    today = _today(today)
    with transaction.atomic():
        coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
        _open(coverage)
        paid = list(Invoice.objects.filter(lines__coverage=coverage, state=Invoice.State.PAID)
                    .values_list("period_start", "period_end"))
        try:
            ends = rules.end_on_leaving(left_on, coverage.starts_on, coverage.ends_on, paid)
        except ValueError:
            raise DomainError("leave.before_start", _("离职日期早于保障起始日（%(day)s）。")
                              % {"day": coverage.starts_on.isoformat()}, field="left_on") from None
        coverage.left_on, coverage.ends_on, coverage.end_reason = left_on, ends, Coverage.EndReason.LEFT
        if ends < today:
            coverage.state = Coverage.State.ENDED
        coverage.save(update_fields=["left_on", "ends_on", "end_reason", "state"])
        trail.record(actor, "coverage.leave", coverage, {"left_on": left_on.isoformat(), "ends_on": ends.isoformat(),
                                                         "paid_periods": len(paid)})
    return coverage


def move(actor, coverage: Coverage, to: Organization, left_on: date, today: date | None = None) -> Coverage:
    """转移接续: the worker moves to another enterprise without a break. Cover here ends on the
    last day here; cover there starts the next day under that enterprise's enrolment (made when
    missing) and continues this cover (renewed_from), so there is no new waiting period."""
    _require(actor, coverage.enterprise)
    _require(actor, to)
    today = _today(today)
    if to.pk == coverage.enterprise_id:
        raise DomainError("move.same", _("请选择另一家企业。"), field="enterprise")
    with transaction.atomic():
        for enterprise in sorted((coverage.enterprise, to), key=lambda e: e.pk):
            _lock(enterprise)
        coverage = Coverage.objects.select_for_update().select_related("person", "version__plan").get(pk=coverage.pk)
        _open(coverage)
        if not coverage.starts_on <= left_on <= coverage.ends_on:
            raise DomainError("move.date", _("调出日期应在保障期内（%(first)s至%(last)s）。")
                              % {"first": coverage.starts_on.isoformat(), "last": coverage.ends_on.isoformat()},
                              field="left_on")
        new = _moved_cover(actor, coverage, to, left_on, today)
        coverage.left_on, coverage.ends_on, coverage.end_reason = left_on, left_on, Coverage.EndReason.MOVED
        if left_on < today:
            coverage.state = Coverage.State.ENDED
        coverage.save(update_fields=["left_on", "ends_on", "end_reason", "state"])
        trail.record(actor, "coverage.move", new, {"from": coverage.pk, "from_enterprise": coverage.enterprise_id,
                                                   "to_enterprise": to.pk, "left_on": left_on.isoformat()})
    return new


def _moved_cover(actor, old: Coverage, to: Organization, left_on: date, today: date) -> Coverage:
    starts_on = left_on + timedelta(days=1)
    found = target(to, starts_on, today, actor)
    entry = found.plans.get(old.version.plan.code)
    if entry is None or not entry[0].has_pool:
        raise DomainError("move.no_plan", _("调入企业所在地区没有开办“%(plan)s”，不能转移接续。")
                          % {"plan": old.version.plan.name}, field="enterprise")
    terms, where = entry
    person = old.person
    problem = rules.eligibility_problem(person.birth_date, person.sex == "M", starts_on, terms)
    held = queries_roster.coverage_records([person.pk], {terms.code}, starts_on)
    held = {person.pk: [c for c in held.get(person.pk, ()) if c[4] != old.pk]}
    if problem is None:
        placement, problem = rules.place(person.pk, held[person.pk], terms, starts_on, to.pk,
                                         where["enrolment"].pk if where["enrolment"] else None)
        if problem is None and placement.already:
            problem = ("coverage.overlap", {"ends": terms.period_end.isoformat()})
    if problem is not None:
        issue = rules.Issue(0, "", problem[0], problem[1])
        raise DomainError(issue.code, messages_roster.message(issue), field="enterprise")
    enrolment = where["enrolment"] or _new_enrolment(to, entry)
    return Coverage.objects.create(
        enrolment=enrolment, person=person, enterprise=to, version=enrolment.version,
        shares=min(old.shares, terms.max_shares), employment_start=starts_on, starts_on=starts_on,
        waiting_ends_on=rules.waiting_ends(starts_on, terms.waiting_days, unbroken=True), ends_on=enrolment.ends_on,
        renewed_from=old, region_code=to.region_id, medical_insured=old.medical_insured,
    )
