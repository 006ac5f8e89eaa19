"""API schemas of core (django-ninja / pydantic)."""

from datetime import date, datetime

from ninja import Field, Schema


class Page(Schema):
    count: int
    page: int
    page_size: int


class OrganizationOut(Schema):
    id: int
    kind: str
    level: str
    name: str
    parent_id: int | None
    region_code: str = Field(..., alias="region_id")
    credit_code: str | None
    industry: str
    employee_count: int
    member_count: int
    path: str


class OrganizationPage(Page):
    items: list[OrganizationOut]


class OrganizationCreate(Schema):
    kind: str = Field(..., examples=["enterprise"], description="federation / enterprise / enterprise_union")
    parent_id: int | None = None
    name: str = Field(..., max_length=128, examples=["玄武机械有限公司"])
    region_code: str | None = Field(None, examples=["320102"])
    credit_code: str | None = Field(None, examples=["91350100M000100Y43"])
    industry: str = ""
    employee_count: int = Field(0, ge=0)


class OrganizationUpdate(Schema):
    name: str | None = Field(None, max_length=128)
    region_code: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    employee_count: int | None = Field(None, ge=0)


class MoveIn(Schema):
    parent_id: int


class ProfitIn(Schema):
    profit_fen: int = Field(..., description="利润，单位为分；亏损为负数")


class ProfitOut(Schema):
    year: int
    profit_fen: int


class PersonOut(Schema):
    id: int
    name: str
    id_masked: str
    birth_date: date
    sex: str
    mobile: str
    region_code: str = Field(..., alias="region_id")


class PersonPage(Page):
    items: list[PersonOut]


class PersonCreate(Schema):
    organization_id: int
    name: str = Field(..., max_length=64, examples=["张伟"])
    id_number: str = Field(..., examples=["11010519491231002X"])
    mobile: str = Field("", examples=["13812345678"])


class PersonUpdate(Schema):
    name: str = Field(..., max_length=64)
    mobile: str = ""


class RevealedIdNumber(Schema):
    id_number: str


class EmploymentOut(Schema):
    id: int
    person_id: int
    enterprise_id: int
    start_date: date
    end_date: date | None
    form: str
    monthly_wage_fen: int


class EmploymentCreate(Schema):
    enterprise_id: int
    start_date: date
    form: str = Field(..., examples=["labour_contract"])
    monthly_wage_fen: int = Field(..., ge=0)


class EndIn(Schema):
    end_date: date


class MembershipOut(Schema):
    id: int
    person_id: int
    union_id: int
    joined_on: date
    left_on: date | None
    transferred_from_id: int | None


class MembershipCreate(Schema):
    union_id: int
    joined_on: date


class LeaveIn(Schema):
    left_on: date


class TransferIn(Schema):
    union_id: int
    on: date


class GrantOut(Schema):
    role: str
    organization_id: int | None
    personal_data: bool


class MeOut(Schema):
    id: int
    username: str
    person: PersonOut | None
    grants: list[GrantOut]


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreate(Schema):
    name: str = Field(..., max_length=64)


class TokenIssued(TokenOut):
    token: str = Field(..., description="只显示这一次，请妥善保存")
