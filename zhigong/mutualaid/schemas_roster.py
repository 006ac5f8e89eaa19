"""API schemas of the roster: uploads and what their check found, cover, enrolments with their
participation rate, collective enrolment, renewal, leaving and moving."""

from datetime import date, datetime

from ninja import Field, Schema


class IssueOut(Schema):
    row: int = Field(..., description="Excel行号（第1行为列名）")
    column: str
    code: str
    message: str


class UploadOut(Schema):
    id: int
    enterprise_id: int
    state: str
    digest: str
    starts_on: date | None
    rows: int
    error_rows: int
    imported_rows: int
    created_at: datetime
    summary: dict


class UploadDetail(UploadOut):
    errors: list[IssueOut] = Field(..., description="前2,000处问题")


class ImportIn(Schema):
    only_clean_rows: bool = Field(False, description="明确选择只导入无误的行；否则有误时不导入任何数据")


class CoverageOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    id_masked: str = Field(..., alias="person.id_masked")
    enterprise_id: int
    enrolment_id: int
    plan_code: str = Field(..., alias="version.plan.code")
    plan_name: str = Field(..., alias="version.plan.name")
    shares: int
    medical_insured: bool
    monthly_wage_fen: int | None
    employment_start: date | None
    starts_on: date
    waiting_ends_on: date
    ends_on: date
    state: str
    left_on: date | None
    end_reason: str
    renewed_from_id: int | None


class CoveragePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CoverageOut]


class WorkerIn(Schema):
    name: str
    id_number: str
    mobile: str = ""
    employment_start: str = Field(..., description="入职日期，如2015-07-01")
    monthly_wage: str = Field("", description="月工资（元），可空")
    plan: str = Field(..., description="计划名称或代码")
    shares: str = ""
    medical_insured: str = Field("", description="参加职工医保：是或否，空白按是")
    starts_on: date


class ParticipationOut(Schema):
    covered: int
    members: int
    rate: int | None
    minimum: int
    below: bool


class EnrolmentOut(Schema):
    id: int
    enterprise_id: int
    plan_code: str = Field(..., alias="version.plan.code")
    plan_name: str = Field(..., alias="version.plan.name")
    version_label: str = Field(..., alias="version.label")
    pool_id: int
    starts_on: date
    ends_on: date
    state: str
    renewed_from_id: int | None


class EnrolmentDetail(EnrolmentOut):
    participation: ParticipationOut


class MembersIn(Schema):
    plan_code: str
    starts_on: date
    shares: int = 1


class RefusedOut(Schema):
    person: int
    name: str
    code: str
    message: str


class EnrolledOut(Schema):
    enrolment: EnrolmentOut
    written: int
    already: int
    refused: list[RefusedOut]
    participation: ParticipationOut


class RenewedOut(Schema):
    enrolment: EnrolmentOut
    written: int
    refused: list[RefusedOut]


class LeaveIn(Schema):
    left_on: date


class MoveIn(Schema):
    enterprise_id: int
    left_on: date
