"""Every change of 厂务公开: policy check → rules → one transaction → trail event.

The catalogue of an enterprise is materialized explicitly: `adopt_defaults` copies the national
(or regional) default matters in, and every other write of the enterprise's disclosure (adding a
matter, publishing, an automatic resolution) calls it first. Until then, reads (calendar,
compliance, the congress check) use the defaults of the enterprise's region as they stand: the
same rows, not yet copied.

Who may do what: those who may change the enterprise (enterprise admin, union chair, cadres
above) keep the catalogue and publish; readers acknowledge and ask; the responsible
department's members (or those who run the enterprise) answer."""

from datetime import date
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.files import check_document
from zhigong.core.models import Department, Organization, RoleGrant, User
from zhigong.core.notifications import notify
from zhigong.democracy.models import Session
from zhigong.disclosure import batch, queries, rules
from zhigong.disclosure.models import (
    Acknowledgement,
    Audience,
    Category,
    Frequency,
    Matter,
    Publication,
    PublicationFile,
    Question,
    Reminder,
)
from zhigong.disclosure.rulebook import DisclosureRules
from zhigong.disclosure.rulebook import load as load_rules

MAX_FILES = 10
TABLE_MESSAGES = {
    "table.shape": gettext_lazy("表格格式不正确：第一行为列名，其余每行一条记录。"),
    "table.too_large": gettext_lazy("表格最多%(columns)d列、%(rows)d行。"),
    "table.column_name": gettext_lazy("表格的每一列都要有列名。"),
    "table.row_width": gettext_lazy("表格每一行的格数应与列名相同。"),
    "table.cell": gettext_lazy("表格单元格内容过长（最多%(cell)d个字）。"),
}


def _today() -> date:
    return timezone.localdate()


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", _("此项必填。"), field=field)
    if len(value) > limit:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": limit}, field=field)
    return value


def _manage(actor, enterprise: Organization, verb: str) -> None:
    if enterprise.kind != Organization.Kind.ENTERPRISE or not policy.may_organization(actor, "change", enterprise):
        raise PermissionDenied(verb)


def rules_for(enterprise: Organization, day: date | None = None) -> DisclosureRules:
    return load_rules(enterprise.region_id, day or _today())


# --- The catalogue ------------------------------------------------------------------------------

def _adopt(actor, enterprise: Organization) -> list[str]:
    """Copy the default matters the enterprise lacks (by code); called inside a transaction."""
    r = rules_for(enterprise)
    have = set(Matter.objects.filter(enterprise=enterprise).values_list("code", flat=True))
    new = [Matter(enterprise=enterprise, code=m["code"], name=m["name"], category=m["category"],
                  frequency=m["frequency"], audience=m["audience"], mandatory=bool(m["mandatory"]), default=True,
                  congress_matter=m.get("congress_matter", ""), rule_row=r.default_row)
           for m in r.default_matters if m["code"] not in have]
    if new:
        Matter.objects.bulk_create(new)
        trail.record(actor, "disclosure.catalogue.adopt", enterprise,
                     {"codes": [m.code for m in new], "rule_row": r.default_row})
    return [m.code for m in new]


def adopt_defaults(actor, enterprise: Organization) -> list[str]:
    """Materialize the default catalogue of the enterprise's region; again later, it adds the
    defaults a newer rule row brought. Returns the codes added."""
    _manage(actor, enterprise, "adopt_defaults")
    with transaction.atomic():
        return _adopt(actor, enterprise)


def _department(enterprise: Organization, department: Department | None) -> Department | None:
    if department is not None and department.enterprise_id != enterprise.pk:
        raise DomainError("disclosure.department", _("责任部门应为本企业的部门。"), field="department")
    return department


def add_matter(actor, enterprise: Organization, name: str, category: str, frequency: str, audience: str,
               department: Department | None = None, mandatory: bool = False) -> Matter:
    """An enterprise's own matter (the defaults come through adopt_defaults)."""
    _manage(actor, enterprise, "add_matter")
    if category not in Category.values:
        raise DomainError("disclosure.category", _("请选择事项类别。"), field="category")
    if frequency not in Frequency.values:
        raise DomainError("disclosure.frequency", _("请选择公开频次。"), field="frequency")
    if audience not in Audience.values:
        raise DomainError("disclosure.audience", _("请选择公开范围。"), field="audience")
    name = _text(name, "name", 100)
    with transaction.atomic():
        _adopt(actor, enterprise)
        if Matter.objects.filter(enterprise=enterprise, name=name).exists():
            raise DomainError("disclosure.matter_exists", _("目录中已有同名事项。"), field="name")
        number = Matter.objects.filter(enterprise=enterprise, default=False).count() + 1
        matter = Matter.objects.create(
            enterprise=enterprise, code=f"own-{number}", name=name, category=category, frequency=frequency,
            audience=audience, department=_department(enterprise, department), mandatory=mandatory)
        trail.record(actor, "disclosure.matter.add", matter, {
            "name": name, "frequency": frequency, "audience": audience, "mandatory": mandatory})
    return matter


def set_department(actor, matter: Matter, department: Department | None) -> Matter:
    _manage(actor, matter.enterprise, "set_department")
    with transaction.atomic():
        matter.department = _department(matter.enterprise, department)
        matter.save(update_fields=["department"])
        trail.record(actor, "disclosure.matter.department", matter, {"department": getattr(department, "pk", None)})
    return matter


# --- Publishing ---------------------------------------------------------------------------------

def _obligation(matter: Matter, r: DisclosureRules, period: str, session: Session | None,
                event_on: date | None) -> tuple[str, rules.Period]:
    """Which obligation a publication meets: (kind, period)."""
    if matter.frequency in rules.PERIODIC:
        found = rules.find_period(matter.frequency, (period or "").strip(), r.grace.get(matter.frequency, 0))
        if found is None:
            raise DomainError("disclosure.period", _("请选择公开的期间。"), field="period")
        return Publication.Kind.PERIOD, found
    if matter.frequency == Frequency.BEFORE_VOTE:
        if session is None or session.term.congress.enterprise_id != matter.enterprise_id:
            raise DomainError("disclosure.session", _("请选择提交表决的职代会会议。"), field="session")
        return Publication.Kind.VOTE, rules.vote_period(timezone.localdate(session.starts_at), r.lead_days)
    if event_on is None or event_on > _today():
        raise DomainError("disclosure.event_on", _("请填写事项发生的日期（不能晚于今天）。"), field="event_on")
    return Publication.Kind.EVENT, rules.event_period(event_on, r.grace.get(rules.ON_EVENT, 0))


def _clean_table(table) -> dict | None:
    if table in (None, "", {}):
        return None
    error = rules.table_error(table)
    if error:
        raise DomainError(error, TABLE_MESSAGES[error] % {"columns": rules.MAX_COLUMNS, "rows": rules.MAX_ROWS,
                                                         "cell": rules.MAX_CELL}, field="table")
    return {"columns": [c.strip() for c in table["columns"]], "rows": table["rows"]}


def _checked_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise DomainError("disclosure.too_many_files", _("附件最多%(n)d个。") % {"n": MAX_FILES}, field="files")
    return [(upload, check_document(upload, field="files")) for upload in files]


def _content(fields: dict, checked: list) -> dict:
    return {**fields, "files": [{"name": PurePath(u.name or "").name, "sha256": c.sha256} for u, c in checked]}


def _write(actor, fields: dict, checked: list, verb: str, extra: dict) -> Publication:
    """Create the publication and its files, and trail the digest of the content. Inside the
    caller's transaction."""
    content = _content({k: fields[k] for k in ("title", "text", "table", "period", "version")} | {
        "enterprise": fields["enterprise"].pk, "matter": fields["matter"].code,
        "previous": fields["previous"].sha256 if fields.get("previous") else None}, checked)
    digest = rules.content_digest(content)
    now = timezone.now()
    publication = Publication.objects.create(**fields, sha256=digest, published_at=now,
                                             published_on=timezone.localdate(now),
                                             published_by=actor if getattr(actor, "pk", None) else None,
                                             region_id=fields["enterprise"].region_id)
    for upload, check in checked:
        PublicationFile.objects.create(publication=publication, title=PurePath(upload.name or "").name[:128] or "file",
                                       file=upload, content_type=check.content_type, size=check.size,
                                       sha256=check.sha256)
    event = trail.record(actor, verb, publication, {
        "matter": fields["matter"].code, "period": fields["period"], "version": fields["version"],
        "sha256": digest, "files": [c.sha256 for _u, c in checked], **extra})
    Publication.objects.filter(pk=publication.pk).update(event_seq=event.seq)  # bookkeeping, not content
    publication.event_seq = event.seq
    return publication


def publish(actor, matter: Matter, title: str, text: str, table=None, files=(), period: str = "",
            session: Session | None = None, event_on: date | None = None, confirmed: bool = True) -> Publication:
    """Publish a disclosure of a catalogue matter for one obligation (a period, a congress
    session, an event). Final: a published disclosure is never edited, only corrected."""
    enterprise = matter.enterprise
    _manage(actor, enterprise, "publish")
    if not confirmed:
        raise DomainError("disclosure.confirm", _("发布后不能修改，请勾选确认后再发布。"), field="confirm")
    title, text = _text(title, "title", 200), _text(text, "text", 50000)
    clean_table = _clean_table(table)
    kind, period_obj = _obligation(matter, rules_for(enterprise), period, session, event_on)
    checked = _checked_files(files)
    fields = {"enterprise": enterprise, "matter": matter, "kind": kind, "period": period_obj.label,
              "due_on": period_obj.due, "session": session if kind == Publication.Kind.VOTE else None,
              "audience": matter.audience, "title": title, "text": text, "table": clean_table, "version": 1}
    try:
        with transaction.atomic():
            _adopt(actor, enterprise)
            return _write(actor, fields, checked, "disclosure.publish", {"due_on": period_obj.due.isoformat()})
    except IntegrityError:
        raise DomainError("disclosure.already_published", _("该期间已公开过。如需修改，请发布更正版本。"),
                          field="period") from None


def correct(actor, publication: Publication, reason: str, title: str, text: str, table=None,
            files=()) -> Publication:
    """A correction: a new version linking the one it corrects, with the reason. Both stay
    visible; only the newest version can be corrected again."""
    _manage(actor, publication.enterprise, "correct")
    reason = _text(reason, "reason", 2000, required=False)
    if not reason:
        raise DomainError("disclosure.reason_required", _("请填写更正原因。"), field="reason")
    title, text = _text(title, "title", 200), _text(text, "text", 50000)
    clean_table = _clean_table(table)
    checked = _checked_files(files)
    with transaction.atomic():
        old = Publication.objects.select_for_update().get(pk=publication.pk)
        if Publication.objects.filter(previous=old).exists():
            raise DomainError("disclosure.already_corrected", _("该版本已有更正版本，请在最新版本上更正。"),
                              field="reason")
        fields = {"enterprise": old.enterprise, "matter": old.matter, "kind": old.kind, "period": old.period,
                  "due_on": old.due_on, "session": old.session, "audience": old.audience, "title": title,
                  "text": text, "table": clean_table, "version": old.version + 1, "previous": old, "reason": reason}
        return _write(actor, fields, checked, "disclosure.correct", {"corrects": old.pk, "reason": reason})


# --- Readers ------------------------------------------------------------------------------------

def acknowledge(actor, publication: Publication) -> tuple[Acknowledgement, bool]:
    """已阅. The publication must be one the actor may read (queries.access_publication)."""
    queries.access_publication(actor, publication.pk)
    with transaction.atomic():
        row, created = Acknowledgement.objects.get_or_create(publication=publication, user=actor)
        if created:
            trail.record(actor, "disclosure.acknowledge", publication, {})
    return row, created


def _answerers(matter: Matter) -> list[User]:
    """The responsible department's members, else those who run the enterprise."""
    if matter.department_id:
        members = list(matter.department.members.filter(is_active=True))
        if members:
            return members
    return list(User.objects.filter(is_active=True, grants__organization=matter.enterprise,
                                    grants__role__in=["enterprise_admin", "union_chair"]).distinct())


def ask(actor, publication: Publication, text: str) -> Question:
    queries.access_publication(actor, publication.pk)
    text = _text(text, "text", 1000)
    with transaction.atomic():
        question = Question.objects.create(publication=publication, asker=actor, text=text)
        trail.record(actor, "disclosure.ask", question, {"publication": publication.pk})
        notify(_answerers(publication.matter), _("公开信息有新的提问：%(title)s") % {"title": publication.title},
               text[:200], f"/disclosure/questions/{question.pk}/")
    return question


def may_answer(actor, question: Question) -> bool:
    matter = question.publication.matter
    if policy.may_organization(actor, "change", matter.enterprise):
        return True
    return bool(matter.department_id) and matter.department.members.filter(pk=getattr(actor, "pk", None)).exists()


def answer(actor, question: Question, text: str) -> Question:
    if not may_answer(actor, question):
        raise PermissionDenied("answer")
    text = _text(text, "answer", 5000)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.answered_at is not None:
            raise DomainError("disclosure.answered", _("该问题已答复。"), field="answer")
        locked.answer, locked.answered_by, locked.answered_at = text, actor, timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        trail.record(actor, "disclosure.answer", locked, {"publication": locked.publication_id})
        notify([locked.asker], _("您对“%(title)s”的提问已答复") % {"title": locked.publication.title}, text[:200],
               f"/disclosure/p/{locked.publication_id}/")
    return locked


# --- Reminders ----------------------------------------------------------------------------------

def send_reminders(today: date | None = None) -> int:
    """Remind each enterprise's admins (and the responsible department) of what falls due in
    `disclosure.remind_days` days and is not published yet. Once per obligation and lead: the
    Reminder rows make a second run the same day (or a re-run) send nothing. One trail event per
    run with the digest of what was sent."""
    today = today or _today()
    admins: dict[int, set[int]] = {}
    for org_id, user_id in RoleGrant.objects.filter(
            role__in=["enterprise_admin", "union_chair"], organization__kind=Organization.Kind.ENTERPRISE,
            user__is_active=True).values_list("organization_id", "user_id"):
        admins.setdefault(org_id, set()).add(user_id)
    enterprises = {e.pk: e for e in Organization.objects.filter(pk__in=list(admins))}
    sent: list[str] = []
    for year in sorted({today.year - 1, today.year}):
        for enterprise_id, found in batch.obligations(list(enterprises), year, today).items():
            enterprise = enterprises[enterprise_id]
            due = rules.upcoming(found, today, rules_for(enterprise, today).remind_days)
            sent += [_remind(enterprise, admins[enterprise_id], o, days) for o, days in due]
    sent = [key for key in sent if key]
    if sent:
        with transaction.atomic():
            trail.record(None, "disclosure.remind", ("batch", "disclosure_remind"), {
                "day": today.isoformat(), "count": len(sent), "sha256": rules.content_digest({"sent": sent})})
    return len(sent)


def _remind(enterprise: Organization, admin_ids: set[int], obligation: rules.Obligation, days: int) -> str:
    with transaction.atomic():
        _row, created = Reminder.objects.get_or_create(enterprise=enterprise, matter_code=obligation.matter,
                                                       period=obligation.period.label, days_before=days)
        if not created:
            return ""
        matter = Matter.objects.filter(enterprise=enterprise, code=obligation.matter).first()
        users = list(User.objects.filter(pk__in=admin_ids))
        if matter is not None and matter.department_id:
            users += list(matter.department.members.filter(is_active=True).exclude(pk__in=admin_ids))
        name = matter.name if matter else obligation.matter
        label = obligation.period.label
        notify(users, _("厂务公开即将到期：%(matter)s（%(period)s）") % {"matter": name, "period": label},
               _("应于%(due)s前公开，还有%(days)d天。") % {"due": obligation.period.due.isoformat(), "days": days},
               f"/disclosure/enterprise/{enterprise.pk}/calendar/?year={obligation.period.end.year}")
    return f"{enterprise.pk}|{obligation.matter}|{obligation.period.label}|{days}"
