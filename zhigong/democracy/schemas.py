"""API schemas of the congress."""

from datetime import date, datetime

from ninja import Field, Schema


class CheckOut(Schema):
    code: str
    ok: bool
    hard: bool
    figure: int | str
    threshold: int | str
    rule: str = ""


class CongressIn(Schema):
    enterprise_id: int
    name: str = ""


class CongressOut(Schema):
    id: int
    enterprise_id: int
    form: str
    name: str
    region_code: str = Field(..., alias="region_id")


class TermIn(Schema):
    number: int = Field(..., ge=1)
    start_date: date
    end_date: date
    workers: int = Field(..., ge=1)
    women_workers: int = Field(..., ge=0)


class TermOut(Schema):
    id: int
    congress_id: int
    number: int
    start_date: date
    end_date: date
    workers: int
    women_workers: int


class TermDetail(TermOut):
    delegates: int
    composition: list[CheckOut]


class ConstituencyIn(Schema):
    name: str = Field(..., max_length=64)
    kind: str = Field(..., examples=["workshop"])
    workers: int = Field(..., ge=1)


class ConstituencyOut(Schema):
    id: int
    term_id: int
    name: str
    kind: str
    workers: int


class DelegateFlags(Schema):
    frontline: bool = False
    manager: bool = False
    young: bool = False
    dispatched: bool = False
    disabled: bool = False


class DelegateIn(DelegateFlags):
    person_id: int
    elected_on: date
    votes_for: int = Field(..., ge=0)
    voters: int = Field(..., ge=1)


class DelegateOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    constituency_id: int
    elected_on: date
    votes_for: int
    voters: int
    frontline: bool
    manager: bool
    woman: bool
    young: bool
    dispatched: bool
    disabled: bool
    status: str
    replaces_id: int | None


class RecallIn(Schema):
    votes_for_recall: int = Field(..., ge=0)
    on: date


class CommitteeIn(Schema):
    kind: str
    name: str = Field(..., max_length=64)
    delegate_ids: list[int]


class CommitteeOut(Schema):
    id: int
    kind: str
    name: str


class InterimIn(Schema):
    by: str = Field(..., examples=["delegate"], description="delegate / union / enterprise_head")
    reason: str = Field(..., max_length=2000)


class InterimSupport(Schema):
    delegate_requests: int
    needed: int
    by_union_or_head: bool
    enough: bool


class SessionIn(Schema):
    title: str = ""
    starts_at: datetime
    location: str = ""
    kind: str = "regular"


class Attendance(Schema):
    delegates: int
    present: int
    needed: int
    still_needed: int
    quorum: bool


class SessionOut(Schema):
    id: int
    term_id: int
    number: int
    kind: str
    title: str
    starts_at: datetime
    location: str
    status: str
    opened_at: datetime | None
    closed_at: datetime | None


class SessionDetail(SessionOut):
    attendance: Attendance
    check_in_code: str | None = Field(None, description="只对会议主持方显示")


class CheckInIn(Schema):
    code: str = Field("", description="代表本人签到时填写会场签到码")
    delegate_id: int | None = Field(None, description="秘书处代签时填写代表编号")


class CheckInOut(Schema):
    id: int
    delegate_id: int
    by: str
    at: datetime


class AttendeeIn(Schema):
    name: str = Field(..., max_length=64)
    affiliation: str = ""


class AttendeeOut(Schema):
    id: int
    name: str
    affiliation: str


class ItemIn(Schema):
    title: str = Field(..., max_length=200)
    kind: str = Field(..., examples=["approve"], description="approve / advise / elect / appraise")
    matter: str = "other"
    description: str = ""
    important: bool = False
    secret: bool = False
    seats: int = Field(0, ge=0)
    recall_seat_id: int | None = None


class CandidateOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    note: str


class CandidateIn(Schema):
    person_id: int
    note: str = ""


class ItemOut(Schema):
    id: int
    session_id: int
    order: int
    title: str
    description: str
    kind: str
    matter: str
    important: bool
    secret: bool
    seats: int
    status: str
    round: int


class ItemDetail(ItemOut):
    candidates: list[CandidateOut]


class BallotIn(Schema):
    content: dict = Field(..., examples=[{"choice": "yes"}, {"approve": [3, 5]}, {"ratings": {"7": "competent"}}])
    commitment: str | None = Field(None, description="SHA-256（十六进制）：由代表手机根据选票内容和只有手机知道的随机数计算")


class Receipt(Schema):
    receipt: str
    commitment: str
    salt: str | None = Field(None, description="未提供 commitment 时由服务器生成，只返回这一次")
    round: int


class LiveOut(Schema):
    status: str
    present: int
    cast: int
    round: int
    result: dict | None


class BulletinEntry(Schema):
    receipt: str
    content: dict
    delegate: str | None = None


class Bulletin(Schema):
    round: int
    entries: list[BulletinEntry]
    result: dict
    digest: str
    digest_ok: bool


class AdviseIn(Schema):
    summary: str = Field(..., max_length=20000)


class ResolutionOut(Schema):
    id: int
    item_id: int
    number: str
    text: str
    figures: dict
    passed: bool
    event_seq: int
    created_at: datetime


class ResolutionDetail(ResolutionOut):
    proof: dict


class GovernanceIn(Schema):
    company_form: str = Field(..., examples=["llc"])
    has_supervisory_board: bool
    audit_committee_replaces_board: bool = False
    supervisory_board_size: int = Field(0, ge=0)


class SeatOut(Schema):
    id: int
    kind: str
    person_id: int
    name: str = Field(..., alias="person.name")
    term_start: date
    term_end: date
    status: str
    elected_by_id: int | None


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
