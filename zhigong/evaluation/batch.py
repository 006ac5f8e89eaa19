"""Every grade of a federation's enterprises at once: the facts read column by column (one
grouped SQL query per source over the federation's subtree, never a query per enterprise),
the scores computed as one numpy matrix per indicator set by rules.outcomes, the results
written in bulk. The one-enterprise action (actions.compute_evaluation) reads its facts object
by object (facts.py) and computes with the same rules.outcomes; a test proves they agree."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Sum

from zhigong.core.batch import insert_rows
from zhigong.core.models import Organization
from zhigong.democracy import rules as congress_rules
from zhigong.democracy.models import Congress, Delegate, Session, Term
from zhigong.democracy.rulebook import load as load_congress_rules
from zhigong.evaluation import facts as single
from zhigong.evaluation import rules
from zhigong.evaluation.models import Evaluation, EvaluationLine, IndicatorSet, PartyScore, Survey
from zhigong.participation.models import BoxMessage, Proposal
from zhigong.trail.canonical import canonical_json

CHUNK = 2000
LINE_FIELDS = ("evaluation_id", "code", "weight", "done", "due", "share_permille", "points_hundredths", "order")
SATISFIED = ("satisfied", "basically_satisfied")


@dataclass(frozen=True)
class Summary:
    enterprises: int
    sha256: str
    grades: dict[str, int]


def evaluate_federation(federation: Organization, year: int, today: date) -> Summary:
    """Compute and store the evaluation of every enterprise under `federation` for `year`.
    Runs inside the caller's transaction."""
    enterprises = dict(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, path__startswith=federation.path)
                       .values_list("id", "region_id"))
    known = federation_facts(federation.path, enterprises, year, today)
    rows = []
    for found, members in _by_indicator_set(enterprises, year).items():
        indicators = [rules.Indicator(i.code, i.weight, i.kind, i.party) for i in found.indicators.all()]
        found_rates = [rules.rates(indicators, known[pk]) for pk in members]
        results = rules.outcomes(indicators, [tuple(b) for b in found.bands],
                                 [[r.done for r in row] for row in found_rates],
                                 [[r.due for r in row] for row in found_rates])
        batch_rows = [(pk, enterprises[pk], known[pk], r, o) for pk, r, o in zip(members, found_rates, results,
                                                                               strict=True)]
        store(batch_rows, found, indicators, year, today, "batch")
        rows += batch_rows
    digest = hashlib.sha256(canonical_json(sorted([pk, o.score_hundredths, o.grade] for pk, _r, _f, _x, o in rows)))
    grades: dict[str, int] = defaultdict(int)
    for *_rest, outcome in rows:
        grades[outcome.grade] += 1
    return Summary(len(rows), digest.hexdigest(), dict(grades))


def _by_indicator_set(enterprises: dict[int, str], year: int) -> dict[IndicatorSet, list[int]]:
    sets: dict[str, IndicatorSet | None] = {}
    grouped: dict[IndicatorSet, list[int]] = defaultdict(list)
    for pk, region in sorted(enterprises.items()):
        if region not in sets:
            sets[region] = single.indicator_set_for(region, year)
        if sets[region] is not None:
            grouped[sets[region]].append(pk)
    return grouped


# --- Facts, column by column ---------------------------------------------------------------------

def federation_facts(path: str, enterprises: dict[int, str], year: int, today: date) -> dict[int, dict]:
    """The same dict per enterprise as facts.enterprise_facts, from grouped queries."""
    day = single.reference_day(year, today)
    required = {region: single.meetings_required(region, day) for region in set(enterprises.values())}
    out = {pk: _congress_defaults(required[region]) for pk, region in enterprises.items()}
    _sessions(out, path, year, today)
    _composition(out, path, day)
    for pk in out:
        out[pk]["meetings_counted"] = rules.meetings_counted(out[pk]["meetings_held"], out[pk]["meetings_required"])
    _voice(out, path, year, today)
    for pk, provided in single.provided_facts(list(enterprises), year, today).items():
        out[pk].update(provided)
    _parties(out, path, enterprises, year)
    return out


def _congress_defaults(required) -> dict:
    return {"meetings_required": int(required.value), "meetings_held": 0, "sessions_due": 0,
            "sessions_with_quorum": 0, "composition_passed": 0, "composition_checks": 0,
            "rules": [required.cite()]}


def _sessions(out: dict[int, dict], path: str, year: int, today: date) -> None:
    rows = (Session.objects.filter(term__congress__enterprise__path__startswith=path, starts_at__year=year)
            .values("term__congress__enterprise_id")
            .annotate(opened=Count("id", filter=Q(opened_at__isnull=False)),
                      failed=Count("id", filter=Q(opened_at__isnull=True, status=Session.Status.CONVENED,
                                                  starts_at__date__lt=today))))
    for row in rows:
        facts = out[row["term__congress__enterprise_id"]]
        facts["meetings_held"] = facts["sessions_with_quorum"] = row["opened"]
        facts["sessions_due"] = row["opened"] + row["failed"]


def _composition(out: dict[int, dict], path: str, day: date) -> None:
    """The checks of the term in force on the reference day (highest number), by
    democracy.rules.composition_checks with each region's limits."""
    terms = {}
    for pk, enterprise, _number, workers, women, region in (
            Term.objects.filter(congress__enterprise__path__startswith=path, congress__form=Congress.Form.CONGRESS,
                                start_date__lte=day, end_date__gte=day)
            .values_list("id", "congress__enterprise_id", "number", "workers", "women_workers", "congress__region_id")
            .order_by("number")):
        terms[enterprise] = (pk, workers, women, region)
    counts = {row["term_id"]: row for row in (
        Delegate.objects.filter(term_id__in=[t[0] for t in terms.values()], status=Delegate.Status.ACTIVE)
        .values("term_id").annotate(n=Count("id"), managers=Count("id", filter=Q(manager=True)),
                                    frontline=Count("id", filter=Q(frontline=True)),
                                    women=Count("id", filter=Q(woman=True))))}
    limits = {}
    for enterprise, (term_id, workers, women_workers, region) in terms.items():
        if region not in limits:
            limits[region] = load_congress_rules(region, day).limits
        c = counts.get(term_id, {"n": 0, "managers": 0, "frontline": 0, "women": 0})
        checks = congress_rules.composition_checks(congress_rules.Delegation(
            delegates=c["n"], managers=c["managers"], frontline=c["frontline"], women=c["women"],
            workers=workers, women_workers=women_workers), limits[region])
        out[enterprise]["composition_passed"] = sum(x.ok for x in checks)
        out[enterprise]["composition_checks"] = len(checks)


def _voice(out: dict[int, dict], path: str, year: int, today: date) -> None:
    """participation.rules.on_time_rate in SQL: due so far = answered or past its due day; on
    time = answered by the due day."""
    for facts in out.values():
        facts.update(proposals_answered_on_time=0, proposals_due=0, proposals_satisfied=0, proposals_rated=0,
                     box_answered_on_time=0, box_due=0)
    proposals = (Proposal.objects.filter(congress__enterprise__path__startswith=path, due_on__year=year)
                 .values("congress__enterprise_id")
                 .annotate(due=Count("id", filter=Q(answered_on__isnull=False) | Q(due_on__lt=today)),
                           on_time=Count("id", filter=Q(answered_on__isnull=False, answered_on__lte=F("due_on"))),
                           rated=Count("id", filter=~Q(rating="")),
                           satisfied=Count("id", filter=Q(rating__in=SATISFIED))))
    for row in proposals:
        out[row["congress__enterprise_id"]].update(
            proposals_answered_on_time=row["on_time"], proposals_due=row["due"],
            proposals_satisfied=row["satisfied"], proposals_rated=row["rated"])
    answered = Q(state=BoxMessage.State.ANSWERED)
    box = (BoxMessage.objects.filter(box__enterprise__path__startswith=path, due_on__year=year)
           .values("box__enterprise_id")
           .annotate(due=Count("id", filter=answered | Q(due_on__lt=today)),
                     on_time=Count("id", filter=answered & Q(answered_on__lte=F("due_on")))))
    for row in box:
        out[row["box__enterprise_id"]].update(box_answered_on_time=row["on_time"], box_due=row["due"])


def _parties(out: dict[int, dict], path: str, enterprises: dict[int, str], year: int) -> None:
    sets = {}
    for pk, region in enterprises.items():
        if region not in sets:
            sets[region] = single.indicator_set_for(region, year)
        found = sets[region]
        out[pk]["scores"] = {}
        out[pk].update(single.survey_defaults(found) if found else {})
    for enterprise, code, tenths in PartyScore.objects.filter(enterprise__path__startswith=path, year=year
                                                             ).values_list("enterprise_id", "code", "value_tenths"):
        out[enterprise]["scores"][code] = tenths
    surveys = (Survey.objects.filter(enterprise__path__startswith=path, year=year)
               .annotate(n=Count("answers"), total=Sum("answers__points"))
               .values_list("enterprise_id", "questions", "scale", "minimum", "n", "total"))
    for enterprise, questions, scale, minimum, n, total in surveys:
        out[enterprise].update(survey_questions=len(questions), survey_scale=scale, survey_minimum=minimum,
                               survey_answers=n, survey_points=total or 0)


# --- Writing -------------------------------------------------------------------------------------

def store(rows: list[tuple], found: IndicatorSet, indicators: list[rules.Indicator], year: int, today: date,
          path: str) -> None:
    """Replace the evaluations of `rows` (enterprise id, region, facts, rates, outcome) for the
    year, in chunks. Runs inside the caller's transaction."""
    for first in range(0, len(rows), CHUNK):
        chunk = rows[first:first + CHUNK]
        ids = [r[0] for r in chunk]
        # Lines first, in one DELETE (nothing refers to them), so that deleting the evaluations
        # finds no cascade to collect row by row.
        EvaluationLine.objects.filter(evaluation__year=year, evaluation__enterprise_id__in=ids).delete()
        Evaluation.objects.filter(year=year, enterprise_id__in=ids).delete()
        created = Evaluation.objects.bulk_create([
            Evaluation(enterprise_id=pk, year=year, indicator_set=found, score_hundredths=o.score_hundredths,
                       grade=o.grade, facts=known, computed_on=today, computed_by=path, region_id=region)
            for pk, region, known, _rates, o in chunk])
        if any(e.pk is None for e in created):  # backends that do not return keys from a bulk insert
            keys = dict(Evaluation.objects.filter(year=year, enterprise_id__in=ids).values_list("enterprise_id", "id"))
            for e in created:
                e.pk = keys[e.enterprise_id]
        # The lines are most of the rows (11 per enterprise): COPY on PostgreSQL (core.batch).
        insert_rows(EvaluationLine, LINE_FIELDS, [
            (e.pk, i.code, i.weight, rate.done, rate.due, share, points, n)
            for e, (_pk, _region, _known, found_rates, o) in zip(created, chunk, strict=True)
            for n, (i, rate, share, points) in enumerate(zip(indicators, found_rates, o.shares, o.points,
                                                             strict=True), start=1)])
