"""API schemas of decision tracking."""

from datetime import date, datetime

from ninja import Field, Schema

from zhigong.trail.api import InclusionOut


class PlanIn(Schema):
    due_on: date | None = Field(
        None, description="落实期限；不填按规则 tracking.default_due_months（全国默认表决后12个月）")
    department_id: int | None = None


class MeasureIn(Schema):
    title: str = Field(..., max_length=200, examples=["改造职工食堂灶台"])
    weight: int = Field(1, description="权重，1–100", examples=[2])
    due_on: date
    department_id: int | None = None
    reason: str = Field("", description="新增措施使决议进度下降时必填")


class ProgressIn(Schema):
    percent: int = Field(..., examples=[60])
    note: str = Field(..., max_length=5000, examples=["灶台改造完成过半。"])
    on: date | None = Field(None, description="日期；不填为今天")
    reason: str = Field("", description="进度低于上次时必填")


class EvidenceOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    sha256: str
    event_seq: int | None


class EntryOut(Schema):
    id: int
    measure_id: int
    on: date
    percent: int
    previous: int
    note: str
    reason: str
    batch_id: int | None
    event_seq: int | None
    files: list[EvidenceOut] = Field(default_factory=list)


class MeasureOut(Schema):
    id: int
    number: int
    title: str
    weight: int
    department: str | None = None
    due_on: date
    progress: int
    done_on: date | None
    overdue: bool = False


class StepOut(Schema):
    seq: int
    at: datetime
    verb: str
    leaf: str | None = Field(None, description="留痕叶子原文（仅本模块的事件）；SHA-256(0x00‖叶子) = leaf_hash")
    entry_ids: list[int] = Field(default_factory=list)
    measure_id: int | None = None
    proof: InclusionOut | None


class ResolutionTrackingOut(Schema):
    resolution_id: int
    number: str
    text: str
    enterprise_id: int
    decided_on: date
    state: str = Field(..., description="not_tracked / unplanned / carrying_out / carried_out")
    progress: int
    due_on: date | None
    overdue: bool
    department: str | None
    carried_out_on: date | None
    measures: list[MeasureOut]
    entries: list[EntryOut]
    steps: list[StepOut]


class UpdateOut(Schema):
    id: int
    on: date
    percent: int
    note: str


class ProposalTrackingOut(Schema):
    proposal_id: int
    number: str
    title: str
    state: str
    progress: int
    lead_department: str | None
    due_on: date | None
    overdue: bool
    updates: list[UpdateOut]
    steps: list[StepOut]


class ResolutionRow(Schema):
    id: int
    number: str
    title: str
    decided_on: date
    state: str
    progress: int
    due_on: date | None
    overdue: bool


class ResolutionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ResolutionRow]


class ProposalRow(Schema):
    id: int
    number: str
    title: str
    state: str
    progress: int
    due_on: date | None


class ProposalPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProposalRow]


class OverviewOut(Schema):
    enterprise_id: int
    resolutions: int
    resolution_states: dict[str, int]
    resolutions_overdue: int
    measures: int
    measures_overdue: int
    proposal_states: dict[str, int]
    overdue_by_department: list[tuple[str, int]]
    overdue_measures: list[MeasureOut]


class ImportRowError(Schema):
    row: int
    column: str
    column_label: str
    value: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str = Field(..., description="measures / proposals")
    rows: int
    sha256: str = Field(..., description="SHA-256 of the canonical JSON of the entries written (docs/tracking.md)")
    file_sha256: str
    event_seq: int
