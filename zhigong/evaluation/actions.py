"""Every change to the three-party evaluation: policy check → rules → one transaction → trail
event.

Who may do what: the superior federation's cadres ("evaluate" over the enterprise) score the
federation's indicator, open and close the workers' survey and compute grades; a third-party
assessor ("assess", a grant over the enterprise) scores the assessor's indicator; a worker of
the enterprise answers its survey once, anonymously (no trail event per answer: the closing
event records the count and a digest of all answers, as secret ballots do)."""

import hashlib
import random
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization
from zhigong.evaluation import batch, facts, rules
from zhigong.evaluation.models import (
    Evaluation,
    Indicator,
    IndicatorSet,
    PartyScore,
    Survey,
    SurveyAnswer,
    SurveyRoll,
)
from zhigong.trail.canonical import canonical_json

MESSAGES = {
    "score.not_a_number": gettext_lazy("得分应为0到100之间的数字。"),
    "score.range": gettext_lazy("得分应在0到100之间。"),
    "score.precision": gettext_lazy("得分最多保留一位小数。"),
    "indicators.weight_positive": gettext_lazy("每项指标的权重应大于0。"),
    "indicators.weights": gettext_lazy("各项指标权重之和应为100，目前为%(total)d。"),
    "indicators.duplicate": gettext_lazy("指标代码不能重复。"),
    "indicators.unknown_auto": gettext_lazy("自动指标代码不正确。"),
    "indicators.party": gettext_lazy("评分指标应注明评分方：上级工会、职工或第三方评估机构。"),
    "indicators.kind": gettext_lazy("指标类别应为自动指标或评分指标。"),
    "bands.order": gettext_lazy("等次分数线应从高到低排列，最后一档为0分。"),
    "bands.values": gettext_lazy("等次分数线应在0到100之间，且每档都有名称。"),
    "survey.incomplete": gettext_lazy("请对每一道题目作出评价。"),
    "survey.rating": gettext_lazy("每题的评价应为1到%(scale)d之间的整数。"),
}


def _today() -> date:
    return timezone.localdate()


def _error(code: str, field: str, **values) -> DomainError:
    return DomainError(code, MESSAGES[code] % values if values else MESSAGES[code], field=field)


def _enterprise(enterprise: Organization) -> None:
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise DomainError("evaluation.not_enterprise", _("只有企业参加评价。"), field="enterprise")


def _year(year: int) -> None:
    if not 2000 <= year <= _today().year:
        raise DomainError("evaluation.year", _("评价年度应在2000年到今年之间。"), field="year")


def indicator_set(region_code: str, year: int) -> IndicatorSet:
    found = facts.indicator_set_for(region_code, year)
    if found is None:
        raise DomainError("evaluation.no_indicators", _("%(year)d年度没有适用的评价指标体系。") % {"year": year},
                          field="year")
    return found


def rule_indicators(found: IndicatorSet) -> list[rules.Indicator]:
    return [rules.Indicator(i.code, i.weight, i.kind, i.party) for i in found.indicators.all()]


# --- Indicator sets ------------------------------------------------------------------------------

def _may_define(actor, region_code: str) -> bool:
    if policy.is_platform_admin(actor):
        return True
    federations = Organization.objects.filter(kind=Organization.Kind.FEDERATION, region_id=region_code or "-")
    return any(policy.may_organization(actor, "evaluate", f) for f in federations)


def define_indicator_set(actor, year: int, region_code: str, name: str, indicators: list[dict],
                         bands: list[tuple[int, str]], survey_questions: list[dict] | None = None) -> IndicatorSet:
    """A new set for a year (nationally: platform administrators; a region: its federation's
    cadres). Weights must total 100; a set once used by an evaluation is kept: a change is a
    set for a later year."""
    if not _may_define(actor, region_code):
        raise PermissionDenied("define_indicator_set")
    if not 2000 <= year <= 2100:
        raise DomainError("evaluation.year", _("评价年度应在2000年到2100年之间。"), field="year")
    parsed = [rules.Indicator(str(i.get("code", "")), int(i.get("weight", 0)), str(i.get("kind", "")),
                              str(i.get("party", "") or "")) for i in indicators]
    error = rules.weights_error(parsed)
    if error:
        raise _error(error, "indicators", **({"total": sum(i.weight for i in parsed)}
                                              if error == "indicators.weights" else {}))
    bands = [(int(m), str(n).strip()) for m, n in bands]
    error = rules.bands_error(bands)
    if error:
        raise _error(error, "bands")
    questions = survey_questions or _default_questions()
    if IndicatorSet.objects.filter(year=year, region_code=region_code).exists():
        raise DomainError("indicators.exists", _("该地区该年度已有评价指标体系。"), field="year")
    with transaction.atomic():
        found = IndicatorSet.objects.create(year=year, region_code=region_code, name=_name(name), bands=bands,
                                            survey_questions=questions)
        Indicator.objects.bulk_create([
            Indicator(indicator_set=found, code=i.code, name=str(raw.get("name") or i.code)[:64], kind=i.kind,
                      party=i.party if i.kind == rules.SCORED else "", weight=i.weight, order=n)
            for n, (i, raw) in enumerate(zip(parsed, indicators, strict=True), start=1)])
        trail.record(actor, "evaluation.indicators.define", found, {
            "year": year, "region": region_code or "national",
            "weights": {i.code: i.weight for i in parsed}, "bands": bands})
    return found


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise DomainError("required", _("请填写名称（不超过128个字）。"), field="name")
    return name


def _default_questions() -> list[dict]:
    national = IndicatorSet.objects.filter(region_code="").order_by("-year").first()
    return list(national.survey_questions) if national else []


# --- Scores of the federation and the assessor ---------------------------------------------------

PARTY_ACTION = {rules.FEDERATION: "evaluate", rules.ASSESSOR: "assess"}


def may_score(actor, enterprise: Organization, party: str) -> bool:
    action = PARTY_ACTION.get(party)
    return action is not None and policy.may_organization(actor, action, enterprise)


def enter_score(actor, enterprise: Organization, year: int, code: str, value, note: str) -> PartyScore:
    """The federation's or the assessor's score for one scored indicator (0–100, one decimal),
    with the reasons, which the enterprise sees. Entering again replaces it; the trail keeps both."""
    _enterprise(enterprise)
    _year(year)
    indicator = indicator_set(enterprise.region_id, year).indicators.filter(
        code=code, kind=Indicator.Kind.SCORED).exclude(party=Indicator.Party.WORKERS).first()
    if indicator is None:
        raise DomainError("score.indicator", _("该指标不由评分录入。"), field="code")
    if not may_score(actor, enterprise, indicator.party):
        raise PermissionDenied("enter_score")
    error = rules.score_error(value)
    if error:
        raise _error(error, "value")
    note = (note or "").strip()
    if not note or len(note) > 5000:
        raise DomainError("score.note", _("请说明评分理由（不超过5000字）。"), field="note")
    tenths = rules.score_tenths(value)
    with transaction.atomic():
        row, _created = PartyScore.objects.update_or_create(
            enterprise=enterprise, year=year, code=code,
            defaults={"party": indicator.party, "value_tenths": tenths, "note": note, "by": actor,
                      "region_id": enterprise.region_id})
        trail.record(actor, "evaluation.score", row, {
            "enterprise": enterprise.pk, "year": year, "code": code, "party": indicator.party,
            "value_tenths": tenths, "note_sha256": hashlib.sha256(note.encode()).hexdigest()})
    return row


# --- The workers' survey -------------------------------------------------------------------------

def open_survey(actor, enterprise: Organization, year: int) -> Survey:
    _enterprise(enterprise)
    _year(year)
    if not policy.may_organization(actor, "evaluate", enterprise):
        raise PermissionDenied("open_survey")
    found = indicator_set(enterprise.region_id, year)
    if not found.survey_questions:
        raise DomainError("survey.no_questions", _("评价指标体系中没有测评题目。"), field="year")
    if Survey.objects.filter(enterprise=enterprise, year=year).exists():
        raise DomainError("survey.exists", _("该企业本年度的满意度测评已经开始。"), field="year")
    with transaction.atomic():
        survey = Survey.objects.create(
            enterprise=enterprise, year=year, questions=found.survey_questions, scale=found.survey_scale,
            minimum=found.survey_minimum, opened_on=_today(), region_id=enterprise.region_id)
        trail.record(actor, "evaluation.survey.open", survey, {"enterprise": enterprise.pk, "year": year,
                                                               "questions": [q["code"] for q in survey.questions]})
    return survey


def may_answer(actor, survey: Survey) -> bool:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    return person is not None and person.employments.filter(enterprise=survey.enterprise_id,
                                                            end_date__isnull=True).exists()


def has_answered(actor, survey: Survey) -> bool:
    return SurveyRoll.objects.filter(survey=survey, person_id=getattr(actor, "person_id", None) or -1).exists()


def answer_survey(actor, survey: Survey, ratings: dict) -> None:
    """One anonymous answer per worker of the enterprise: the roll records that the person
    answered, the answer row has no link to them. Returns nothing, so that no caller holds the
    answer next to the person."""
    if not may_answer(actor, survey):
        raise PermissionDenied("answer_survey")
    codes = [q["code"] for q in survey.questions]
    error = rules.ratings_error(ratings, codes, survey.scale)
    if error:
        raise _error(error, "ratings", **({"scale": survey.scale} if error == "survey.rating" else {}))
    with transaction.atomic():
        # The status under the row lock close_survey takes too: a survey closed meanwhile takes no answer.
        if not Survey.objects.select_for_update().filter(pk=survey.pk, status=Survey.Status.OPEN).exists():
            raise DomainError("survey.closed", _("本次测评已经结束。"), field="ratings")
        try:
            with transaction.atomic():
                SurveyRoll.objects.create(survey=survey, person_id=actor.person_id)
        except IntegrityError:
            raise DomainError("survey.twice", _("您已参加过本次测评，每人只能提交一次。"), field="ratings") from None
        SurveyAnswer.objects.create(survey=survey, ratings={c: ratings[c] for c in codes},
                                    points=rules.answer_points(ratings))


def close_survey(actor, survey: Survey) -> Survey:
    if not policy.may_organization(actor, "evaluate", survey.enterprise):
        raise PermissionDenied("close_survey")
    if survey.status != Survey.Status.OPEN:
        raise DomainError("survey.closed", _("本次测评已经结束。"), field="status")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        answers = sorted(canonical_json(r).decode() for r in locked.answers.values_list("ratings", flat=True))
        locked.status, locked.closed_on = Survey.Status.CLOSED, _today()
        locked.save(update_fields=["status", "closed_on"])
        _reshuffle(locked)
        trail.record(actor, "evaluation.survey.close", locked, {
            "answers": len(answers), "roll": locked.roll.count(),
            "sha256": hashlib.sha256("\n".join(answers).encode()).hexdigest()})
    return locked


def _reshuffle(survey: Survey) -> None:
    """Rewrite the answers and the roll in random order, in one statement each (as the
    congress does with secret ballots at close): an answer and the roll entry written in the
    same transaction share PostgreSQL's xmin and sit side by side on disk until then."""
    answers = list(survey.answers.values_list("ratings", "points"))
    random.SystemRandom().shuffle(answers)
    roll = sorted(survey.roll.values_list("person_id", flat=True))
    survey.answers.all().delete()
    survey.roll.all().delete()
    SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, ratings=r, points=p) for r, p in answers])
    SurveyRoll.objects.bulk_create([SurveyRoll(survey=survey, person_id=p) for p in roll])


# --- Grades --------------------------------------------------------------------------------------

def may_compute(actor, enterprise: Organization) -> bool:
    return policy.may_organization(actor, "evaluate", enterprise) or policy.may_organization(
        actor, "change", enterprise)


def compute_evaluation(actor, enterprise: Organization, year: int, today: date | None = None) -> Evaluation:
    """Grade one enterprise's year from its facts, read object by object (facts.py)."""
    _enterprise(enterprise)
    _year(year)
    if not may_compute(actor, enterprise):
        raise PermissionDenied("compute_evaluation")
    today = today or _today()
    found = indicator_set(enterprise.region_id, year)
    indicators = rule_indicators(found)
    known = facts.enterprise_facts(enterprise, year, today, found)
    found_rates = rules.rates(indicators, known)
    [outcome] = rules.outcomes(indicators, [tuple(b) for b in found.bands], [[r.done for r in found_rates]],
                               [[r.due for r in found_rates]])
    with transaction.atomic():
        batch.store([(enterprise.pk, enterprise.region_id, known, found_rates, outcome)], found, indicators, year,
                    today, "single")
        evaluation = Evaluation.objects.get(enterprise=enterprise, year=year)
        trail.record(actor, "evaluation.compute", evaluation, {
            "year": year, "score_hundredths": outcome.score_hundredths, "grade": outcome.grade,
            "indicator_set": found.pk, "facts_sha256": hashlib.sha256(canonical_json(known)).hexdigest()})
    return evaluation


def compute_federation(actor, federation: Organization, year: int, today: date | None = None) -> batch.Summary:
    """Grade every enterprise under a federation, column-wise (batch.py): one trail event with
    the digest of what was written."""
    if federation.kind != Organization.Kind.FEDERATION:
        raise DomainError("evaluation.not_federation", _("请选择总工会。"), field="federation")
    _year(year)
    if not policy.may_organization(actor, "evaluate", federation):
        raise PermissionDenied("compute_federation")
    today = today or _today()
    with transaction.atomic():
        summary = batch.evaluate_federation(federation, year, today)
        trail.record(actor, "evaluation.compute_batch", federation, {
            "year": year, "enterprises": summary.enterprises, "sha256": summary.sha256})
    return summary
