"""API schemas of the ledger. Money is integer fen everywhere."""

from datetime import date, datetime

from ninja import Field, Schema


class BookIn(Schema):
    owner_id: int = Field(..., description="所属总工会")
    name: str = Field(..., max_length=128, examples=["玄武区互助金县级池"])
    code: str = Field("", max_length=40, examples=["pool-320102"])
    chart: str = Field("mutualaid")
    kind: str = Field("mutualaid_pool")


class AccountOut(Schema):
    id: int
    code: str
    name: str
    type: str


class BookOut(Schema):
    id: int
    owner_id: int
    owner_name: str = Field(..., alias="owner.name")
    code: str
    name: str
    kind: str
    chart: str
    region_code: str = Field(..., alias="region_id")


class BookDetail(BookOut):
    accounts: list[AccountOut]
    closed_months: list[date]


class LegIn(Schema):
    account: str = Field(..., max_length=12, examples=["1002"])
    debit_fen: int = Field(0, ge=0)
    credit_fen: int = Field(0, ge=0)
    organization_id: int | None = None
    person_id: int | None = None


class EntryIn(Schema):
    day: date
    memo: str = Field(..., max_length=200)
    legs: list[LegIn] = Field(..., min_length=1, max_length=200)
    key: str | None = Field(None, max_length=100, description="幂等键：同一账套内重复提交返回第一次的凭证")


class LegOut(Schema):
    id: int
    account: str = Field(..., alias="account.code")
    account_name: str = Field(..., alias="account.name")
    amount_fen: int
    organization_id: int | None = Field(None, alias="party_organization_id")
    person_id: int | None = Field(None, alias="party_person_id")


class EntryOut(Schema):
    id: int
    book_id: int
    day: date
    period: date
    posted_at: datetime
    memo: str
    source_type: str
    source_id: str
    key: str | None
    reverses_id: int | None


class EntryDetail(EntryOut):
    legs: list[LegOut]
    reversed_by_id: int | None


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EntryOut]


class ReverseIn(Schema):
    reason: str = Field(..., max_length=200)
    day: date | None = None
    key: str | None = Field(None, max_length=100)


class CloseIn(Schema):
    month: date = Field(..., description="该月任意一天")


class PeriodOut(Schema):
    book_id: int
    month: date
    closed_at: datetime


class BalanceOut(Schema):
    account: str
    name: str
    type: str
    opening_fen: int
    debit_fen: int
    credit_fen: int
    closing_fen: int
    natural_closing_fen: int


class TrialRow(Schema):
    account: str
    name: str
    debit_fen: int
    credit_fen: int


class TrialOut(Schema):
    rows: list[TrialRow]
    debit_total_fen: int
    credit_total_fen: int
    balanced: bool


class StatementLine(Schema):
    entry_id: int
    day: date
    memo: str
    book_id: int
    book: str
    account: str
    amount_fen: int


class StatementOut(Schema):
    party: str
    lines: list[StatementLine]
    debit_total_fen: int
    credit_total_fen: int
