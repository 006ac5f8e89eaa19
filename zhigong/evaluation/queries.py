"""Reads of the evaluation, always scoped by the policy: an enterprise's evaluation with how
each score came about, a federation's ranking and weakest indicators, surveys open to a worker."""

from django.db.models import Avg, Count, Q, QuerySet

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Organization
from zhigong.evaluation import actions, display, facts, rules
from zhigong.evaluation.models import Evaluation, EvaluationLine, Indicator, PartyScore, Survey

OWNER = {Evaluation: "enterprise", PartyScore: "enterprise", Survey: "enterprise",
         EvaluationLine: "evaluation__enterprise"}


def visible(user, model) -> QuerySet:
    return policy.scoped(user, model.objects.all(), OWNER[model])


def access_enterprise(user, pk) -> Organization:
    org = policy.access_organization(user, pk)
    if org.kind != Organization.Kind.ENTERPRISE:
        raise NotFound("enterprise")
    return org


def access_federation(user, pk) -> Organization:
    org = policy.access_organization(user, pk)
    if org.kind != Organization.Kind.FEDERATION:
        raise NotFound("federation")
    return org


def access_survey(user, pk) -> Survey:
    """A worker of the enterprise reaches its survey to answer it; those who see the
    enterprise reach it too."""
    survey = Survey.objects.filter(pk=_as_int(pk)).select_related("enterprise").first()
    if survey is None or not (actions.may_answer(user, survey)
                              or visible(user, Survey).filter(pk=survey.pk).exists()):
        raise NotFound("survey")
    return survey


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def evaluating_federations(user) -> list[Organization]:
    """Federations whose enterprises this user evaluates, highest first."""
    found = policy.visible_organizations(user).filter(kind=Organization.Kind.FEDERATION).order_by("path")
    kept: list[Organization] = []
    for org in found[:500]:
        if policy.may_organization(user, "evaluate", org) and not any(org.path.startswith(k.path) for k in kept):
            kept.append(org)
    return kept


def own_enterprises(user) -> list[Organization]:
    """Enterprises the user runs or assesses, or works in."""
    found = policy.visible_organizations(user).filter(kind=Organization.Kind.ENTERPRISE).order_by("name")
    return [org for org in found[:200] if policy.may_organization(user, "change", org)
            or policy.may_organization(user, "assess", org)]


def open_surveys(user) -> list[Survey]:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    employers = person.employments.filter(end_date__isnull=True).values("enterprise")
    surveys = Survey.objects.filter(enterprise__in=employers, status=Survey.Status.OPEN).select_related("enterprise")
    return [s for s in surveys if not actions.has_answered(user, s)]


# --- One enterprise ------------------------------------------------------------------------------

def lines(evaluation: Evaluation) -> list[display.Line]:
    stored = {i.code: i for i in evaluation.indicator_set.indicators.all()}
    out = []
    for line in evaluation.lines.all():
        indicator = stored.get(line.code)
        out.append(display.Line(
            line.code, display.name(line.code, indicator.name if indicator else ""),
            display.short(line.code, indicator.name if indicator else ""), indicator.kind if indicator else "",
            indicator.party if indicator else "", line.weight, line.done, line.due, line.share_permille,
            line.points_hundredths, display.formula(line.code, line.done, line.due, evaluation.facts)))
    return out


def enterprise_view(user, enterprise: Organization, year: int) -> dict:
    """The evaluation of an enterprise's year (None until computed), what to improve, the
    scores entered with their reasons, the survey, and the indicator set in force."""
    evaluation = visible(user, Evaluation).filter(enterprise=enterprise, year=year).select_related(
        "indicator_set").first()
    indicator_set = facts.indicator_set_for(enterprise.region_id, year)
    shown = lines(evaluation) if evaluation else []
    improve = []
    if evaluation:
        indicators = [rules.Indicator(x.code, x.weight, x.kind, x.party) for x in shown]
        worst = rules.to_improve(indicators, {x.code: x.share_permille for x in shown})
        improve = [x for code in worst for x in shown if x.code == code]
    scores = list(visible(user, PartyScore).filter(enterprise=enterprise, year=year).select_related("by"))
    return {"evaluation": evaluation, "lines": shown, "improve": improve, "scores": scores,
            "survey": Survey.objects.filter(enterprise=enterprise, year=year).first(),
            "indicator_set": indicator_set,
            "scored": list(indicator_set.indicators.filter(kind=Indicator.Kind.SCORED)) if indicator_set else []}


# --- A federation --------------------------------------------------------------------------------

def ranking(user, federation: Organization, year: int) -> QuerySet:
    """The federation's enterprises' evaluations, best first (ties by name)."""
    return (visible(user, Evaluation).filter(enterprise__path__startswith=federation.path, year=year)
            .select_related("enterprise").order_by("-score_hundredths", "enterprise__name", "enterprise_id"))


def weakest(user, federation: Organization, year: int) -> list[dict]:
    """Average share of each indicator over the federation's enterprises that had something to
    judge, weakest first; with how many enterprises fell below 60%."""
    rows = (visible(user, EvaluationLine).filter(evaluation__enterprise__path__startswith=federation.path,
                                                 evaluation__year=year, share_permille__gte=0)
            .values("code").annotate(average=Avg("share_permille"), judged=Count("id"),
                                     below=Count("id", filter=Q(share_permille__lt=600)))
            .order_by("average", "code"))
    return [{**row, "name": display.name(row["code"]), "short": display.short(row["code"]),
             "average_permille": int(round(row["average"])), "average": display.percent(int(round(row["average"])))}
            for row in rows]


def grade_counts(user, federation: Organization, year: int) -> dict[str, int]:
    return dict(ranking(user, federation, year).order_by().values_list("grade").annotate(n=Count("id")))


def enterprise_count(user, federation: Organization) -> int:
    return policy.visible_organizations(user).filter(kind=Organization.Kind.ENTERPRISE,
                                                     path__startswith=federation.path).count()
