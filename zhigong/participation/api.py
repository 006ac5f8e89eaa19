"""Proposals, suggestions and the suggestion box over JSON. The box's sender endpoints are
public (no account) and keep nothing about who called them."""

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Department
from zhigong.democracy.models import Session
from zhigong.democracy.queries import access as congress_access
from zhigong.participation import actions, queries, rules
from zhigong.participation.models import BoxMessage, BoxSettings, Proposal, Suggestion
from zhigong.participation.schemas import (
    AmountIn,
    AnswerIn,
    AssignIn,
    BoardOut,
    BoxAnswerIn,
    BoxIn,
    BoxMessageOut,
    BoxReceipt,
    BoxSettingsIn,
    BoxSettingsOut,
    BoxThread,
    CodeIn,
    DecideIn,
    MergeIn,
    ProgressIn,
    ProposalDetail,
    ProposalEdit,
    ProposalIn,
    ProposalOut,
    ProposalPage,
    PublicAnswer,
    RateIn,
    ReasonIn,
    SenderReplyIn,
    SimilarIn,
    SimilarOut,
    SuggestionIn,
    SuggestionOut,
    SuggestionStats,
    WindowIn,
)

router = Router(tags=["participation"])
box_router = Router(tags=["box"], auth=None)


def _proposal(request, pk) -> Proposal:
    return queries.access(request.user, Proposal, pk)


def _department(request, proposal: Proposal, pk: int) -> Department:
    department = Department.objects.filter(pk=pk, enterprise=proposal.congress.enterprise).first()
    if department is None:
        raise NotFound("department")
    return department


def _detail(request, proposal: Proposal) -> dict:
    proposal.refresh_from_db()
    return {**ProposalOut.from_orm(proposal).dict(),
            "signers": list(proposal.signers.select_related("delegate__person").order_by("id")),
            "legal_verbs": rules.legal_verbs(proposal.state), "overdue": queries.is_overdue(proposal)}


# --- Proposals -----------------------------------------------------------------------------------

@router.get("/proposals", response=ProposalPage, summary="提案检索（中文无需空格）")
def search_proposals(request: HttpRequest, q: str = "", congress_id: int | None = None,
                     session_id: int | None = None, category: str = "", state: str = "",
                     department_id: int | None = None, page: int = 1, page_size: int = 20):
    qs = queries.search(request.user, q, congress_id, session_id, category, state, department_id)
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.post("/proposals", response={201: ProposalDetail}, summary="起草提案")
def draft(request, payload: ProposalIn):
    session = congress_access(request.user, Session, payload.session_id)
    proposal = actions.draft_proposal(request.user, session, payload.title, payload.cause, payload.measures,
                                      payload.category)
    return Status(201, _detail(request, proposal))


@router.post("/proposals/similar", response=list[SimilarOut], summary="相似提案")
def similar(request, payload: SimilarIn):
    from zhigong.democracy.models import Congress

    congress = congress_access(request.user, Congress, payload.congress_id)
    return queries.similar(request.user, congress.pk, payload.text, payload.exclude)


@router.get("/proposals/{proposal_id}", response=ProposalDetail, summary="提案详情")
def get_proposal(request, proposal_id: int):
    return _detail(request, _proposal(request, proposal_id))


@router.put("/proposals/{proposal_id}", response=ProposalDetail, summary="修改草稿")
def edit(request, proposal_id: int, payload: ProposalEdit):
    proposal = _proposal(request, proposal_id)
    return _detail(request, actions.edit_draft(request.user, proposal, **payload.dict()))


@router.post("/proposals/{proposal_id}/cosign", response=ProposalDetail, summary="附议")
def cosign(request, proposal_id: int):
    proposal = _proposal(request, proposal_id)
    actions.cosign(request.user, proposal)
    return _detail(request, proposal)


def _verb(name: str):
    def endpoint(request, proposal_id: int):
        proposal = _proposal(request, proposal_id)
        return _detail(request, getattr(actions, name)(request.user, proposal))
    return endpoint


for _name, _summary in (("submit", "提交提案"), ("withdraw", "撤回提案"), ("start_review", "开始审查"),
                        ("accept", "立案"), ("archive", "归档")):
    router.post(f"/proposals/{{proposal_id}}/{_name.replace('_', '-')}", response=ProposalDetail,
                summary=_summary, operation_id=f"proposal_{_name}")(_verb(_name))


@router.post("/proposals/{proposal_id}/convert", response=ProposalDetail, summary="不立案，转为意见建议")
def convert(request, proposal_id: int, payload: ReasonIn):
    return _detail(request, actions.convert(request.user, _proposal(request, proposal_id), payload.reason))


@router.post("/proposals/{proposal_id}/reopen", response=ProposalDetail, summary="重新交办")
def reopen(request, proposal_id: int, payload: ReasonIn):
    return _detail(request, actions.reopen(request.user, _proposal(request, proposal_id), payload.reason))


@router.post("/proposals/{proposal_id}/merge", response=ProposalDetail, summary="并案")
def merge(request, proposal_id: int, payload: MergeIn):
    duplicate = _proposal(request, proposal_id)
    into = _proposal(request, payload.into_id)
    return _detail(request, actions.merge(request.user, duplicate, into))


@router.post("/proposals/{proposal_id}/assign", response=ProposalDetail, summary="交办")
def assign(request, proposal_id: int, payload: AssignIn):
    proposal = _proposal(request, proposal_id)
    lead = _department(request, proposal, payload.lead_department_id)
    co = [_department(request, proposal, pk) for pk in payload.co_department_ids]
    return _detail(request, actions.assign(request.user, proposal, lead, co, payload.due_on))


@router.post("/proposals/{proposal_id}/answer", response=ProposalDetail, summary="答复")
def answer(request, proposal_id: int, payload: AnswerIn):
    proposal = _proposal(request, proposal_id)
    return _detail(request, actions.answer(request.user, proposal, payload.answer, payload.planned_measures))


@router.post("/proposals/{proposal_id}/progress", response=ProposalDetail, summary="报告落实进度")
def progress(request, proposal_id: int, payload: ProgressIn):
    proposal = _proposal(request, proposal_id)
    actions.report_progress(request.user, proposal, payload.percent, payload.note, payload.on)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/rate", response=ProposalDetail, summary="提案人评价")
def rate(request, proposal_id: int, payload: RateIn):
    return _detail(request, actions.rate(request.user, _proposal(request, proposal_id), payload.rating))


@router.put("/sessions/{session_id}/proposal-window", response=WindowIn, summary="设定提案征集期")
def set_window(request, session_id: int, payload: WindowIn):
    session = congress_access(request.user, Session, session_id)
    return actions.set_window(request.user, session, payload.opens_on, payload.closes_on)


@router.get("/congresses/{congress_id}/proposal-board", response=BoardOut, summary="提案办理情况")
def board(request, congress_id: int):
    from zhigong.democracy.models import Congress

    congress = congress_access(request.user, Congress, congress_id)
    return queries.board(request.user, congress.pk)


@router.get("/my/department-queue", response=list[ProposalOut], summary="本部门待办提案")
def department_queue(request):
    return list(queries.department_queue(request.user)[:200])


# --- Improvement suggestions ---------------------------------------------------------------------

@router.post("/suggestions", response={201: SuggestionOut}, summary="提交合理化建议")
def submit_suggestion(request, payload: SuggestionIn):
    enterprise = policy.access_organization(request.user, payload.enterprise_id)
    return Status(201, actions.submit_suggestion(request.user, enterprise, payload.team, payload.title,
                                                 payload.content, payload.topic))


@router.get("/suggestions/{suggestion_id}", response=SuggestionOut, summary="合理化建议")
def get_suggestion(request, suggestion_id: int):
    return queries.access(request.user, Suggestion, suggestion_id)


@router.post("/suggestions/{suggestion_id}/decide", response=SuggestionOut, summary="评审：采纳或不采纳")
def decide(request, suggestion_id: int, payload: DecideIn):
    row = queries.access(request.user, Suggestion, suggestion_id)
    return actions.decide_suggestion(request.user, row, payload.adopt, payload.reason)


@router.post("/suggestions/{suggestion_id}/implement", response=SuggestionOut, summary="实施并登记经济效益")
def implement(request, suggestion_id: int, payload: AmountIn):
    row = queries.access(request.user, Suggestion, suggestion_id)
    return actions.implement_suggestion(request.user, row, payload.amount_fen)


@router.post("/suggestions/{suggestion_id}/reward", response=SuggestionOut, summary="发放奖励")
def reward(request, suggestion_id: int, payload: AmountIn):
    row = queries.access(request.user, Suggestion, suggestion_id)
    return actions.reward_suggestion(request.user, row, payload.amount_fen)


@router.get("/enterprises/{enterprise_id}/suggestion-stats", response=SuggestionStats, summary="合理化建议统计")
def suggestion_stats(request, enterprise_id: int):
    enterprise = policy.access_organization(request.user, enterprise_id)
    return queries.suggestion_stats(request.user, enterprise.pk)


# --- Suggestion box: management side -------------------------------------------------------------

@router.put("/enterprises/{enterprise_id}/box", response=BoxSettingsOut, summary="设置意见箱")
def configure_box(request, enterprise_id: int, payload: BoxSettingsIn):
    enterprise = policy.access_organization(request.user, enterprise_id)
    return actions.open_box(request.user, enterprise, payload.answer_days)


@router.get("/enterprises/{enterprise_id}/box/messages", response=list[BoxMessageOut], summary="意见箱留言")
def box_messages(request, enterprise_id: int, state: str = ""):
    enterprise = policy.access_organization(request.user, enterprise_id, "change")
    qs = queries.visible(request.user, BoxMessage).filter(box__enterprise=enterprise).order_by("due_on")
    return list(qs.filter(state=state)[:500] if state else qs[:500])


@router.post("/box-messages/{message_id}/answer", response=BoxMessageOut, summary="答复留言")
def answer_box(request, message_id: str, payload: BoxAnswerIn):
    message = _box_message(request, message_id)
    return actions.answer_message(request.user, message, payload.answer, payload.public)


def _box_message(request, message_id: str) -> BoxMessage:
    import uuid

    try:
        key = uuid.UUID(message_id)
    except ValueError:
        raise NotFound("box_message") from None
    message = queries.visible(request.user, BoxMessage).filter(pk=key).select_related("box__enterprise").first()
    if message is None or not policy.may_organization(request.user, "change", message.box.enterprise):
        raise NotFound("box_message")
    return message


# --- Suggestion box: the anonymous sender (no account, nothing kept) -----------------------------

def _box(slug: str) -> BoxSettings:
    box = BoxSettings.objects.filter(slug=slug).select_related("enterprise").first()
    if box is None:
        raise NotFound("box")
    return box


@box_router.post("/{slug}/messages", response={201: BoxReceipt}, summary="匿名留言（不记录身份）")
def drop(request, slug: str, payload: BoxIn):
    box = _box(slug)
    message, code = actions.drop_message(box, payload.text, payload.category, payload.consent_public, [],
                                         request.META.get("REMOTE_ADDR", ""))
    return Status(201, {"follow_up_code": code, "due_on": message.due_on})


@box_router.post("/{slug}/messages-with-photos", response={201: BoxReceipt}, summary="匿名留言（含照片）")
def drop_with_photos(request, slug: str, text: Form[str], photos: File[list[UploadedFile]],
                     category: Form[str] = "other", consent_public: Form[bool] = False):
    box = _box(slug)
    message, code = actions.drop_message(box, text, category, consent_public, photos or [],
                                         request.META.get("REMOTE_ADDR", ""))
    return Status(201, {"follow_up_code": code, "due_on": message.due_on})


@box_router.post("/thread", response=BoxThread, summary="凭查询码查看答复")
def thread(request, payload: CodeIn):
    message = actions.read_thread(payload.code)
    return {**BoxMessageOut.from_orm(message).dict(), "replies": list(message.replies.all())}


@box_router.post("/thread/reply", response={201: BoxThread}, summary="凭查询码继续留言")
def reply(request, payload: SenderReplyIn):
    actions.sender_reply(payload.code, payload.text)
    message = actions.read_thread(payload.code)
    return Status(201, {**BoxMessageOut.from_orm(message).dict(), "replies": list(message.replies.all())})


@box_router.get("/{slug}/answers", response=list[PublicAnswer], summary="答复公开栏")
def public_answers(request, slug: str):
    box = _box(slug)
    return [{"category": m.category, "text": m.text if m.consent_public else None, "answer": m.answer,
             "answered_on": m.answered_on} for m in queries.public_board(box)[:200]]
