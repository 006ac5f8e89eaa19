"""API schemas of payment batches, payouts and the worker's claim payments."""

from datetime import date, datetime

from ninja import Field, Schema


class QueueClaimOut(Schema):
    id: int
    number: str
    person_name: str = Field(..., alias="person.name")
    enterprise_id: int
    state: str
    approved_fen: int
    account_holder: str
    account_masked: str
    bank_name: str


class QueueOut(Schema):
    pool_id: int
    count: int
    total_fen: int
    claims: list[QueueClaimOut]


class BatchIn(Schema):
    claim_ids: list[int] | None = Field(None, description="省略时列入本资金池全部待支付申请")
    expected_total_fen: int | None = Field(None, ge=0, description="确认时看到的合计（分）；申请有变化时拒绝生成")


class BatchOut(Schema):
    id: int
    number: str
    pool_id: int
    state: str
    count: int
    total_fen: int
    export_count: int
    created_at: datetime
    exported_at: datetime | None
    settled_at: datetime | None


class PayoutOut(Schema):
    id: int
    reference: str
    claim_id: int
    claim_number: str = Field(..., alias="claim.number")
    account_holder: str = Field(..., alias="claim.account_holder")
    account_masked: str = Field(..., alias="claim.account_masked")
    amount_fen: int
    state: str
    bank_reason: str
    bank_day: date | None
    entry_id: int | None


class BatchDetail(BatchOut):
    payouts: list[PayoutOut]


class FailedRow(Schema):
    reference: str
    claim: str
    reason: str


class ReturnReportOut(Schema):
    batch: BatchOut
    paid: int
    failed: int
    skipped: int
    paid_fen: int
    failed_rows: list[FailedRow]


class MyPayoutOut(Schema):
    reference: str
    amount_fen: int
    state: str
    bank_reason: str
    bank_day: date | None


class MyClaimOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    approved_fen: int | None
    paid_at: datetime | None
    account_masked: str
    payouts: list[MyPayoutOut]


class AccountIn(Schema):
    bank_name: str = Field(..., max_length=100)
    account_holder: str = Field(..., max_length=50)
    account_number: str = Field(..., max_length=40, description="12至30位数字；加密保存")
