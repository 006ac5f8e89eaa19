"""Every change to the congress: policy check → rules → one transaction → trail event.

Who may do what: the congress is run by those who may change its enterprise (enterprise admin,
union chair, cadres above); delegates act for themselves (check in, vote, request an interim
session). Ballots on secret items are never trailed one by one: the trail records each
opening, closing and tally, with a digest of the bulletin."""

import hashlib
import random
import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.files import check_document
from zhigong.core.models import Organization, Person
from zhigong.core.notifications import notify, users_of_people
from zhigong.democracy import ballots as ballots_module
from zhigong.democracy import locks, rules
from zhigong.democracy.models import (
    AgendaItem,
    Attendee,
    Candidate,
    CheckIn,
    Committee,
    Congress,
    Constituency,
    Delegate,
    Document,
    Governance,
    InterimRequest,
    Resolution,
    SecretBallot,
    Session,
    Term,
    VoterRoll,
    VotingRound,
    WorkerSeat,
)
from zhigong.democracy.rulebook import CongressRules
from zhigong.democracy.rulebook import load as load_rules
from zhigong.disclosure.congress import check_disclosed_before_vote, disclose_resolution
from zhigong.trail.canonical import canonical_json

Item = AgendaItem


def _manage(actor, enterprise: Organization) -> None:
    if not policy.may_organization(actor, "change", enterprise):
        raise PermissionDenied("manage_congress")


def _rules_for(congress: Congress, day: date | None = None) -> CongressRules:
    return load_rules(congress.region_id, day or timezone.localdate())


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", _("此项必填。"), field=field)
    if len(value) > limit:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": limit}, field=field)
    return value


# --- Bodies, terms, constituencies, delegates --------------------------------------------------

def create_congress(actor, enterprise: Organization, name: str = "") -> Congress:
    _manage(actor, enterprise)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise DomainError("congress.not_enterprise", _("只有企业才能设立职代会。"), field="enterprise")
    if Congress.objects.filter(enterprise=enterprise).exists():
        raise DomainError("congress.exists", _("该企业已设立职代会。"), field="enterprise")
    r = _rules_for_region(enterprise.region_id)
    form = rules.body_form(enterprise.employee_count, r.form_threshold)
    default = _("%(name)s职工代表大会") if form == "congress" else _("%(name)s职工大会")
    with transaction.atomic():
        congress = Congress.objects.create(
            enterprise=enterprise, form=form, region_id=enterprise.region_id,
            name=_text(name, "name", 128, required=False) or default % {"name": enterprise.name},
        )
        trail.record(actor, "congress.create", congress, {"enterprise": enterprise.pk, "form": form,
                                                          "workers": enterprise.employee_count})
    return congress


def _rules_for_region(region_code: str) -> CongressRules:
    return load_rules(region_code, timezone.localdate())


def start_term(actor, congress: Congress, number: int, start_date: date, end_date: date,
               workers: int, women_workers: int) -> Term:
    _manage(actor, congress.enterprise)
    years = _rules_for(congress, start_date).term_years
    length = (end_date - start_date).days / 365.25
    if not years["min"] - 0.01 <= length <= years["max"] + 0.01:
        raise DomainError("term.length", _("每届任期应为%(min)s至%(max)s年。") % years, field="end_date")
    if women_workers > workers or workers <= 0:
        raise DomainError("term.workers", _("职工人数应大于0，女职工人数不能超过职工人数。"), field="women_workers")
    if Term.objects.filter(congress=congress, number=number).exists():
        raise DomainError("term.exists", _("该届次已存在。"), field="number")
    with transaction.atomic():
        term = Term.objects.create(congress=congress, number=number, start_date=start_date,
                                   end_date=end_date, workers=workers, women_workers=women_workers)
        trail.record(actor, "congress.term.start", term, {"number": number, "start": start_date.isoformat(),
                                                          "end": end_date.isoformat(), "workers": workers})
    return term


def add_constituency(actor, term: Term, name: str, kind: str, workers: int) -> Constituency:
    _manage(actor, term.congress.enterprise)
    if kind not in Constituency.Kind.values:
        raise DomainError("constituency.kind", _("选区类别不正确。"), field="kind")
    if workers <= 0:
        raise DomainError("constituency.workers", _("选区职工人数应大于0。"), field="workers")
    name = _text(name, "name", 64)
    if term.constituencies.filter(name=name).exists():
        raise DomainError("constituency.exists", _("该选区已存在。"), field="name")
    with transaction.atomic():
        place = Constituency.objects.create(term=term, name=name, kind=kind, workers=workers)
        trail.record(actor, "congress.constituency.add", place, {"name": name, "workers": workers})
    return place


def elect_delegate(actor, constituency: Constituency, person: Person, elected_on: date,
                   votes_for: int, voters: int, *, replaces: Delegate | None = None,
                   **attributes: bool) -> Delegate:
    """Record a delegate elected directly by the workers of a constituency (2012 规定 art. 24):
    more than half of the constituency's workers voted for them."""
    term = constituency.term
    _manage(actor, term.congress.enterprise)
    r = _rules_for(term.congress, elected_on)
    if not 0 < voters <= constituency.workers or not 0 <= votes_for <= voters:
        raise DomainError("delegate.votes", _("票数不正确：参加选举人数不能超过选区职工人数，得票不能超过参选人数。"),
                          field="votes_for")
    if not rules.recall_passes(votes_for, constituency.workers, r.majority):
        raise DomainError(
            "delegate.not_elected",
            _("得票%(votes)d，未超过选区全体职工（%(workers)d人）的半数，不能当选。")
            % {"votes": votes_for, "workers": constituency.workers}, field="votes_for")
    if not person.employments.filter(enterprise=term.congress.enterprise, end_date__isnull=True).exists():
        raise DomainError("delegate.not_employee", _("代表应为本企业在职职工。"), field="person")
    flags = {k: bool(attributes.get(k)) for k in ("frontline", "manager", "young", "dispatched", "disabled")}
    with transaction.atomic():
        try:
            with transaction.atomic():
                delegate = Delegate.objects.create(
                    term=term, person=person, constituency=constituency, elected_on=elected_on,
                    votes_for=votes_for, voters=voters, woman=person.sex == "F", replaces=replaces, **flags,
                )
        except IntegrityError:
            raise DomainError("delegate.exists", _("此人已是本届职工代表。"), field="person") from None
        trail.record(actor, "congress.delegate.elect", delegate, {
            "person": person.pk, "constituency": constituency.pk, "votes_for": votes_for,
            "voters": voters, "replaces": getattr(replaces, "pk", None), **flags,
        })
    return delegate


def recall_delegate(actor, delegate: Delegate, votes_for_recall: int, on: date) -> Delegate:
    """Recall by a majority of ALL workers of the constituency (Shaanxi regulation)."""
    _manage(actor, delegate.term.congress.enterprise)
    if delegate.status != Delegate.Status.ACTIVE:
        raise DomainError("delegate.not_active", _("该代表已不在任。"), field="delegate")
    r = _rules_for(delegate.term.congress, on)
    workers = delegate.constituency.workers
    if not rules.recall_passes(votes_for_recall, workers, r.recall_majority):
        needed = r.recall_majority.needed(workers)
        raise DomainError("delegate.recall_failed",
                          _("同意罢免%(votes)d票，未达到选区全体职工过半数（%(needed)d票），罢免不成立。")
                          % {"votes": votes_for_recall, "needed": needed}, field="votes_for_recall")
    with transaction.atomic():
        delegate.status, delegate.ended_on = Delegate.Status.RECALLED, on
        delegate.save(update_fields=["status", "ended_on"])
        trail.record(actor, "congress.delegate.recall", delegate, {"votes_for_recall": votes_for_recall,
                                                                   "constituency_workers": workers})
    return delegate


def by_election(actor, recalled: Delegate, person: Person, elected_on: date, votes_for: int,
                voters: int, **attributes: bool) -> Delegate:
    if recalled.status == Delegate.Status.ACTIVE:
        raise DomainError("delegate.still_active", _("原代表仍在任，不能补选。"), field="delegate")
    if Delegate.objects.filter(replaces=recalled).exists():
        raise DomainError("delegate.replaced", _("该名额已补选。"), field="delegate")
    return elect_delegate(actor, recalled.constituency, person, elected_on, votes_for, voters,
                          replaces=recalled, **attributes)


def create_committee(actor, term: Term, kind: str, name: str, members: list[Delegate]) -> Committee:
    _manage(actor, term.congress.enterprise)
    if kind not in Committee.Kind.values:
        raise DomainError("committee.kind", _("委员会类别不正确。"), field="kind")
    if any(m.term_id != term.pk or m.status != Delegate.Status.ACTIVE for m in members):
        raise DomainError("committee.members", _("委员应为本届在任代表。"), field="members")
    with transaction.atomic():
        committee = Committee.objects.create(term=term, kind=kind, name=_text(name, "name", 64))
        committee.members.set(members)
        trail.record(actor, "congress.committee.create", committee,
                     {"kind": kind, "members": sorted(m.pk for m in members)})
    return committee


def set_governance(actor, enterprise: Organization, company_form: str, has_supervisory_board: bool,
                   audit_committee_replaces_board: bool, supervisory_board_size: int) -> Governance:
    _manage(actor, enterprise)
    if company_form not in Governance.CompanyForm.values:
        raise DomainError("governance.form", _("公司形式不正确。"), field="company_form")
    with transaction.atomic():
        gov, _created = Governance.objects.update_or_create(enterprise=enterprise, defaults={
            "company_form": company_form, "has_supervisory_board": has_supervisory_board,
            "audit_committee_replaces_board": audit_committee_replaces_board,
            "supervisory_board_size": supervisory_board_size,
        })
        trail.record(actor, "congress.governance.set", gov, {
            "company_form": company_form, "has_supervisory_board": has_supervisory_board,
            "audit_committee_replaces_board": audit_committee_replaces_board,
            "supervisory_board_size": supervisory_board_size,
        })
    return gov


# --- Sessions ----------------------------------------------------------------------------------

def request_interim_session(actor, term: Term, by: str, reason: str) -> InterimRequest:
    """Delegates request for themselves; the union and the enterprise head through those who run
    the enterprise's congress."""
    reason = _text(reason, "reason", 2000)
    delegate = None
    if by == InterimRequest.By.DELEGATE:
        delegate = term.delegates.filter(person_id=getattr(actor, "person_id", None) or -1,
                                         status=Delegate.Status.ACTIVE).first()
        if delegate is None:
            raise PermissionDenied("request_interim_session")
    elif by in InterimRequest.By.values:
        _manage(actor, term.congress.enterprise)
    else:
        raise DomainError("interim.by", _("提议方不正确。"), field="by")
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = InterimRequest.objects.create(term=term, by=by, delegate=delegate, reason=reason)
        except IntegrityError:
            raise DomainError("interim.duplicate", _("您已提议召开临时会议，请勿重复提议。"), field="reason") from None
        trail.record(actor, "congress.interim.request", request, {"by": by})
    return request


def interim_support(term: Term) -> dict:
    """Who has asked for an interim session that has not yet been held, and whether that is
    enough to convene one."""
    r = _rules_for(term.congress)
    open_requests = term.interim_requests.filter(session__isnull=True)
    delegates = open_requests.filter(by=InterimRequest.By.DELEGATE).count()
    total = term.delegates.filter(status=Delegate.Status.ACTIVE).count()
    needed = rules.interim_requests_needed(total, r.interim_share)
    by_body = open_requests.exclude(by=InterimRequest.By.DELEGATE).exists()
    return {"delegate_requests": delegates, "needed": needed, "by_union_or_head": by_body,
            "enough": by_body or (total > 0 and delegates >= needed)}


def schedule_session(actor, term: Term, title: str, starts_at: datetime, location: str = "",
                     kind: str = Session.Kind.REGULAR) -> Session:
    _manage(actor, term.congress.enterprise)
    if kind not in Session.Kind.values:
        raise DomainError("session.kind", _("会议类别不正确。"), field="kind")
    if kind == Session.Kind.INTERIM and not interim_support(term)["enough"]:
        raise DomainError("session.interim_not_requested",
                          _("召开临时会议需企业负责人、工会或三分之一以上职工代表提议。"), field="kind")
    with transaction.atomic():
        number = (term.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        session = Session.objects.create(
            term=term, number=number, kind=kind, starts_at=starts_at, region_id=term.congress.region_id,
            location=_text(location, "location", 128, required=False),
            title=_text(title, "title", 128, required=False)
            or _("第%(term)d届职工代表大会第%(n)d次会议") % {"term": term.number, "n": number},
        )
        if kind == Session.Kind.INTERIM:
            term.interim_requests.filter(session__isnull=True).update(session=session)
        trail.record(actor, "congress.session.schedule", session, {"number": number, "kind": kind,
                                                                   "starts_at": starts_at.isoformat()})
    return session


def add_attendee(actor, session: Session, name: str, affiliation: str = "") -> Attendee:
    _manage(actor, session.term.congress.enterprise)
    with transaction.atomic():
        attendee = Attendee.objects.create(session=session, name=_text(name, "name", 64),
                                           affiliation=_text(affiliation, "affiliation", 128, required=False))
        trail.record(actor, "congress.attendee.add", attendee, {"name": attendee.name})
    return attendee


def is_secret(kind: str, matter: str, important: bool, important_matters: list) -> bool:
    """Important matters of kind approve or elect are secret (2012 规定 art. 20); appraisals
    are secret so that delegates can rate managers freely."""
    return kind == Item.Kind.APPRAISE or (
        kind in (Item.Kind.APPROVE, Item.Kind.ELECT) and (important or matter in important_matters)
    )


def add_agenda_item(actor, session: Session, title: str, kind: str, matter: str = Item.Matter.OTHER,
                    description: str = "", important: bool = False, secret: bool = False,
                    seats: int = 0, recall_seat: WorkerSeat | None = None) -> AgendaItem:
    _manage(actor, session.term.congress.enterprise)
    if session.status == Session.Status.CLOSED:
        raise DomainError("session.closed", _("会议已闭会，不能再增加议程。"), field="title")
    if kind not in Item.Kind.values or matter not in Item.Matter.values:
        raise DomainError("item.kind", _("议程类别或事项不正确。"), field="kind")
    if kind == Item.Kind.ELECT and seats < 1:
        raise DomainError("item.seats", _("选举议程应填写应选名额。"), field="seats")
    r = _rules_for(session.term.congress)
    important = important or matter in r.important_matters
    with transaction.atomic():
        order = (session.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = AgendaItem.objects.create(
            session=session, order=order, title=_text(title, "title", 200), kind=kind, matter=matter,
            description=_text(description, "description", 20000, required=False), important=important,
            secret=secret or is_secret(kind, matter, important, r.important_matters),
            seats=seats if kind == Item.Kind.ELECT else 0, recall_seat=recall_seat,
        )
        trail.record(actor, "congress.item.add", item, {"title": item.title, "kind": kind, "matter": matter,
                                                        "secret": item.secret, "seats": item.seats})
    return item


def add_candidate(actor, item: AgendaItem, person: Person, note: str = "") -> Candidate:
    _manage(actor, item.session.term.congress.enterprise)
    if item.kind not in (Item.Kind.ELECT, Item.Kind.APPRAISE) or item.status != Item.Status.PENDING or item.round:
        raise DomainError("candidate.not_allowed", _("只能在选举或评议议程开始表决前增加候选人。"), field="person")
    with transaction.atomic():
        try:
            with transaction.atomic():
                candidate = Candidate.objects.create(item=item, person=person,
                                                     note=_text(note, "note", 200, required=False))
        except IntegrityError:
            raise DomainError("candidate.exists", _("此人已在候选人名单中。"), field="person") from None
        trail.record(actor, "congress.candidate.add", candidate, {"item": item.pk, "person": person.pk})
    return candidate


def upload_document(actor, session: Session, title: str, upload, item: AgendaItem | None = None) -> Document:
    """Checked by its first bytes, not by the name the browser sent (core.files)."""
    _manage(actor, session.term.congress.enterprise)
    checked = check_document(upload)
    with transaction.atomic():
        document = Document.objects.create(
            session=session, item=item, title=_text(title, "title", 128), file=upload,
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=actor,
        )
        trail.record(actor, "congress.document.upload", document,
                     {"title": document.title, "sha256": document.sha256, "size": document.size})
    return document


def active_delegates(term: Term):
    return term.delegates.filter(status=Delegate.Status.ACTIVE)


def composition(term: Term) -> list[rules.Check]:
    counts = active_delegates(term)
    d = rules.Delegation(
        delegates=counts.count(), managers=counts.filter(manager=True).count(),
        frontline=counts.filter(frontline=True).count(), women=counts.filter(woman=True).count(),
        workers=term.workers, women_workers=term.women_workers,
    )
    return rules.composition_checks(d, _rules_for(term.congress).limits)


def _composition_refusal(check: rules.Check) -> str:
    from zhigong.democracy.display import LABELS

    label, _rule, at_most = LABELS[check.code]
    figures = {"label": label, "figure": check.figure, "threshold": check.threshold}
    if at_most:
        return _("代表构成不符合规定：%(label)s为%(figure)s人，要求不超过%(threshold)s人，不能召开会议。") % figures
    return _("代表构成不符合规定：%(label)s为%(figure)s人，要求不少于%(threshold)s人，不能召开会议。") % figures


def convene_session(actor, session: Session) -> Session:
    """Send the notice to every delegate. Refused while a hard composition rule fails."""
    _manage(actor, session.term.congress.enterprise)
    if session.status != Session.Status.PLANNED:
        raise DomainError("session.state", _("会议已通知或已召开。"), field="status")
    if session.term.congress.form == Congress.Form.CONGRESS:
        failed = rules.blocking(composition(session.term))
        if failed:
            raise DomainError("session.composition", _composition_refusal(failed[0]), field="status",
                              checks=[c.code for c in failed])
    if not session.items.exists():
        raise DomainError("session.no_agenda", _("请先确定会议议程。"), field="status")
    with transaction.atomic():
        session.status = Session.Status.CONVENED
        session.check_in_code = f"{secrets.randbelow(10**6):06d}"
        session.save(update_fields=["status", "check_in_code"])
        person_ids = active_delegates(session.term).values_list("person_id", flat=True)
        notify(users_of_people(person_ids), _("会议通知：%(title)s") % {"title": session.title},
               _("开会时间：%(at)s，地点：%(place)s。请提前阅读会议文件。") % {
                   "at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                   "place": session.location or "-"},
               f"/congress/sessions/{session.pk}/")
        trail.record(actor, "congress.session.convene", session, {"delegates": len(person_ids)})
    return session


# --- Check-in and opening ----------------------------------------------------------------------

def _delegate_of(actor, term: Term) -> Delegate:
    delegate = active_delegates(term).filter(person_id=getattr(actor, "person_id", None) or -1).first()
    if delegate is None:
        raise PermissionDenied("delegate_only")
    return delegate


def check_in(actor, session: Session, code: str = "", delegate: Delegate | None = None) -> CheckIn:
    """A delegate checks in with the code shown in the hall; the secretariat (those who run the
    congress) checks in a named delegate."""
    if session.status not in (Session.Status.CONVENED, Session.Status.OPEN):
        raise DomainError("session.not_open_for_check_in", _("会议尚未通知或已闭会，不能签到。"), field="code")
    if delegate is None:
        delegate = _delegate_of(actor, session.term)
        if not secrets.compare_digest((code or "").strip(), session.check_in_code):
            raise DomainError("check_in.code", _("签到码不正确，请核对会场显示的签到码。"), field="code")
        by = CheckIn.By.SELF
    else:
        _manage(actor, session.term.congress.enterprise)
        if delegate.term_id != session.term_id or delegate.status != Delegate.Status.ACTIVE:
            raise DomainError("check_in.not_delegate", _("此人不是本届在任代表。"), field="delegate")
        by = CheckIn.By.SECRETARIAT
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = CheckIn.objects.create(session=session, delegate=delegate, by=by)
        except IntegrityError:
            raise DomainError("check_in.duplicate", _("已签到，无需重复签到。"), field="code") from None
        trail.record(actor, "congress.check_in", entry, {"session": session.pk, "delegate": delegate.pk, "by": by})
    return entry


def attendance(session: Session) -> dict:
    r = _rules_for(session.term.congress)
    total = session.delegates_total or active_delegates(session.term).count()
    present = session.check_ins.count()
    needed = rules.quorum_needed(total, r.quorum)
    return {"delegates": total, "present": present, "needed": needed,
            "still_needed": max(needed - present, 0), "quorum": rules.has_quorum(present, total, r.quorum)}


def open_session(actor, session: Session) -> Session:
    """Opens only with >= 2/3 of ALL delegates present (rule row congress.quorum)."""
    _manage(actor, session.term.congress.enterprise)
    if session.status != Session.Status.CONVENED:
        raise DomainError("session.state", _("会议应先发出通知，才能宣布开会。"), field="status")
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        figures = attendance(session)
        if not figures["quorum"]:
            raise DomainError("congress.quorum_not_met",
                              _("出席代表%(present)d人，未达到全体代表%(delegates)d人的三分之二（%(needed)d人），不能开会。")
                              % figures, field="status", **figures)
        session.status, session.opened_at = Session.Status.OPEN, timezone.now()
        session.delegates_total = figures["delegates"]
        session.save(update_fields=["status", "opened_at", "delegates_total"])
        trail.record(actor, "congress.session.open", session, figures)
    return session


def close_session(actor, session: Session) -> Session:
    _manage(actor, session.term.congress.enterprise)
    if session.status != Session.Status.OPEN:
        raise DomainError("session.state", _("会议未在进行中。"), field="status")
    if session.items.filter(status=Item.Status.VOTING).exists():
        raise DomainError("session.voting", _("还有议程正在表决，请先结束表决。"), field="status")
    with transaction.atomic():
        session.status, session.closed_at = Session.Status.CLOSED, timezone.now()
        session.save(update_fields=["status", "closed_at"])
        trail.record(actor, "congress.session.close", session, {})
    return session


# --- Voting --------------------------------------------------------------------------------------

BALLOT_MESSAGES = {
    "ballot.shape": _("选票格式不正确。"),
    "ballot.choice": _("请选择同意、不同意或弃权。"),
    "ballot.too_many": _("所选人数超过应选名额。"),
    "ballot.candidates": _("选票上有不在本轮候选人名单中的人。"),
    "ballot.ratings": _("评议等次不正确。"),
    "ballot.no_vote": _("该议程不进行投票表决。"),
}


def _round_candidates(voting_round: VotingRound) -> list[int]:
    return sorted(voting_round.candidates.values_list("pk", flat=True))


def _fresh(item: AgendaItem) -> AgendaItem:
    """Decisions about state are taken on the rows as they are now, not on a caller's copy."""
    return AgendaItem.objects.select_related("session__term__congress__enterprise").get(pk=item.pk)


def open_voting(actor, item: AgendaItem) -> VotingRound:
    """The chair opens voting on one item (item by item, 分项表决). A later round of an election
    takes the candidates and seats the previous round left open."""
    item = _fresh(item)
    session = item.session
    _manage(actor, session.term.congress.enterprise)
    if session.status != Session.Status.OPEN:
        raise DomainError("session.not_open", _("会议尚未宣布开会，不能开始表决。"), field="item")
    if item.kind == Item.Kind.ADVISE:
        raise DomainError("item.no_vote", _("审议建议类议程不进行投票表决。"), field="item")
    if item.status != Item.Status.PENDING:
        raise DomainError("item.state", _("该议程正在表决或已结束。"), field="item")
    if session.items.filter(status=Item.Status.VOTING).exists():
        raise DomainError("item.other_voting", _("另一项议程正在表决，请先结束。"), field="item")
    check_disclosed_before_vote(item)  # matters the congress approves are disclosed before the vote
    candidates, seats = _next_round_field(item)
    with transaction.atomic():
        figures = attendance(session)
        voting_round = VotingRound.objects.create(
            item=item, number=item.round + 1, seats=seats, delegates=session.delegates_total,
            present=figures["present"], opened_at=timezone.now(),
        )
        voting_round.candidates.set(candidates)
        item.round, item.status = voting_round.number, Item.Status.VOTING
        item.save(update_fields=["round", "status"])
        event = trail.record(actor, "congress.round.open", voting_round, {
            "item": item.pk, "round": voting_round.number, "secret": item.secret, "seats": seats,
            "candidates": sorted(c.pk for c in candidates), "delegates": voting_round.delegates,
            "present": voting_round.present,
        })
        VotingRound.objects.filter(pk=voting_round.pk).update(open_event_seq=event.seq)
    return voting_round


def _next_round_field(item: AgendaItem) -> tuple[list[Candidate], int]:
    if item.kind == Item.Kind.APPROVE:
        return [], 0
    if item.round == 0:
        candidates = list(item.candidates.all())
        if item.kind == Item.Kind.ELECT:
            allow_equal = _rules_for(item.session.term.congress).allow_equal
            if not rules.election_is_contested_enough(len(candidates), item.seats, allow_equal):
                raise DomainError("election.not_contested",
                                  _("差额选举的候选人应多于应选名额（候选人%(c)d人，名额%(s)d个）。")
                                  % {"c": len(candidates), "s": item.seats}, field="item")
        elif not candidates:
            raise DomainError("appraise.no_subjects", _("请先确定被评议人。"), field="item")
        return candidates, item.seats
    last = item.rounds.get(number=item.round).result
    ids = last["runoff"] or last["next_round"]
    seats = last["runoff_seats"] or last["next_round_seats"]
    return list(item.candidates.filter(pk__in=ids)), seats


def cast_ballot(actor, item: AgendaItem | int, content: dict, commitment: str | None = None) -> dict:
    """One ballot of a present delegate in the open round. A second attempt is refused by the
    unique (round, delegate) roll, even when both arrive at the same moment.

    For a secret item the voter's phone sends `commitment` = SHA-256 of the ballot and a salt
    only it knows (ballots.commitment_for); without one the salt is made here, returned once and
    not kept. Nothing about the ballot is written to the trail or the logs.

    The path 500 delegates take at once is lean: one statement finds the voter's delegate row,
    check-in and the open round; the content is checked against the round; then on PostgreSQL
    one statement locks the round FOR SHARE, makes sure it is still open and inserts the roll
    entry and the ballot (elsewhere, or inside a caller's transaction, the same in a short
    transaction). Whoever is not an active delegate of the item's term with an open round takes
    the slow path (_refuse_ballot), which applies the policy (404 for outsiders) and says what is
    missing."""
    item_id = item if isinstance(item, int) else item.pk
    voter = locks.voter_in_open_round(getattr(actor, "person_id", None), item_id)
    if voter is None:
        _refuse_ballot(actor, item_id, commitment)
    if not voter.present:
        raise DomainError("ballot.not_checked_in", _("请先签到再投票。"), field="content")
    if commitment is not None and not ballots_module.COMMITMENT.match(commitment):
        raise DomainError("ballot.commitment", _("回执校验值格式不正确。"), field="commitment")
    candidates = [] if voter.kind == Item.Kind.APPROVE else sorted(
        VotingRound.candidates.through.objects.filter(votinground_id=voter.round_id)
        .values_list("candidate_id", flat=True))
    try:
        clean = ballots_module.clean_content(voter.kind, content, candidates, voter.seats)
    except ballots_module.BallotError as exc:
        raise DomainError(str(exc), BALLOT_MESSAGES[str(exc)], field="content") from None
    salt = None
    if commitment is None:
        salt = ballots_module.new_salt()
        commitment = ballots_module.commitment_for(voter.round_id, clean, salt)
    try:
        stored = locks.store_ballot(voter, commitment, clean)
    except IntegrityError:
        raise DomainError("ballot.already_cast", _("您已对本议程投过票，不能重复投票。"), field="content") from None
    if not stored:
        raise DomainError("ballot.closed", _("本议程当前不在表决中。"), field="content")
    return {"receipt": rules.receipt_code(commitment), "commitment": commitment, "salt": salt,
            "round": voter.round_id}


def _refuse_ballot(actor, item_id: int, commitment: str | None):
    """Why this actor cannot vote on this item now, in the order a voter would want to hear
    it: unknown or not theirs (404), not a delegate (403), not checked in, bad commitment,
    no voting open. Always raises."""
    from zhigong.democracy.queries import access

    item = access(actor, AgendaItem, item_id)
    item = _fresh(item)
    delegate = _delegate_of(actor, item.session.term)
    if not CheckIn.objects.filter(session_id=item.session_id, delegate=delegate).exists():
        raise DomainError("ballot.not_checked_in", _("请先签到再投票。"), field="content")
    if commitment is not None and not ballots_module.COMMITMENT.match(commitment):
        raise DomainError("ballot.commitment", _("回执校验值格式不正确。"), field="commitment")
    _open_round(item)  # raises ballot.closed when no round is open
    raise DomainError("ballot.closed", _("本议程当前不在表决中。"), field="content")


def _open_round(item: AgendaItem) -> VotingRound:
    current = item.rounds.filter(closed_at__isnull=True).values_list("pk", flat=True).first()
    voting_round = locks.round_for_ballot(current) if current else None
    if voting_round is None or voting_round.closed_at is not None:
        raise DomainError("ballot.closed", _("本议程当前不在表决中。"), field="content")
    return voting_round


def close_voting(actor, item: AgendaItem) -> VotingRound:
    """The chair closes the round: tally from the ballots (the bulletin), publish, record."""
    item = _fresh(item)
    _manage(actor, item.session.term.congress.enterprise)
    if item.status != Item.Status.VOTING:
        raise DomainError("item.state", _("该议程不在表决中。"), field="item")
    congress = item.session.term.congress
    majority = _rules_for(congress).majority
    with transaction.atomic():
        voting_round = locks.round_for_closing(item.rounds.get(number=item.round).pk)
        contents, bulletin = _bulletin_of(voting_round, item.secret)
        result = ballots_module.tally(item.kind, contents, _round_candidates(voting_round),
                                      voting_round.seats, voting_round.delegates, voting_round.present,
                                      majority)
        result["bulletin_sha256"] = hashlib.sha256(canonical_json(bulletin)).hexdigest()
        if item.secret:
            _reshuffle(voting_round)
        voting_round.closed_at, voting_round.result = timezone.now(), result
        event = trail.record(actor, "congress.round.close", voting_round, {"item": item.pk, **result})
        voting_round.close_event_seq = event.seq
        voting_round.save(update_fields=["closed_at", "result", "close_event_seq"])
        _after_round(actor, item, voting_round)
    return voting_round


def _bulletin_of(voting_round: VotingRound, secret: bool) -> tuple[list[dict], list[dict]]:
    rows = voting_round.secret_ballots if secret else voting_round.open_ballots
    pairs = sorted(((rules.receipt_code(r), c) for r, c in rows.values_list("receipt", "content")),
                   key=lambda pair: (pair[0], canonical_json(pair[1])))
    return [c for _code, c in pairs], [{"receipt": code, "content": c} for code, c in pairs]


def _reshuffle(voting_round: VotingRound) -> None:
    """Rewrite the round's secret ballots and roll in one statement each, in random order and
    with new keys, so that not even the database's own row order or transaction ids pair a
    ballot with the roll entry written beside it."""
    ballots = list(voting_round.secret_ballots.values_list("receipt", "content"))
    random.SystemRandom().shuffle(ballots)
    roll = sorted(voting_round.roll.values_list("delegate_id", flat=True))
    voting_round.secret_ballots.all().delete()
    voting_round.roll.all().delete()
    SecretBallot.objects.bulk_create([SecretBallot(round=voting_round, receipt=r, content=c) for r, c in ballots])
    VoterRoll.objects.bulk_create([VoterRoll(round=voting_round, delegate_id=d) for d in roll])


def _after_round(actor, item: AgendaItem, voting_round: VotingRound) -> None:
    result = voting_round.result
    if item.kind == Item.Kind.ELECT and (result["runoff"] or result["next_round"]):
        item.status = Item.Status.PENDING  # the chair opens the runoff or further round
        item.save(update_fields=["status"])
        return
    item.status = Item.Status.CLOSED
    item.save(update_fields=["status"])
    _resolve(actor, item, voting_round)


def close_advise_item(actor, item: AgendaItem, summary: str) -> Resolution:
    """An advise item (审议建议) is deliberated, not voted: the secretariat records the
    delegates' opinions and the item closes."""
    item = _fresh(item)
    _manage(actor, item.session.term.congress.enterprise)
    if item.kind != Item.Kind.ADVISE or item.status != Item.Status.PENDING:
        raise DomainError("item.state", _("只有待审议的审议建议类议程可以这样结束。"), field="summary")
    if item.session.status != Session.Status.OPEN:
        raise DomainError("session.not_open", _("会议尚未宣布开会。"), field="summary")
    summary = _text(summary, "summary", 20000)
    with transaction.atomic():
        item.status = Item.Status.CLOSED
        item.save(update_fields=["status"])
        figures = {"kind": "advise", **attendance(item.session)}
        event = trail.record(actor, "congress.item.advise", item, {"summary_sha256": hashlib.sha256(
            summary.encode()).hexdigest(), **figures})
        return _store_resolution(item, summary, figures, True, event.seq)


def _elected_so_far(item: AgendaItem) -> list[int]:
    elected: list[int] = []
    for result in item.rounds.exclude(result__isnull=True).order_by("number").values_list("result", flat=True):
        elected += result.get("elected", [])
    return elected


def _resolve(actor, item: AgendaItem, voting_round: VotingRound) -> Resolution:
    with translation.override("zh-hans"):  # the resolution's text is the congress's document, in Chinese
        return _resolve_in_chinese(actor, item, voting_round)


def _resolve_in_chinese(actor, item: AgendaItem, voting_round: VotingRound) -> Resolution:
    result = voting_round.result
    names = dict(item.candidates.values_list("pk", "person__name"))
    if item.kind == Item.Kind.APPROVE:
        passed = result["passed"]
        verdict = _("通过") if passed else _("未通过")
        text = _("%(title)s：全体代表%(delegates)d人，出席%(present)d人；同意%(yes)d票，不同意%(no)d票，弃权%(abstain)d票；"
                 "通过所需%(threshold)d票。表决结果：%(verdict)s。") % {**result, "title": item.title, "verdict": verdict}
        if passed and item.recall_seat_id:
            WorkerSeat.objects.filter(pk=item.recall_seat_id, status=WorkerSeat.Status.SERVING).update(
                status=WorkerSeat.Status.RECALLED, recalled_by=item)
    elif item.kind == Item.Kind.ELECT:
        elected = _elected_so_far(item)
        passed = bool(elected)
        text = _("%(title)s：应选%(seats)d名，当选：%(names)s。") % {
            "title": item.title, "seats": item.seats, "names": "、".join(names[c] for c in elected) or _("无")}
        _fill_seats(item, elected)
    else:
        passed = True
        text = _("%(title)s：收回评议票%(cast)d张，结果见附表。") % {"title": item.title, "cast": result["cast"]}
    return _store_resolution(item, text, {**result, "elected_names": [names[c] for c in _elected_so_far(item)]}
                             if item.kind == Item.Kind.ELECT else result, passed, voting_round.close_event_seq)


def _store_resolution(item: AgendaItem, text: str, figures: dict, passed: bool, event_seq: int) -> Resolution:
    session = item.session
    # A resolution is a document of the congress: its number is in Chinese whatever language
    # the chair's page is in (it also has to fit the column).
    with translation.override("zh-hans"):
        number = _("第%(term)d届第%(session)d次会议决议第%(order)d号") % {
            "term": session.term.number, "session": session.number, "order": item.order}
    resolution = Resolution.objects.create(item=item, number=number, text=text, figures=figures, passed=passed,
                                           event_seq=event_seq, region_id=session.region_id)
    disclose_resolution(resolution)  # resolutions are disclosed to the workers when made (厂务公开)
    return resolution


def _fill_seats(item: AgendaItem, elected: list[int]) -> None:
    kind = {Item.Matter.WORKER_DIRECTOR: WorkerSeat.Kind.DIRECTOR,
            Item.Matter.WORKER_SUPERVISOR: WorkerSeat.Kind.SUPERVISOR}.get(item.matter)
    if kind is None:
        return
    term = item.session.term
    enterprise = term.congress.enterprise
    for candidate in item.candidates.filter(pk__in=elected).select_related("person"):
        WorkerSeat.objects.create(enterprise=enterprise, kind=kind, person=candidate.person,
                                  term_start=timezone.localdate(), term_end=term.end_date, elected_by=item)
