"""API schemas of claims: submission, the officer queue, the detail with its computation."""

from datetime import date, datetime

from ninja import Field, Schema


class CostLineIn(Schema):
    invoice_no: str = Field("", max_length=40, examples=["FP2026000123"])
    total_fen: int = Field(..., ge=0, description="医疗费用总额（分）")
    self_paid_fen: int = Field(0, ge=0, description="目录内自付部分（分）")


class ClaimIn(Schema):
    coverage_id: int
    event_on: date | None = Field(None, description="出险或确诊日期；住院申请可省略（取入院日期）")
    admitted_on: date | None = None
    discharged_on: date | None = None
    hospital_grade: str = Field("", description="1 一级及以下 / 2 二级 / 3 三级")
    diagnosis: str = Field("", max_length=200)
    disease_key: str = Field("", max_length=64, description="约定病种或类别代码（见计划的给付规则）")
    is_accident: bool = False
    family_member: bool = False
    lines: list[CostLineIn] = Field(default_factory=list, max_length=20)
    bank_name: str = Field(..., max_length=100)
    account_holder: str = Field(..., max_length=50)
    account_number: str = Field(..., max_length=40, description="银行账号，加密保存，只显示首尾各4位")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class BatchAdjudicateIn(Schema):
    claim_ids: list[int] = Field(..., max_length=100000)


class BatchAdjudicateOut(Schema):
    adjudicated: int
    payable: int
    total_fen: int
    digest: str


class CoverageOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    plan_code: str = Field(..., alias="version.plan.code")
    plan_name: str = Field(..., alias="version.plan.name")
    version_label: str = Field(..., alias="version.label")
    starts_on: date
    waiting_ends_on: date
    ends_on: date
    state: str
    shares: int


class ClaimOut(Schema):
    id: int
    number: str
    person_id: int
    person_name: str = Field(..., alias="person.name")
    plan_name: str = Field(..., alias="version.plan.name")
    enterprise_id: int
    pool_id: int
    channel: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    event_on: date
    admitted_on: date | None
    discharged_on: date | None
    computed_fen: int | None
    approved_fen: int | None
    flags: list[dict]
    submitted_at: datetime
    due_at: datetime | None
    decided_at: datetime | None


class ClaimPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ClaimOut]


class StepOut(Schema):
    code: str
    text: str
    amount_fen: int | None


class ReviewOut(Schema):
    stage: str
    decision: str
    reviewer: str = Field(..., alias="reviewer.username")
    amount_fen: int | None
    reason: str
    created_at: datetime


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime


class ClaimDetail(ClaimOut):
    hospital_grade: str
    diagnosis: str
    disease_key: str
    is_accident: bool
    family_member: bool
    total_cost_fen: int
    self_paid_fen: int
    cost_lines: list[dict]
    bank_name: str
    account_holder: str
    account_masked: str
    components: dict
    appealed: bool
    appeal_reason: str
    entry_id: int | None
    overdue: bool
    steps: list[StepOut]
    reviews: list[ReviewOut]
    documents: list[DocumentOut]
    verbs: list[str]
