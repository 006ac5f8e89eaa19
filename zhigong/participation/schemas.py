"""API schemas of proposals, suggestions and the suggestion box."""

from datetime import date
from uuid import UUID

from ninja import Field, Schema


class ProposalIn(Schema):
    session_id: int
    title: str = Field(..., max_length=200, examples=["关于提高一线职工高温津贴标准的提案"])
    cause: str = Field(..., max_length=10000)
    measures: str = Field(..., max_length=10000)
    category: str = Field(..., examples=["wages"])


class ProposalEdit(Schema):
    title: str = Field(..., max_length=200)
    cause: str = Field(..., max_length=10000)
    measures: str = Field(..., max_length=10000)
    category: str


class SignerOut(Schema):
    delegate_id: int
    name: str = Field(..., alias="delegate.person.name")
    role: str


class ProposalOut(Schema):
    id: int
    congress_id: int
    session_id: int
    number: str
    title: str
    cause: str
    measures: str
    category: str
    state: str
    proposer_id: int
    merged_into_id: int | None
    committee_reason: str
    lead_department_id: int | None
    due_on: date | None
    answer: str
    planned_measures: str
    answered_on: date | None
    progress: int
    rating: str
    closed_on: date | None


class ProposalDetail(ProposalOut):
    signers: list[SignerOut]
    legal_verbs: list[str]
    overdue: bool


class ProposalPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProposalOut]


class SimilarOut(Schema):
    proposal: ProposalOut
    score: float


class SimilarIn(Schema):
    congress_id: int
    text: str = Field(..., max_length=20000)
    exclude: int | None = None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=5000)


class MergeIn(Schema):
    into_id: int


class AssignIn(Schema):
    lead_department_id: int
    co_department_ids: list[int] = []
    due_on: date | None = None


class AnswerIn(Schema):
    answer: str = Field(..., max_length=10000)
    planned_measures: str = Field(..., max_length=10000)


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    note: str = Field(..., max_length=5000)
    on: date | None = None


class RateIn(Schema):
    rating: str = Field(..., examples=["satisfied"], description="satisfied / basically_satisfied / not_satisfied")


class WindowIn(Schema):
    opens_on: date
    closes_on: date


class BoardOut(Schema):
    states: dict
    departments: list[dict]
    on_time: int
    due: int
    satisfied: int
    rated: int
    on_time_rate: float | None
    satisfaction_rate: float | None


class SuggestionIn(Schema):
    enterprise_id: int
    team: str = Field(..., max_length=64)
    title: str = Field(..., max_length=200)
    content: str = Field(..., max_length=10000)
    topic: str = Field(..., examples=["safety"])


class SuggestionOut(Schema):
    id: int
    enterprise_id: int
    team: str
    title: str
    content: str
    topic: str
    state: str
    review_reason: str
    benefit_fen: int
    reward_fen: int
    submitted_on: date


class DecideIn(Schema):
    adopt: bool
    reason: str = ""


class AmountIn(Schema):
    amount_fen: int = Field(..., ge=0, description="金额，单位为分")


class SuggestionStats(Schema):
    submitted: int
    adopted: int
    benefit: int
    rewards: int
    teams: list[dict]


class BoxIn(Schema):
    text: str = Field(..., max_length=20000)
    category: str = "other"
    consent_public: bool = False


class BoxReceipt(Schema):
    follow_up_code: str = Field(..., description="只显示这一次：凭此码查看答复、继续留言")
    due_on: date


class BoxReplyOut(Schema):
    from_sender: bool
    text: str
    on: date


class BoxThread(Schema):
    category: str
    text: str
    received_on: date
    state: str
    due_on: date
    replies: list[BoxReplyOut]


class CodeIn(Schema):
    code: str = Field(..., max_length=32)


class SenderReplyIn(CodeIn):
    text: str = Field(..., max_length=20000)


class BoxMessageOut(Schema):
    id: UUID  # a UUID primary key; typed as str it failed validation (500) on every read
    received_on: date
    category: str
    text: str
    state: str
    due_on: date
    answered_on: date | None
    public: bool
    consent_public: bool


class BoxAnswerIn(Schema):
    answer: str = Field(..., max_length=10000)
    public: bool = False


class PublicAnswer(Schema):
    category: str
    text: str | None
    answer: str
    answered_on: date


class BoxSettingsIn(Schema):
    answer_days: int = Field(15, ge=1, le=90)


class BoxSettingsOut(Schema):
    enterprise_id: int
    slug: str
    answer_days: int
