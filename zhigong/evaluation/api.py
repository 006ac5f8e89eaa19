"""三位一体评价 over JSON (mounted at /api/v1/evaluation/ by zhigong/api.py): indicator sets,
the scores of the federation and the assessor, the workers' anonymous survey, an enterprise's
evaluation with every indicator's figures, a federation's ranking and weakest indicators."""

from django.http import HttpRequest
from ninja import Router, Status

from zhigong.core.errors import NotFound
from zhigong.evaluation import actions, display, queries
from zhigong.evaluation.models import Evaluation, IndicatorSet, Survey
from zhigong.evaluation.schemas import (
    AnswerIn,
    BatchOut,
    EvaluationOut,
    FederationOut,
    IndicatorSetIn,
    IndicatorSetOut,
    ScoreIn,
    ScoreOut,
    SurveyOut,
)

router = Router(tags=["evaluation"])


def _set_out(found: IndicatorSet) -> dict:
    return {"id": found.pk, "year": found.year, "region_code": found.region_code, "name": found.name,
            "bands": found.bands, "survey_questions": found.survey_questions, "survey_scale": found.survey_scale,
            "survey_minimum": found.survey_minimum,
            "indicators": [{"code": i.code, "name": display.name(i.code, i.name), "kind": i.kind, "party": i.party,
                            "weight": i.weight} for i in found.indicators.all()]}


def _evaluation_out(request, evaluation: Evaluation) -> dict:
    view = queries.enterprise_view(request.user, evaluation.enterprise, evaluation.year)
    return {"enterprise_id": evaluation.enterprise_id, "enterprise": evaluation.enterprise.name,
            "year": evaluation.year, "score_hundredths": evaluation.score_hundredths,
            "score": display.score(evaluation.score_hundredths), "grade": evaluation.grade,
            "computed_on": evaluation.computed_on, "computed_by": evaluation.computed_by,
            "indicator_set_id": evaluation.indicator_set_id, "facts": evaluation.facts,
            "lines": [line.__dict__ for line in view["lines"]], "improve": [x.code for x in view["improve"]]}


def _survey_out(request, survey: Survey) -> dict:
    return {**{f: getattr(survey, f) for f in ("id", "enterprise_id", "year", "status", "questions", "scale",
                                               "minimum", "opened_on", "closed_on")},
            "enterprise": survey.enterprise.name, "answers": survey.answers.count(),
            "answered_by_me": actions.has_answered(request.user, survey)}


# --- Indicator sets ------------------------------------------------------------------------------

@router.get("/indicator-sets/effective", response=IndicatorSetOut, summary="适用的评价指标体系")
def effective_set(request: HttpRequest, year: int, region_code: str = ""):
    return _set_out(actions.indicator_set(region_code, year))


@router.post("/indicator-sets", response={201: IndicatorSetOut}, summary="制定评价指标体系（权重合计100）")
def define_set(request, payload: IndicatorSetIn):
    found = actions.define_indicator_set(request.user, payload.year, payload.region_code, payload.name,
                                         [i.dict() for i in payload.indicators], payload.bands)
    return Status(201, _set_out(found))


# --- One enterprise ------------------------------------------------------------------------------

@router.get("/enterprises/{enterprise_id}/{year}", response=EvaluationOut, summary="企业年度评价结果及计算依据")
def get_evaluation(request, enterprise_id: int, year: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    evaluation = queries.visible(request.user, Evaluation).filter(enterprise=enterprise, year=year).first()
    if evaluation is None:
        raise NotFound("evaluation")
    return _evaluation_out(request, evaluation)


@router.post("/enterprises/{enterprise_id}/{year}/compute", response=EvaluationOut, summary="计算企业年度评价")
def compute(request, enterprise_id: int, year: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return _evaluation_out(request, actions.compute_evaluation(request.user, enterprise, year))


@router.get("/enterprises/{enterprise_id}/{year}/scores", response=list[ScoreOut], summary="上级工会和第三方评分")
def scores(request, enterprise_id: int, year: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return queries.enterprise_view(request.user, enterprise, year)["scores"]


@router.put("/enterprises/{enterprise_id}/{year}/scores/{code}", response=ScoreOut, summary="录入评分（0–100）")
def enter_score(request, enterprise_id: int, year: int, code: str, payload: ScoreIn):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return actions.enter_score(request.user, enterprise, year, code, payload.value, payload.note)


@router.post("/enterprises/{enterprise_id}/{year}/survey", response={201: SurveyOut}, summary="开始职工满意度测评")
def open_survey(request, enterprise_id: int, year: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return Status(201, _survey_out(request, actions.open_survey(request.user, enterprise, year)))


# --- The survey ----------------------------------------------------------------------------------

@router.get("/my/surveys", response=list[SurveyOut], summary="我可参加的满意度测评")
def my_surveys(request):
    return [_survey_out(request, s) for s in queries.open_surveys(request.user)]


@router.get("/surveys/{survey_id}", response=SurveyOut, summary="满意度测评")
def get_survey(request, survey_id: int):
    return _survey_out(request, queries.access_survey(request.user, survey_id))


@router.post("/surveys/{survey_id}/answers", response={201: SurveyOut}, summary="匿名参加测评（每人一次）")
def answer(request, survey_id: int, payload: AnswerIn):
    survey = queries.access_survey(request.user, survey_id)
    actions.answer_survey(request.user, survey, payload.ratings)
    return Status(201, _survey_out(request, survey))


@router.post("/surveys/{survey_id}/close", response=SurveyOut, summary="结束测评")
def close_survey(request, survey_id: int):
    survey = queries.access_survey(request.user, survey_id)
    return _survey_out(request, actions.close_survey(request.user, survey))


# --- A federation --------------------------------------------------------------------------------

def federation_summary(user, federation, year: int) -> dict:
    ranked = list(queries.ranking(user, federation, year))
    return {"federation_id": federation.pk, "federation": federation.name, "year": year,
            "enterprises": queries.enterprise_count(user, federation), "evaluated": len(ranked),
            "grades": queries.grade_counts(user, federation, year),
            "ranking": [{"rank": n, "enterprise_id": e.enterprise_id, "enterprise": e.enterprise.name,
                         "score_hundredths": e.score_hundredths, "score": display.score(e.score_hundredths),
                         "grade": e.grade} for n, e in enumerate(ranked, start=1)],
            "weakest": queries.weakest(user, federation, year)}


@router.get("/federations/{federation_id}/{year}", response=FederationOut, summary="总工会所属企业评价排名和薄弱指标")
def federation(request, federation_id: int, year: int):
    return federation_summary(request.user, queries.access_federation(request.user, federation_id), year)


@router.post("/federations/{federation_id}/{year}/compute", response=BatchOut, summary="批量计算所属企业年度评价")
def compute_federation(request, federation_id: int, year: int):
    found = queries.access_federation(request.user, federation_id)
    return actions.compute_federation(request.user, found, year).__dict__
