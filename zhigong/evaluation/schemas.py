"""API schemas of the three-party evaluation."""

from datetime import date

from ninja import Field, Schema


class IndicatorIn(Schema):
    code: str = Field(..., max_length=40, examples=["congress_on_time"])
    name: str = Field("", max_length=64, examples=["职代会按期召开"])
    kind: str = Field(..., examples=["auto"])
    party: str = Field("", examples=[""])
    weight: int = Field(..., examples=[10])


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    party: str
    weight: int


class QuestionOut(Schema):
    code: str
    text: str


class IndicatorSetIn(Schema):
    year: int = Field(..., examples=[2026])
    region_code: str = Field("", max_length=6, examples=["320102"])
    name: str = Field(..., max_length=128)
    indicators: list[IndicatorIn]
    bands: list[tuple[int, str]] = Field(..., examples=[[[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]])


class IndicatorSetOut(Schema):
    id: int
    year: int
    region_code: str
    name: str
    bands: list[tuple[int, str]]
    survey_questions: list[QuestionOut]
    survey_scale: int
    survey_minimum: int
    indicators: list[IndicatorOut]


class LineOut(Schema):
    code: str
    name: str
    kind: str
    party: str
    weight: int
    done: int
    due: int
    share_permille: int = Field(..., description="-1: nothing to judge; its weight goes to the others")
    points_hundredths: int
    formula: str


class EvaluationOut(Schema):
    enterprise_id: int
    enterprise: str
    year: int
    score_hundredths: int
    score: str
    grade: str
    computed_on: date
    computed_by: str
    indicator_set_id: int
    facts: dict
    lines: list[LineOut]
    improve: list[str]


class ScoreIn(Schema):
    value: float = Field(..., examples=[88.5], description="0–100, one decimal")
    note: str = Field(..., max_length=5000, examples=["会议程序规范，决议落实台账完整。"])


class ScoreOut(Schema):
    enterprise_id: int
    year: int
    code: str
    party: str
    value_tenths: int
    note: str
    by: str = Field(..., alias="by.username")


class SurveyOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    year: int
    status: str
    questions: list[QuestionOut]
    scale: int
    minimum: int
    opened_on: date
    closed_on: date | None
    answers: int
    answered_by_me: bool


class AnswerIn(Schema):
    ratings: dict[str, int] = Field(..., examples=[{"congress_role": 4, "disclosure": 5, "proposals": 4,
                                                    "voice": 3, "overall": 4}])


class RankOut(Schema):
    rank: int
    enterprise_id: int
    enterprise: str
    score_hundredths: int
    score: str
    grade: str


class WeakOut(Schema):
    code: str
    name: str
    average_permille: int
    judged: int
    below: int = Field(..., description="enterprises below 60% on this indicator")


class FederationOut(Schema):
    federation_id: int
    federation: str
    year: int
    enterprises: int
    evaluated: int
    grades: dict[str, int]
    ranking: list[RankOut]
    weakest: list[WeakOut]


class BatchOut(Schema):
    enterprises: int
    sha256: str
    grades: dict[str, int]
