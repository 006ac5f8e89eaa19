"""API schemas of plans, pools and contributions (part M1 of the mutual-aid fund)."""

from datetime import date, datetime

from ninja import Field, Schema

# --- Plans ----------------------------------------------------------------------------------------


class RuleOut(Schema):
    code: str
    key: str
    amount_fen: int | None
    params: dict
    note: str


class VersionOut(Schema):
    id: int
    label: str
    effective_from: date
    published_at: datetime | None
    text: str
    period_months: int
    price_fen: int
    min_age: int
    max_age: int
    requires_membership: bool
    requires_medical_insurance: bool
    women_only: bool
    max_shares: int
    waiting_days: int
    rules: list[RuleOut] = Field(default_factory=list)


class PlanOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    owner_id: int | None


class PlanDetail(PlanOut):
    versions: list[VersionOut]


class RuleIn(Schema):
    code: str = Field(..., max_length=40, examples=["per_day"])
    key: str = Field("", max_length=64)
    amount_fen: int | None = None
    params: dict = Field(default_factory=dict)
    note: str = Field("", max_length=255)


class VersionIn(Schema):
    label: str = Field(..., max_length=40, examples=["2027年度"])
    effective_from: date
    price_fen: int | None = None
    text: str | None = Field(None, max_length=20000)
    waiting_days: int | None = Field(None, ge=0, le=365)
    rules: list[RuleIn] | None = None


# --- Pools ----------------------------------------------------------------------------------------


class PoolOut(Schema):
    id: int
    name: str
    level: str
    federation_id: int
    parent_id: int | None
    book_id: int | None
    region_code: str
    plan_ids: list[int]
    bank_fen: int
    receivable_fen: int
    payable_fen: int
    available_fen: int


class MonthOut(Schema):
    month: str
    inflow_fen: int
    outflow_fen: int
    balance_fen: int
    transfer_in_fen: int
    transfer_out_fen: int


class TransferOut(Schema):
    id: int
    source_id: int
    target_id: int
    amount_fen: int
    reason: str
    state: str
    automatic: bool
    claim_id: int | None
    created_at: datetime
    decided_at: datetime | None
    refusal_reason: str
    entry_out_id: int | None
    entry_in_id: int | None


class PoolDetail(PoolOut):
    months: list[MonthOut]
    transfers: list[TransferOut]


class PoolsIn(Schema):
    plan_ids: list[int] = Field(..., min_length=1)
    group: str = Field("", max_length=40, examples=["职工互助保障"])


class TransferIn(Schema):
    amount_fen: int = Field(..., gt=0)
    reason: str = Field(..., max_length=255)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=255)


class DashboardOut(Schema):
    federation_id: int
    pools: list[PoolDetail]


# --- Contributions --------------------------------------------------------------------------------


class InvoiceIssueIn(Schema):
    period_start: date | None = None
    period_end: date | None = None


class InvoiceOut(Schema):
    id: int
    number: str
    enrolment_id: int
    enterprise_id: int
    enterprise_name: str
    period_start: date
    period_end: date
    issued_at: datetime
    due_on: date
    grace_until: date
    total_fen: int
    enterprise_fen: int
    worker_fen: int
    union_fen: int
    paid_fen: int
    credit_applied_fen: int = Field(..., description="上期结余抵扣：企业此前多缴的金额，开具时已抵扣（计入paid_fen）")
    state: str
    suspended: bool

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj["enterprise_name"] if isinstance(obj, dict) else obj.enterprise.name


class LineOut(Schema):
    id: int
    coverage_id: int
    person_name: str = Field(..., alias="coverage.person.name")
    shares: int
    base_fen: int
    wage_part_fen: int
    total_fen: int
    enterprise_fen: int
    worker_fen: int
    union_fen: int
    explanation: str


class PaymentOut(Schema):
    id: int
    amount_fen: int
    credit_fen: int = Field(..., description="其中超过尚欠金额、转为企业结余（预收缴费）的部分")
    paid_on: date
    bank_reference: str
    payer: str
    source: str
    created_at: datetime


class InvoiceDetail(InvoiceOut):
    owed_fen: int
    enterprise_credit_fen: int = Field(..., description="企业在本资金池链中的结余，开具下一张通知单时自动抵扣")
    basis: dict
    lines: list[LineOut]
    payments: list[PaymentOut]


class InvoicePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[InvoiceOut]


class PaymentIn(Schema):
    amount_fen: int = Field(..., gt=0)
    paid_on: date
    bank_reference: str = Field("", max_length=64)
    payer: str = Field("", max_length=100)


class StatementRowOut(Schema):
    row: int
    reference: str
    invoice_number: str
    amount_fen: int
    credit_fen: int = 0


class StatementOut(Schema):
    recorded: list[StatementRowOut]
    skipped: list[StatementRowOut]
    payment_ids: list[int]


class ArrearsOut(Schema):
    suspended: int
