"""API schemas of 厂务公开."""

from datetime import date, datetime

from ninja import Field, Schema


class MatterOut(Schema):
    id: int | None
    code: str
    name: str
    category: str
    frequency: str
    audience: str
    mandatory: bool
    default: bool
    congress_matter: str
    department_id: int | None


class MatterIn(Schema):
    name: str = Field(..., max_length=100, examples=["职工食堂收支情况"])
    category: str = Field(..., examples=["insurance"])
    frequency: str = Field(..., examples=["quarterly"])
    audience: str = Field("workers", examples=["workers"])
    department_id: int | None = None
    mandatory: bool = False


class DepartmentIn(Schema):
    department_id: int | None = None


class AdoptOut(Schema):
    added: list[str]


class TableIn(Schema):
    columns: list[str]
    rows: list[list[str]]


class FileOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    sha256: str


class PublicationOut(Schema):
    id: int
    enterprise_id: int
    matter_id: int
    matter: str = Field(..., alias="matter.name")
    kind: str
    period: str
    due_on: date
    session_id: int | None
    resolution_id: int | None
    audience: str
    title: str
    version: int
    previous_id: int | None
    published_on: date
    published_at: datetime
    sha256: str
    event_seq: int | None


class PublicationDetail(PublicationOut):
    text: str
    table: dict | None
    reason: str
    files: list[FileOut]
    corrected_by: int | None
    acknowledgement_count: int
    acknowledged_by_me: bool


class PublicationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PublicationOut]


class AcknowledgeOut(Schema):
    acknowledged: bool
    count: int


class QuestionIn(Schema):
    text: str = Field(..., max_length=1000, examples=["劳务派遣职工是否同步调整？"])


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)


class QuestionOut(Schema):
    id: int
    publication_id: int
    text: str
    asked_at: datetime
    answer: str
    answered_at: datetime | None


class DueOut(Schema):
    matter_code: str
    matter: str
    mandatory: bool
    period: str
    start: date
    end: date
    due_on: date
    status: str
    publication_id: int | None


class ComplianceOut(Schema):
    year: int
    due: int
    on_time: int
    late: int
    missing: int
    not_due: int
    rate: float | None
    by_quarter: dict[str, float | None]
    by_month: list[list[int]]
    missing_items: list[DueOut]
    late_items: list[DueOut]


class RankingRow(Schema):
    enterprise_id: int
    name: str
    due: int
    on_time: int
    rate: float | None


class RankingOut(Schema):
    year: int
    count: int
    page: int
    page_size: int
    items: list[RankingRow]


class HeatmapOut(Schema):
    year: int
    months: list[str]
    enterprises: list[RankingRow]
    cells: list[list[int | None]]  # per enterprise, per month: on-time rate in % (None: nothing due)
