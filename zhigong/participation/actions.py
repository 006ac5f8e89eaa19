"""Every change to proposals, suggestions and the suggestion box: policy check → rules → one
transaction → trail event (the box: a daily digest event, see box_digest)."""

import hashlib
import hmac
import io
import secrets
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import policy, rulebook
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.files import check_document
from zhigong.core.models import Department, Organization, User
from zhigong.core.notifications import notify, users_of_people
from zhigong.democracy.models import Committee, Delegate, Session
from zhigong.participation import rules
from zhigong.participation.models import (
    BoxDigest,
    BoxMessage,
    BoxPhoto,
    BoxReply,
    BoxSettings,
    Category,
    ProgressUpdate,
    Proposal,
    ProposalFile,
    ProposalSigner,
    ProposalWindow,
    Suggestion,
)

State = Proposal.State
# Lazy: these tables are built at import, the sentences must be in the language of the request.
TRANSITION_MESSAGES = {
    "proposal.illegal_transition": gettext_lazy("提案当前状态为“%(state)s”，不能进行此操作。"),
}
COSIGN_MESSAGES = {
    "cosign.own_proposal": gettext_lazy("不能附议自己的提案。"),
    "cosign.twice": gettext_lazy("您已附议过该提案。"),
    "cosign.not_delegate": gettext_lazy("只有本届职工代表可以附议。"),
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


def _enterprise(proposal: Proposal) -> Organization:
    return proposal.congress.enterprise


def _runs_congress(actor, enterprise: Organization) -> bool:
    return policy.may_organization(actor, "change", enterprise)


def _delegate(actor, term) -> Delegate | None:
    return term.delegates.filter(person_id=getattr(actor, "person_id", None) or -1,
                                 status=Delegate.Status.ACTIVE).first()


def _is_committee(actor, proposal: Proposal) -> bool:
    """The proposal committee of the term, or those who run the congress."""
    if _runs_congress(actor, _enterprise(proposal)):
        return True
    delegate = _delegate(actor, proposal.session.term)
    return delegate is not None and Committee.objects.filter(
        term=proposal.session.term, kind=Committee.Kind.PROPOSAL, members=delegate).exists()


def _is_department(actor, proposal: Proposal, lead_only: bool = True) -> bool:
    if _runs_congress(actor, _enterprise(proposal)):
        return True
    departments = [proposal.lead_department_id] if lead_only else (
        [proposal.lead_department_id] + list(proposal.co_departments.values_list("pk", flat=True)))
    return Department.objects.filter(pk__in=departments, members=actor).exists()


def _is_proposer(actor, proposal: Proposal) -> bool:
    return proposal.signers.filter(role=ProposalSigner.Role.PROPOSER,
                                   delegate__person_id=getattr(actor, "person_id", None) or -1).exists()


def allowed_verbs(actor, proposal: Proposal) -> set[str]:
    """The verbs of the proposal's current state that this actor may do, by the same checks the
    actions make: what a page offers (a forged request is still refused by the action)."""
    parties = {
        "proposer": lambda verb: _is_proposer(actor, proposal),
        "committee": lambda verb: _is_committee(actor, proposal),
        # Only the lead department answers; co-departments report their part of the work.
        "department": lambda verb: _is_department(actor, proposal, lead_only=verb == "answer"),
    }
    return {verb for verb in rules.legal_verbs(proposal.state) if parties[rules.who_may(verb)](verb)}


def may_cosign(actor, proposal: Proposal) -> bool:
    """Whether cosign() would accept this actor now (the page shows the button only then)."""
    if proposal.state not in (State.DRAFT, State.SUBMITTED):
        return False
    signer = _delegate(actor, proposal.session.term)
    return signer is not None and not proposal.signers.filter(delegate=signer).exists()


def _move(actor, proposal: Proposal, verb: str, allowed: bool, data: dict | None = None,
          target: str | None = None, **changes) -> Proposal:
    """Apply one transition of the state machine under a row lock, and trail it. `target`
    overrides where a legal verb leads (a rating that sends a proposal back)."""
    if not allowed:
        raise PermissionDenied(verb)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        try:
            natural = rules.next_state(locked.state, verb)
        except rules.TransitionError as exc:
            raise DomainError(exc.code, TRANSITION_MESSAGES.get(exc.code, _("不能进行此操作。"))
                              % {"state": State(locked.state).label}, field="state") from None
        before = locked.state
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.state = target or natural
        locked.save()
        trail.record(actor, f"proposal.{verb}", locked, {"from": before, "to": locked.state, **(data or {})})
    proposal.refresh_from_db()
    return proposal


# --- Window, drafts, co-signing, submission ------------------------------------------------------

def set_window(actor, session: Session, opens_on: date, closes_on: date) -> ProposalWindow:
    if not _runs_congress(actor, session.term.congress.enterprise):
        raise PermissionDenied("set_window")
    if closes_on < opens_on:
        raise DomainError("window.dates", _("征集截止日期不能早于开始日期。"), field="closes_on")
    with transaction.atomic():
        window, _created = ProposalWindow.objects.update_or_create(
            session=session, defaults={"opens_on": opens_on, "closes_on": closes_on})
        trail.record(actor, "proposal.window", window, {"opens_on": opens_on.isoformat(),
                                                        "closes_on": closes_on.isoformat()})
    return window


def _clean_fields(title: str, cause: str, measures: str, category: str) -> dict:
    if category not in Category.values:
        raise DomainError("proposal.category", _("请选择提案类别。"), field="category")
    return {"title": _text(title, "title", 200), "cause": _text(cause, "cause", 10000),
            "measures": _text(measures, "measures", 10000), "category": category}


def _search_text(fields: dict) -> str:
    return rules.normalise_text(" ".join([fields["title"], fields["cause"], fields["measures"]]))


def draft_proposal(actor, session: Session, title: str, cause: str, measures: str, category: str) -> Proposal:
    delegate = _delegate(actor, session.term)
    if delegate is None:
        raise PermissionDenied("draft_proposal")
    fields = _clean_fields(title, cause, measures, category)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            congress=session.term.congress, session=session, proposer=delegate,
            search_text=_search_text(fields), region_id=session.region_id, **fields)
        ProposalSigner.objects.create(proposal=proposal, delegate=delegate, role=ProposalSigner.Role.PROPOSER)
        trail.record(actor, "proposal.draft", proposal, {"title": proposal.title, "category": category})
    return proposal


def edit_draft(actor, proposal: Proposal, title: str, cause: str, measures: str, category: str) -> Proposal:
    fields = _clean_fields(title, cause, measures, category)
    if proposal.state != State.DRAFT:
        raise DomainError("proposal.not_draft", _("只有草稿可以修改。"), field="title")
    return _move(actor, proposal, "edit", _is_proposer(actor, proposal), {"title": fields["title"]},
                 search_text=_search_text(fields), **fields)


def cosign(actor, proposal: Proposal) -> ProposalSigner:
    if proposal.state not in (State.DRAFT, State.SUBMITTED):
        raise DomainError("cosign.closed", _("该提案已不能附议。"), field="proposal")
    term = proposal.session.term
    signer = _delegate(actor, term)
    delegates = [signer.pk] if signer else []
    cosigners = list(proposal.signers.filter(role=ProposalSigner.Role.COSIGNER).values_list("delegate_id", flat=True))
    error = rules.cosign_error(signer.pk if signer else -1, proposal.proposer_id, cosigners, delegates)
    if error is None and proposal.signers.filter(delegate=signer).exists():
        error = "cosign.own_proposal"  # a merged-in proposer signs as proposer already
    if error:
        raise DomainError(error, COSIGN_MESSAGES[error], field="proposal")
    with transaction.atomic():
        try:
            with transaction.atomic():
                signature = ProposalSigner.objects.create(proposal=proposal, delegate=signer,
                                                          role=ProposalSigner.Role.COSIGNER)
        except IntegrityError:
            raise DomainError("cosign.twice", COSIGN_MESSAGES["cosign.twice"], field="proposal") from None
        trail.record(actor, "proposal.cosign", proposal, {"delegate": signer.pk})
    return signature


def _required_cosigners(proposal: Proposal) -> int:
    return int(rulebook.lookup("proposal.min_cosigners", proposal.region_id, _today()).value)


def submit(actor, proposal: Proposal) -> Proposal:
    window = ProposalWindow.objects.filter(session=proposal.session).first()
    if window is None or not rules.window_open(_today(), window.opens_on, window.closes_on):
        raise DomainError("proposal.window_closed", _("当前不在本次会议的提案征集期内。"), field="state")
    needed = _required_cosigners(proposal)
    have = proposal.signers.filter(role=ProposalSigner.Role.COSIGNER).count()
    if not rules.can_submit(have, needed):
        raise DomainError("proposal.cosigners", _("提案需要至少%(needed)d名代表附议，目前%(have)d名。")
                          % {"needed": needed, "have": have}, field="state", needed=needed, have=have)
    number = _next_number(proposal)
    return _move(actor, proposal, "submit", _is_proposer(actor, proposal), {"number": number}, number=number)


def _next_number(proposal: Proposal) -> str:
    year = _today().year
    taken = Proposal.objects.filter(congress=proposal.congress, number__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:03d}"


def withdraw(actor, proposal: Proposal) -> Proposal:
    return _move(actor, proposal, "withdraw", _is_proposer(actor, proposal), closed_on=_today())


# --- Committee -----------------------------------------------------------------------------------

def start_review(actor, proposal: Proposal) -> Proposal:
    return _move(actor, proposal, "start_review", _is_committee(actor, proposal))


def accept(actor, proposal: Proposal) -> Proposal:
    """立案."""
    return _move(actor, proposal, "accept", _is_committee(actor, proposal))


def convert(actor, proposal: Proposal, reason: str) -> Proposal:
    """Not accepted for handling: kept as a suggestion, with the committee's reason, which the
    proposer sees."""
    reason = _text(reason, "reason", 5000)
    result = _move(actor, proposal, "convert", _is_committee(actor, proposal), {"reason": reason},
                   committee_reason=reason)
    _tell_proposers(result, _("您的提案“%(title)s”转为意见建议处理") % {"title": result.title}, reason)
    return result


def merge(actor, duplicate: Proposal, into: Proposal) -> Proposal:
    """Merge a duplicate into another proposal of the same session: all its proposers and
    co-signers sign the surviving proposal."""
    if duplicate.pk == into.pk or duplicate.session_id != into.session_id:
        raise DomainError("merge.target", _("只能并入同一次会议的另一件提案。"), field="into")
    if into.state not in (State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED):
        raise DomainError("merge.target_state", _("目标提案当前不能并案。"), field="into")
    with transaction.atomic():
        result = _move(actor, duplicate, "merge", _is_committee(actor, duplicate), {"into": into.pk},
                       merged_into=into)
        present = set(into.signers.values_list("delegate_id", flat=True))
        for signer in duplicate.signers.all():
            if signer.delegate_id not in present:
                ProposalSigner.objects.create(proposal=into, delegate=signer.delegate, role=signer.role)
        trail.record(actor, "proposal.merged_in", into, {"from": duplicate.pk})
    return result


def assign(actor, proposal: Proposal, lead: Department, co_departments: list[Department],
           due_on: date | None = None) -> Proposal:
    enterprise = _enterprise(proposal)
    if lead.enterprise_id != enterprise.pk or any(d.enterprise_id != enterprise.pk for d in co_departments):
        raise DomainError("assign.department", _("承办部门应为本企业的部门。"), field="lead_department")
    if lead in co_departments:
        raise DomainError("assign.lead_twice", _("主办部门不必同时列为协办部门。"), field="co_departments")
    today = _today()
    if due_on is None:
        days = int(rulebook.lookup("proposal.answer_days", proposal.region_id, today).value)
        due_on = rules.due_date(today, days)
    if due_on < today:
        raise DomainError("assign.due", _("答复期限不能早于今天。"), field="due_on")
    with transaction.atomic():
        result = _move(actor, proposal, "assign", _is_committee(actor, proposal),
                       {"lead": lead.pk, "co": sorted(d.pk for d in co_departments), "due_on": due_on.isoformat()},
                       lead_department=lead, assigned_on=today, due_on=due_on, answer="", answered_on=None)
        result.co_departments.set(co_departments)
        members = User.objects.filter(departments__in=[lead, *co_departments]).distinct()
        notify(members, _("新交办提案：%(title)s") % {"title": result.title},
               _("答复期限：%(due)s") % {"due": due_on.isoformat()}, f"/proposals/{result.pk}/")
    return result


def reopen(actor, proposal: Proposal, reason: str) -> Proposal:
    reason = _text(reason, "reason", 5000)
    return _move(actor, proposal, "reopen", _is_committee(actor, proposal), {"reason": reason},
                 closed_on=None, rating="")


def archive(actor, proposal: Proposal) -> Proposal:
    return _move(actor, proposal, "archive", _is_committee(actor, proposal), closed_on=_today())


# --- Departments ---------------------------------------------------------------------------------

def answer(actor, proposal: Proposal, text: str, planned_measures: str) -> Proposal:
    text = _text(text, "answer", 10000)
    planned = _text(planned_measures, "planned_measures", 10000)
    result = _move(actor, proposal, "answer", _is_department(actor, proposal),
                   {"answer_sha256": hashlib.sha256(text.encode()).hexdigest()},
                   answer=text, planned_measures=planned, answered_on=_today())
    _tell_proposers(result, _("您的提案“%(title)s”已答复") % {"title": result.title}, text[:200])
    return result


def report_progress(actor, proposal: Proposal, percent: int, note: str, on: date | None = None,
                    files: list | None = None) -> ProgressUpdate:
    """A dated progress entry with evidence; 100% marks the proposal carried out."""
    if not 0 <= percent <= 100:
        raise DomainError("progress.percent", _("进度应在0到100之间。"), field="percent")
    if percent < proposal.progress:
        raise DomainError("progress.backwards", _("进度不能低于上次填报的%(p)d%%。") % {"p": proposal.progress},
                          field="percent")
    note = _text(note, "note", 5000)
    on = on or _today()
    verb = "complete" if percent == 100 else "report_progress"
    with transaction.atomic():
        result = _move(actor, proposal, verb, _is_department(actor, proposal, lead_only=False),
                       {"percent": percent, "on": on.isoformat()}, progress=percent)
        update = ProgressUpdate.objects.create(proposal=result, on=on, percent=percent, note=note, by=actor)
        for upload in files or []:
            _store_file(actor, result, upload, ProposalFile.Kind.EVIDENCE, update)
    return update


# --- Proposer's rating --------------------------------------------------------------------------

def rate(actor, proposal: Proposal, rating: str) -> Proposal:
    if not _is_proposer(actor, proposal):
        raise PermissionDenied("rate")
    try:
        target, used = rules.after_rating(rating, proposal.second_answer_used)
    except rules.TransitionError:
        raise DomainError("proposal.rating", _("请选择满意、基本满意或不满意。"), field="rating") from None
    if proposal.state != State.CARRIED_OUT:
        raise DomainError("proposal.illegal_transition", _("提案落实后才能评价。"), field="rating")
    changes = {"rating": rating, "second_answer_used": used}
    if target == State.CLOSED:
        changes["closed_on"] = _today()
    else:
        changes.update(progress=0, answered_on=None, due_on=rules.due_date(_today(), int(
            rulebook.lookup("proposal.answer_days", proposal.region_id, _today()).value)))
    return _move(actor, proposal, "rate", True, {"rating": rating, "second_answer": target == State.ASSIGNED},
                 target=target, **changes)


def _tell_proposers(proposal: Proposal, title: str, body: str) -> None:
    people = proposal.signers.filter(role=ProposalSigner.Role.PROPOSER).values_list("delegate__person_id", flat=True)
    notify(users_of_people(people), title, body, f"/proposals/{proposal.pk}/")


# --- Files ---------------------------------------------------------------------------------------

def _store_file(actor, proposal: Proposal, upload, kind: str, update: ProgressUpdate | None = None) -> ProposalFile:
    checked = check_document(upload)
    row = ProposalFile.objects.create(proposal=proposal, update=update, kind=kind, title=upload.name[:128],
                                      file=upload, content_type=checked.content_type, size=checked.size,
                                      sha256=checked.sha256, uploaded_by=actor)
    trail.record(actor, "proposal.file", proposal, {"kind": kind, "sha256": checked.sha256, "size": checked.size})
    return row


def attach(actor, proposal: Proposal, upload) -> ProposalFile:
    if not _is_proposer(actor, proposal) or proposal.state != State.DRAFT:
        raise PermissionDenied("attach")
    with transaction.atomic():
        return _store_file(actor, proposal, upload, ProposalFile.Kind.ATTACHMENT)


# --- Overdue reminders ---------------------------------------------------------------------------

def remind_overdue(today: date | None = None) -> int:
    """Notify the union (those who run the congress) and the departments of proposals past
    their answer date; each proposal once per due date. Run daily (`zhigong remind`)."""
    today = today or _today()
    late = Proposal.objects.filter(state=State.ASSIGNED, due_on__lt=today).select_related(
        "congress__enterprise", "lead_department")
    sent = 0
    for proposal in late:
        key = f"{proposal.pk}:{proposal.due_on.isoformat()}"
        with transaction.atomic():
            if Proposal.objects.filter(pk=proposal.pk, overdue_notified=key).exists():
                continue
            chairs = User.objects.filter(grants__organization=proposal.congress.enterprise,
                                         grants__role__in=["union_chair", "enterprise_admin"]).distinct()
            members = User.objects.filter(departments=proposal.lead_department)
            notify(list(chairs) + list(members), _("提案逾期未答复：%(title)s") % {"title": proposal.title},
                   _("答复期限为%(due)s，已逾期。") % {"due": proposal.due_on.isoformat()}, f"/proposals/{proposal.pk}/")
            Proposal.objects.filter(pk=proposal.pk).update(overdue_notified=key)
            trail.record(None, "proposal.overdue_notice", proposal, {"due_on": proposal.due_on.isoformat()})
            sent += 1
    return sent


# --- Improvement suggestions ---------------------------------------------------------------------

def submit_suggestion(actor, enterprise: Organization, team: str, title: str, content: str, topic: str) -> Suggestion:
    person = getattr(actor, "person", None)
    if person is None or not person.employments.filter(enterprise=enterprise, end_date__isnull=True).exists():
        raise PermissionDenied("submit_suggestion")
    if topic not in Suggestion.Topic.values:
        raise DomainError("suggestion.topic", _("请选择建议类别。"), field="topic")
    with transaction.atomic():
        row = Suggestion.objects.create(
            enterprise=enterprise, submitter=person, team=_text(team, "team", 64),
            title=_text(title, "title", 200), content=_text(content, "content", 10000), topic=topic,
            submitted_on=_today(), region_id=enterprise.region_id)
        trail.record(actor, "suggestion.submit", row, {"title": row.title, "topic": topic})
    return row


def decide_suggestion(actor, suggestion: Suggestion, adopt: bool, reason: str) -> Suggestion:
    verb = "adopt" if adopt else "reject"
    reason = _text(reason, "reason", 5000, required=not adopt)
    return _move_suggestion(actor, suggestion, verb, review_reason=reason, decided_on=_today())


def implement_suggestion(actor, suggestion: Suggestion, benefit_fen: int) -> Suggestion:
    if benefit_fen < 0:
        raise DomainError("suggestion.benefit", _("经济效益不能为负数。"), field="benefit")
    return _move_suggestion(actor, suggestion, "implement", benefit_fen=benefit_fen, implemented_on=_today())


def reward_suggestion(actor, suggestion: Suggestion, reward_fen: int) -> Suggestion:
    if reward_fen <= 0:
        raise DomainError("suggestion.reward", _("奖励金额应大于0。"), field="reward")
    return _move_suggestion(actor, suggestion, "reward", reward_fen=reward_fen)


def _move_suggestion(actor, suggestion: Suggestion, verb: str, **changes) -> Suggestion:
    if not policy.may_organization(actor, "change", suggestion.enterprise):
        raise PermissionDenied(verb)
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        try:
            target = rules.suggestion_next(locked.state, verb)
        except rules.TransitionError:
            raise DomainError("suggestion.illegal_transition", _("该建议当前状态为“%(state)s”，不能进行此操作。")
                              % {"state": Suggestion.State(locked.state).label}, field="state") from None
        before = locked.state
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.state = target
        locked.save()
        trail.record(actor, f"suggestion.{verb}", locked, {"from": before, "to": target,
                                                            **{k: v for k, v in changes.items() if k.endswith("_fen")}})
    return locked


# --- The anonymous suggestion box ----------------------------------------------------------------

BOX_MESSAGES = {
    "box.empty": gettext_lazy("请填写意见内容。"),
    "box.too_long": gettext_lazy("意见内容不能超过%(n)d个字。"),
    "box.too_many_photos": gettext_lazy("最多上传%(n)d张照片。"),
    "box.photo_type": gettext_lazy("照片应为JPEG或PNG图片。"),
    "box.photo_too_large": gettext_lazy("每张照片不能超过%(mb)dMB。"),
    "box.rate_limited": gettext_lazy("提交过于频繁，请稍后再试。"),
    "box.unknown_code": gettext_lazy("查询码不存在，请核对后重新输入。"),
}


def box_limits(box: BoxSettings) -> rules.BoxLimits:
    raw = rulebook.lookup("box.limits", box.enterprise.region_id, _today()).value
    return rules.BoxLimits(answer_days=box.answer_days, **raw)


def open_box(actor, enterprise: Organization, answer_days: int | None = None) -> BoxSettings:
    """Set up (or re-configure) an enterprise's suggestion box."""
    if not policy.may_organization(actor, "change", enterprise) or enterprise.kind != Organization.Kind.ENTERPRISE:
        raise PermissionDenied("open_box")
    default_days = int(rulebook.lookup("box.answer_days", enterprise.region_id, _today()).value)
    days = answer_days or default_days
    if not 1 <= days <= 90:
        raise DomainError("box.answer_days", _("答复时限应在1到90天之间。"), field="answer_days")
    with transaction.atomic():
        box, created = BoxSettings.objects.get_or_create(
            enterprise=enterprise, defaults={"slug": secrets.token_urlsafe(9)[:12], "answer_days": days})
        if not created:
            box.answer_days = days
            box.save(update_fields=["answer_days"])
        trail.record(actor, "box.configure", box, {"answer_days": days})
    return box


def _rate_key(client_address: str) -> str:
    """A keyed hash of the address with the hour: enough to count a burst, nothing to keep."""
    hour = timezone.now().strftime("%Y%m%d%H")
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{hour}|{client_address}".encode(), hashlib.sha256)
    return "box-rate:" + digest.hexdigest()[:32]


def _check_rate(box: BoxSettings, client_address: str, limits: rules.BoxLimits) -> None:
    key = _rate_key(client_address)
    cache.add(key, 0, timeout=limits.window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=limits.window_seconds)
        count = 1
    if count > limits.max_per_window:
        raise DomainError("box.rate_limited", BOX_MESSAGES["box.rate_limited"], field="text")


def _clean_photo(upload, limits: rules.BoxLimits) -> bytes:
    """Re-encode the picture so that no EXIF (camera, GPS position, time) survives."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > limits.max_photo_bytes:
        raise DomainError("box.photo_too_large", BOX_MESSAGES["box.photo_too_large"]
                          % {"mb": limits.max_photo_bytes // (1024 * 1024)}, field="photos")
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError):
        raise DomainError("box.photo_type", BOX_MESSAGES["box.photo_type"], field="photos") from None
    if image.format not in ("JPEG", "PNG"):
        raise DomainError("box.photo_type", BOX_MESSAGES["box.photo_type"], field="photos")
    clean = Image.new(image.mode, image.size)
    clean.putdata(list(image.getdata())) if image.mode == "P" else clean.paste(image)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    clean.save(out, format=image.format)
    return out.getvalue()


def follow_up_digest(code: str) -> str:
    clean = rules.normalise_follow_up_code(code)
    return hmac.new(settings.SECRET_KEY.encode(), b"box-code|" + clean.encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(rules.CROCKFORD) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def drop_message(box: BoxSettings, text: str, category: str, consent_public: bool, photos: list,
                 client_address: str) -> tuple[BoxMessage, str]:
    """Anyone drops a message. Returns the message and its follow-up code, shown once. Stores
    no identity; `client_address` only feeds a short-lived keyed counter (rate limit)."""
    limits = box_limits(box)
    error = rules.box_message_error(text, len(photos), limits)
    if error:
        raise DomainError(error, BOX_MESSAGES[error] % {"n": limits.max_chars if error == "box.too_long"
                                                             else limits.max_photos}, field="text" if error != "box.too_many_photos" else "photos")
    if category not in Category.values:
        category = Category.OTHER
    cleaned = [_clean_photo(p, limits) for p in photos]
    _check_rate(box, client_address, limits)
    code = _new_code()
    today = _today()
    with transaction.atomic():
        message = BoxMessage.objects.create(
            box=box, received_on=today, category=category, text=text.strip(), consent_public=consent_public,
            follow_up_hash=follow_up_digest(code), due_on=rules.box_due(today, limits))
        for data in cleaned:
            BoxPhoto.objects.create(message=message, file=ContentFile(data, name=f"{secrets.token_hex(8)}.img"),
                                    size=len(data))
    return message, code


def read_thread(code: str) -> BoxMessage:
    if not rules.follow_up_code_ok(code):
        raise DomainError("box.unknown_code", BOX_MESSAGES["box.unknown_code"], field="code")
    message = BoxMessage.objects.filter(follow_up_hash=follow_up_digest(code)).first()
    if message is None:
        raise DomainError("box.unknown_code", BOX_MESSAGES["box.unknown_code"], field="code")
    return message


def sender_reply(code: str, text: str) -> BoxReply:
    message = read_thread(code)
    limits = box_limits(message.box)
    error = rules.box_message_error(text, 0, limits)
    if error:
        raise DomainError(error, BOX_MESSAGES[error] % {"n": limits.max_chars}, field="text")
    with transaction.atomic():
        reply = BoxReply.objects.create(message=message, from_sender=True, text=text.strip(), on=_today(),
                                        number=message.replies.count() + 1)
        BoxMessage.objects.filter(pk=message.pk).update(state=BoxMessage.State.OPEN, due_on=rules.box_due(
            _today(), limits))
    return reply


def answer_message(actor, message: BoxMessage, text: str, public: bool = False) -> BoxMessage:
    if not policy.may_organization(actor, "change", message.box.enterprise):
        raise PermissionDenied("answer_message")
    text = _text(text, "answer", 10000)
    box_digest(message.box, message.received_on)
    with transaction.atomic():
        BoxReply.objects.create(message=message, from_sender=False, text=text, on=_today(),
                                number=message.replies.count() + 1)
        message.answer, message.answered_on, message.state = text, _today(), BoxMessage.State.ANSWERED
        message.public = public
        message.save(update_fields=["answer", "answered_on", "state", "public"])
        trail.record(actor, "box.answer", ("participation.boxmessage", message.pk),
                     {"on_time": message.answered_on <= message.due_on, "public": public})
    return message


def set_public(actor, message: BoxMessage, public: bool) -> BoxMessage:
    if not policy.may_organization(actor, "change", message.box.enterprise):
        raise PermissionDenied("set_public")
    if public and message.state != BoxMessage.State.ANSWERED:
        raise DomainError("box.not_answered", _("答复后才能公开。"), field="public")
    with transaction.atomic():
        BoxMessage.objects.filter(pk=message.pk).update(public=public)
        trail.record(actor, "box.public", ("participation.boxmessage", message.pk), {"public": public})
    message.public = public
    return message


def box_digest(box: BoxSettings, day: date) -> BoxDigest | None:
    """One trail event for what a box received on a finished day: count and a digest of the
    messages. Recorded once, after the day is over, so its place in the trail tells nothing
    about when in the day a message came."""
    if day >= _today() or BoxDigest.objects.filter(box=box, day=day).exists():
        return None
    rows = sorted(BoxMessage.objects.filter(box=box, received_on=day).values_list("id", "text"))
    digest = hashlib.sha256("\n".join(f"{i}|{t}" for i, t in rows).encode()).hexdigest()
    with transaction.atomic():
        event = trail.record(None, "box.received", box, {"day": day.isoformat(), "count": len(rows),
                                                         "sha256": digest}, day_only=True)
        try:
            with transaction.atomic():
                return BoxDigest.objects.create(box=box, day=day, count=len(rows), sha256=digest,
                                                event_seq=event.seq)
        except IntegrityError:
            raise DomainError("box.digest_exists", _("当天摘要已记录。"), field="day") from None


def digest_finished_days(today: date | None = None) -> int:
    """Record the digest of every finished day that has messages and no digest yet."""
    today = today or _today()
    done = 0
    days = BoxMessage.objects.filter(received_on__lt=today).values_list("box_id", "received_on").distinct()
    for box_id, day in days:
        if not BoxDigest.objects.filter(box_id=box_id, day=day).exists():
            box_digest(BoxSettings.objects.get(pk=box_id), day)
            done += 1
    return done

