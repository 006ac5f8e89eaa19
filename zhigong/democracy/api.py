"""Congress API: everything a congress app or a hall display needs. Each endpoint fetches its
object through the policy (404 for outsiders) and calls one action or query."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhigong.core import policy
from zhigong.core.errors import DomainError, NotFound
from zhigong.democracy import actions, queries
from zhigong.democracy.models import (
    AgendaItem,
    Congress,
    Constituency,
    Delegate,
    Resolution,
    Session,
    Term,
    WorkerSeat,
)
from zhigong.democracy.schemas import (
    AdviseIn,
    AttendeeIn,
    AttendeeOut,
    BallotIn,
    Bulletin,
    CandidateIn,
    CandidateOut,
    CheckInIn,
    CheckInOut,
    CheckOut,
    CommitteeIn,
    CommitteeOut,
    CongressIn,
    CongressOut,
    ConstituencyIn,
    ConstituencyOut,
    DelegateIn,
    DelegateOut,
    DocumentOut,
    GovernanceIn,
    InterimIn,
    InterimSupport,
    ItemDetail,
    ItemIn,
    ItemOut,
    LiveOut,
    RecallIn,
    Receipt,
    ResolutionDetail,
    ResolutionOut,
    SeatOut,
    SessionDetail,
    SessionIn,
    SessionOut,
    TermDetail,
    TermIn,
    TermOut,
)

router = Router(tags=["congress"])


def _get(request, model, pk, action="view"):
    return queries.access(request.user, model, pk, action)


def _constituency(request, pk, action="view"):
    return policy.access_scoped(request.user, Constituency.objects.all(), pk,
                                "term__congress__enterprise", action, "constituency")


# --- Congress, terms, delegates ------------------------------------------------------------------

@router.get("/congresses", response=list[CongressOut], summary="职代会列表")
def list_congresses(request: HttpRequest):
    return list(queries.visible(request.user, Congress).order_by("id")[:500])


@router.post("/congresses", response={201: CongressOut}, summary="设立职代会（或职工大会）")
def create_congress(request, payload: CongressIn):
    enterprise = policy.access_organization(request.user, payload.enterprise_id)
    return Status(201, actions.create_congress(request.user, enterprise, payload.name))


@router.get("/congresses/{congress_id}", response=CongressOut, summary="职代会")
def get_congress(request, congress_id: int):
    return _get(request, Congress, congress_id)


@router.get("/congresses/{congress_id}/terms", response=list[TermOut], summary="各届")
def list_terms(request, congress_id: int):
    return list(_get(request, Congress, congress_id).terms.all())


@router.post("/congresses/{congress_id}/terms", response={201: TermOut}, summary="开始新一届")
def start_term(request, congress_id: int, payload: TermIn):
    congress = _get(request, Congress, congress_id)
    return Status(201, actions.start_term(request.user, congress, **payload.dict()))


@router.get("/terms/{term_id}", response=TermDetail, summary="届：代表构成检查")
def get_term(request, term_id: int):
    term = _get(request, Term, term_id)
    return {**TermOut.from_orm(term).dict(), "delegates": actions.active_delegates(term).count(),
            "composition": [c.__dict__ for c in actions.composition(term)]}


@router.get("/terms/{term_id}/constituencies", response=list[ConstituencyOut], summary="选区")
def list_constituencies(request, term_id: int):
    return list(_get(request, Term, term_id).constituencies.all())


@router.post("/terms/{term_id}/constituencies", response={201: ConstituencyOut}, summary="增加选区")
def add_constituency(request, term_id: int, payload: ConstituencyIn):
    term = _get(request, Term, term_id)
    return Status(201, actions.add_constituency(request.user, term, payload.name, payload.kind, payload.workers))


@router.get("/terms/{term_id}/delegates", response=list[DelegateOut], summary="职工代表")
def list_delegates(request, term_id: int):
    return list(_get(request, Term, term_id).delegates.select_related("person").order_by("id"))


@router.post("/constituencies/{constituency_id}/delegates", response={201: DelegateOut}, summary="登记选区选举产生的代表")
def elect_delegate(request, constituency_id: int, payload: DelegateIn):
    place = _constituency(request, constituency_id)
    person = policy.access_person(request.user, payload.person_id)
    flags = payload.dict(include={"frontline", "manager", "young", "dispatched", "disabled"})
    return Status(201, actions.elect_delegate(request.user, place, person, payload.elected_on,
                                              payload.votes_for, payload.voters, **flags))


@router.post("/delegates/{delegate_id}/recall", response=DelegateOut, summary="罢免代表（选区全体职工过半数）")
def recall_delegate(request, delegate_id: int, payload: RecallIn):
    delegate = _get(request, Delegate, delegate_id)
    return actions.recall_delegate(request.user, delegate, payload.votes_for_recall, payload.on)


@router.post("/delegates/{delegate_id}/by-election", response={201: DelegateOut}, summary="补选代表")
def by_election(request, delegate_id: int, payload: DelegateIn):
    recalled = _get(request, Delegate, delegate_id)
    person = policy.access_person(request.user, payload.person_id)
    flags = payload.dict(include={"frontline", "manager", "young", "dispatched", "disabled"})
    return Status(201, actions.by_election(request.user, recalled, person, payload.elected_on,
                                           payload.votes_for, payload.voters, **flags))


@router.post("/terms/{term_id}/committees", response={201: CommitteeOut}, summary="设立专门委员会")
def create_committee(request, term_id: int, payload: CommitteeIn):
    term = _get(request, Term, term_id)
    members = list(term.delegates.filter(pk__in=payload.delegate_ids))
    if len(members) != len(set(payload.delegate_ids)):
        raise DomainError("committee.members", _("委员应为本届在任代表。"), field="delegate_ids")
    return Status(201, actions.create_committee(request.user, term, payload.kind, payload.name, members))


@router.post("/terms/{term_id}/interim-requests", response={201: dict}, summary="提议召开临时会议")
def request_interim(request, term_id: int, payload: InterimIn):
    term = _get(request, Term, term_id)
    row = actions.request_interim_session(request.user, term, payload.by, payload.reason)
    return Status(201, {"id": row.pk, **actions.interim_support(term)})


@router.get("/terms/{term_id}/interim-support", response=InterimSupport, summary="临时会议提议人数")
def interim_support(request, term_id: int):
    return actions.interim_support(_get(request, Term, term_id))


# --- Sessions --------------------------------------------------------------------------------------

@router.get("/terms/{term_id}/sessions", response=list[SessionOut], summary="会议")
def list_sessions(request, term_id: int):
    return list(_get(request, Term, term_id).sessions.all())


@router.post("/terms/{term_id}/sessions", response={201: SessionOut}, summary="安排会议")
def schedule_session(request, term_id: int, payload: SessionIn):
    term = _get(request, Term, term_id)
    return Status(201, actions.schedule_session(request.user, term, payload.title, payload.starts_at,
                                                payload.location, payload.kind))


def _session_detail(request, session: Session) -> dict:
    runs = policy.may_organization(request.user, "change", session.term.congress.enterprise)
    return {**SessionOut.from_orm(session).dict(), "attendance": actions.attendance(session),
            "check_in_code": session.check_in_code if runs else None}


@router.get("/sessions/{session_id}", response=SessionDetail, summary="会议详情与出席人数")
def get_session(request, session_id: int):
    return _session_detail(request, _get(request, Session, session_id))


@router.post("/sessions/{session_id}/convene", response=SessionDetail, summary="发出会议通知")
def convene(request, session_id: int):
    session = actions.convene_session(request.user, _get(request, Session, session_id))
    return _session_detail(request, session)


@router.post("/sessions/{session_id}/open", response=SessionDetail, summary="宣布开会（须三分之二以上代表出席）")
def open_session(request, session_id: int):
    return _session_detail(request, actions.open_session(request.user, _get(request, Session, session_id)))


@router.post("/sessions/{session_id}/close", response=SessionDetail, summary="闭会")
def close_session(request, session_id: int):
    return _session_detail(request, actions.close_session(request.user, _get(request, Session, session_id)))


@router.post("/sessions/{session_id}/check-in", response={201: CheckInOut}, summary="签到")
def check_in(request, session_id: int, payload: CheckInIn):
    session = _get(request, Session, session_id)
    delegate = None
    if payload.delegate_id is not None:
        delegate = session.term.delegates.filter(pk=payload.delegate_id).first()
        if delegate is None:
            raise NotFound("delegate")
    return Status(201, actions.check_in(request.user, session, payload.code, delegate))


@router.post("/sessions/{session_id}/attendees", response={201: AttendeeOut}, summary="增加列席代表")
def add_attendee(request, session_id: int, payload: AttendeeIn):
    session = _get(request, Session, session_id)
    return Status(201, actions.add_attendee(request.user, session, payload.name, payload.affiliation))


@router.get("/sessions/{session_id}/items", response=list[ItemOut], summary="议程")
def list_items(request, session_id: int):
    return list(_get(request, Session, session_id).items.all())


@router.post("/sessions/{session_id}/items", response={201: ItemOut}, summary="增加议程")
def add_item(request, session_id: int, payload: ItemIn):
    session = _get(request, Session, session_id)
    seat = None
    if payload.recall_seat_id is not None:
        seat = _get(request, WorkerSeat, payload.recall_seat_id)
    fields = payload.dict(exclude={"recall_seat_id", "title", "kind"})
    return Status(201, actions.add_agenda_item(request.user, session, payload.title, payload.kind,
                                               recall_seat=seat, **fields))


@router.get("/sessions/{session_id}/documents", response=list[DocumentOut], summary="会议文件")
def list_documents(request, session_id: int):
    return list(_get(request, Session, session_id).documents.order_by("id"))


@router.post("/sessions/{session_id}/documents", response={201: DocumentOut}, summary="上传会议文件")
def upload_document(request, session_id: int, title: Form[str], file: File[UploadedFile],
                    item_id: Form[int | None] = None):
    session = _get(request, Session, session_id)
    item = session.items.filter(pk=item_id).first() if item_id else None
    return Status(201, actions.upload_document(request.user, session, title, file, item))


# --- Items, votes, bulletin, resolutions -----------------------------------------------------------

@router.get("/items/{item_id}", response=ItemDetail, summary="议程详情")
def get_item(request, item_id: int):
    item = _get(request, AgendaItem, item_id)
    return {**ItemOut.from_orm(item).dict(), "candidates": list(item.candidates.select_related("person"))}


@router.post("/items/{item_id}/candidates", response={201: CandidateOut}, summary="增加候选人或被评议人")
def add_candidate(request, item_id: int, payload: CandidateIn):
    item = _get(request, AgendaItem, item_id)
    person = policy.access_person(request.user, payload.person_id)
    return Status(201, actions.add_candidate(request.user, item, person, payload.note))


@router.post("/items/{item_id}/open", response=LiveOut, summary="开始表决")
def open_voting(request, item_id: int):
    item = _get(request, AgendaItem, item_id)
    actions.open_voting(request.user, item)
    item.refresh_from_db()
    return queries.live_figures(item)


@router.post("/items/{item_id}/close", response=LiveOut, summary="结束表决并计票")
def close_voting(request, item_id: int):
    item = _get(request, AgendaItem, item_id)
    actions.close_voting(request.user, item)
    item.refresh_from_db()
    return queries.live_figures(item)


@router.post("/items/{item_id}/ballots", response={201: Receipt}, summary="投票")
def cast_ballot(request, item_id: int, payload: BallotIn):
    # The action applies the policy itself (outsiders get 404) on its slow path; a delegate's
    # ballot is one statement plus the two inserts (see actions.cast_ballot).
    return Status(201, actions.cast_ballot(request.user, item_id, payload.content, payload.commitment))


@router.post("/items/{item_id}/advise", response={201: ResolutionOut}, summary="结束审议建议类议程")
def close_advise(request, item_id: int, payload: AdviseIn):
    item = _get(request, AgendaItem, item_id)
    return Status(201, actions.close_advise_item(request.user, item, payload.summary))


@router.get("/items/{item_id}/live", response=LiveOut, summary="会场实时数据（结果在表决结束后公布）")
def live(request, item_id: int):
    return queries.live_figures(_get(request, AgendaItem, item_id))


@router.get("/items/{item_id}/bulletin", response=list[Bulletin], summary="公告板：每张选票的回执与内容")
def bulletin(request, item_id: int):
    item = _get(request, AgendaItem, item_id)
    boards = []
    for voting_round in item.rounds.exclude(closed_at__isnull=True).order_by("number"):
        boards.append({"round": voting_round.number, **queries.bulletin(voting_round)})
    return boards


@router.get("/resolutions", response=list[ResolutionOut], summary="决议")
def list_resolutions(request, congress_id: int | None = None):
    qs = queries.visible(request.user, Resolution).order_by("-id")
    if congress_id:
        qs = qs.filter(item__session__term__congress_id=congress_id)
    return list(qs[:200])


@router.get("/resolutions/{resolution_id}", response=ResolutionDetail, summary="决议及其留痕证明")
def get_resolution(request, resolution_id: int):
    resolution = _get(request, Resolution, resolution_id)
    return {**ResolutionOut.from_orm(resolution).dict(), "proof": queries.resolution_proof(resolution)}


@router.put("/enterprises/{enterprise_id}/governance", response=list[CheckOut], summary="公司治理情况")
def set_governance(request, enterprise_id: int, payload: GovernanceIn):
    enterprise = policy.access_organization(request.user, enterprise_id)
    actions.set_governance(request.user, enterprise, **payload.dict())
    return [c.__dict__ for c in queries.governance_checks(enterprise)]


@router.get("/enterprises/{enterprise_id}/seats", response=list[SeatOut], summary="职工董事、职工监事")
def list_seats(request, enterprise_id: int):
    enterprise = policy.access_organization(request.user, enterprise_id)
    return list(WorkerSeat.objects.filter(enterprise=enterprise).select_related("person").order_by("id"))
