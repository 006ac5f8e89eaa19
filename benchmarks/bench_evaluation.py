"""Compliance and the three-party evaluation for a county federation of 10,000 enterprises over
one year (quick: 500), on PostgreSQL: the time to compute every enterprise's disclosure on-time
rate (disclosure.batch) and every grade (evaluation.batch: facts read column-wise, scores as one
numpy matrix, results written in bulk), each as a ratio to a single SQL aggregate over the same
rows in the same run; and the one-enterprise action (evaluation.actions.compute_evaluation) on a
sample, extrapolated to the federation, to show what the batch saves.

The year's rows are generated in bulk through the models (set-up: the actions that make them
are tested elsewhere): per enterprise a congress with a term and one delegate, one or two
sessions (opened, or convened and failed its quorum), proposals, a suggestion box with
messages, the national disclosure catalogue with its publications (some late, some missing),
resolutions with tracking plans, the federation's and the assessor's scores and an anonymous
survey of ten answers. Reproducible from a fixed seed."""

import random
import sys
import time
from datetime import date, datetime, timedelta

from benchmarks.report import Table

SIZES = {"full": 10_000, "quick": 500}
SAMPLE = {"full": 100, "quick": 50}  # enterprises graded one at a time
SEED = 5
CHUNK = 5_000
ANSWERS = 10


def run(scale: str) -> list[Table]:
    from django.utils import timezone

    count = SIZES[scale]
    today = timezone.localdate()
    year = today.year if today.month > 1 else today.year - 1
    started = time.monotonic()
    world = prepare(count, year, today)
    generated = time.monotonic() - started
    aggregate, rows_read = timed_best(lambda: sql_aggregate(world.county, year))
    compliance, _rates = timed_best(lambda: compliance_rates(world.ids, year, today), repeat=1)
    grades, summary = timed_best(lambda: grade_all(world.county, year, today), repeat=1)
    single, sample = one_at_a_time(world, year, today, SAMPLE[scale])
    return [table(count, rows_read, generated, aggregate, compliance, grades, single, sample, summary)]


# --- Set-up -------------------------------------------------------------------------------------

class World:
    def __init__(self, admin, county, ids, cadre):
        self.admin, self.county, self.ids, self.cadre = admin, county, ids, cadre


def prepare(count: int, year: int, today: date) -> World:
    import secrets

    from zhigong.core import actions as core
    from zhigong.core.batch import analyze_tables
    from zhigong.core.models import Organization, Role

    print(f"[bench] evaluation: generating a year for {count:,} enterprises", file=sys.stderr, flush=True)
    rng = random.Random(SEED)
    admin = core.create_platform_admin("bench_admin", secrets.token_urlsafe(16))
    province = core.create_organization(admin, "federation", None, name="江苏省总工会", region_code="320000")
    city = core.create_organization(admin, "federation", province, name="南京市总工会", region_code="320100")
    county = core.create_organization(admin, "federation", city, name="玄武区总工会", region_code="320102")
    cadre = core.create_account(admin, "bench_cadre", secrets.token_urlsafe(16))
    core.grant_role(admin, cadre, Role.CADRE, county)
    ids = _enterprises(county, count)
    quality = {pk: rng.betavariate(4, 2) for pk in ids}
    sessions, delegates, congresses = _congress(county, ids, quality, year, today, rng)
    _voice(ids, sessions, delegates, congresses, quality, year, today, rng)
    _disclosures(ids, quality, year, today, rng)
    _resolutions(ids, sessions, quality, year, today, rng)
    _parties(ids, admin, quality, year, today, rng)
    from zhigong.democracy.models import Congress, Session, Term
    from zhigong.disclosure.models import Matter, Publication
    from zhigong.evaluation.models import PartyScore, SurveyAnswer
    from zhigong.participation.models import BoxMessage, Proposal

    analyze_tables(Organization, Congress, Term, Session, Proposal, BoxMessage, Matter, Publication, PartyScore,
                   SurveyAnswer)
    return World(admin, county, ids, cadre)


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=CHUNK)


def _enterprises(county, count: int) -> list[int]:
    from zhigong.core.batch import next_id, reset_sequences
    from zhigong.core.models import Organization

    first = next_id(Organization)
    _bulk(Organization, [
        Organization(pk=first + i, kind="enterprise", name=f"玄武基准企业{i:05d}", parent=county,
                     path=f"{county.path}{first + i}/", region_id="320102", employee_count=200)
        for i in range(count)])
    reset_sequences(Organization)
    return list(range(first, first + count))


def _at(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def _congress(county, ids, quality, year, today, rng):
    """A congress, a term, one delegate (the proposer of its proposals) and one or two sessions
    of the year per enterprise."""
    from benchmarks.congress_world import _person
    from zhigong.core.models import Employment
    from zhigong.democracy.models import Congress, Constituency, Delegate, Session, Term

    congresses = _bulk(Congress, [Congress(enterprise_id=pk, form="congress", name=f"职代会{pk}", region_id="320102")
                                  for pk in ids])
    terms = _bulk(Term, [Term(congress=c, number=1, start_date=date(year - 1, 1, 1), end_date=date(year + 3, 12, 31),
                              workers=200, women_workers=60) for c in congresses])
    places = _bulk(Constituency, [Constituency(term=t, name="全厂", kind="other", workers=200) for t in terms])
    people = _bulk(type(_person(county, 0)), [_person(county, i) for i in range(len(ids))])
    _bulk(Employment, [Employment(person=p, enterprise_id=pk, start_date=date(2015, 3, 1), form="labour_contract",
                                  monthly_wage_fen=600_000, region_id="320102")
                       for p, pk in zip(people, ids, strict=True)])
    delegates = _bulk(Delegate, [Delegate(term=t, person=p, constituency=c, elected_on=t.start_date, votes_for=101,
                                          voters=200, frontline=True)
                                 for t, p, c in zip(terms, people, places, strict=True)])
    rows = []
    last = min(today - timedelta(days=1), date(year, 12, 31))
    for pk, term in zip(ids, terms, strict=True):
        for n in range(1 + (rng.random() < 0.3)):
            day = date(year, 1, 1) + timedelta(days=rng.randrange(max((last - date(year, 1, 1)).days, 1)))
            opened = rng.random() < 0.4 + 0.6 * quality[pk]
            rows.append(Session(term=term, number=n + 1, title=f"第{n + 1}次会议", starts_at=_at(day),
                                status="closed" if opened else "convened", region_id="320102",
                                opened_at=_at(day) if opened else None, closed_at=_at(day) if opened else None,
                                delegates_total=1))
    sessions = _bulk(Session, rows)
    by_enterprise = {}
    for congress, term in zip(congresses, terms, strict=True):
        by_enterprise[congress.enterprise_id] = term.pk
    first_session = {}
    for s in sessions:
        first_session.setdefault(s.term_id, s)
    return ({pk: first_session[by_enterprise[pk]] for pk in ids}, dict(zip(ids, delegates, strict=True)),
            dict(zip(ids, congresses, strict=True)))


def _day_of(year: int, today: date, rng) -> date:
    last = min(today, date(year, 12, 31))
    return date(year, 1, 1) + timedelta(days=rng.randrange(max((last - date(year, 1, 1)).days, 1)))


def _voice(ids, sessions, delegates, congresses, quality, year, today, rng):
    from zhigong.participation.models import BoxMessage, BoxSettings, Proposal

    proposals, messages = [], []
    boxes = _bulk(BoxSettings, [BoxSettings(enterprise_id=pk, slug=f"b{pk:011d}"[:16]) for pk in ids])
    for pk, box in zip(ids, boxes, strict=True):
        q = quality[pk]
        for n in range(rng.randrange(0, 6)):
            due = _day_of(year, today, rng)
            answered = due + timedelta(days=rng.randint(-10, 3 if rng.random() < q else 20))
            answered = answered if rng.random() < 0.9 and answered <= today else None
            rating = rng.choice(["satisfied", "basically_satisfied", "not_satisfied"]) if answered else ""
            proposals.append(Proposal(congress=congresses[pk], session=sessions[pk], number=f"{pk}-{n}", title="提案",
                                      cause="理由", measures="措施", category="wages", proposer=delegates[pk],
                                      state="closed" if answered else "assigned", due_on=due, answered_on=answered,
                                      rating=rating, region_id="320102"))
        for _n in range(rng.randrange(0, 5)):
            due = _day_of(year, today, rng)
            answered = rng.random() < 0.5 + 0.5 * q
            on = due - timedelta(days=rng.randint(-5, 10)) if answered else None
            messages.append(BoxMessage(box=box, received_on=due - timedelta(days=15), category="other", text="意见",
                                       follow_up_hash=f"{pk}-{len(messages)}", due_on=due,
                                       state="answered" if answered else "open", answered_on=on))
    _bulk(Proposal, proposals)
    _bulk(BoxMessage, messages)


def _disclosures(ids, quality, year, today, rng):
    """The national catalogue for every enterprise and its periodic publications of the year."""
    from zhigong.disclosure import rules as disclosure_rules
    from zhigong.disclosure.models import Matter, Publication
    from zhigong.disclosure.rulebook import load

    settings = load("320102", today)
    matters = _bulk(Matter, [Matter(enterprise_id=pk, code=m["code"], name=m["name"], category=m["category"],
                                    frequency=m["frequency"], audience=m.get("audience", "workers"),
                                    mandatory=bool(m["mandatory"]), default=True,
                                    congress_matter=m.get("congress_matter", ""))
                             for pk in ids for m in settings.default_matters])
    rows = []
    for matter in matters:
        q = quality[matter.enterprise_id]
        for period in disclosure_rules.periods(matter.frequency, year, settings.grace.get(matter.frequency, 0)):
            if period.due > today or rng.random() > 0.55 + 0.45 * q:
                continue  # not due yet, or never published (missing)
            published = period.due - timedelta(days=rng.randint(-12 if rng.random() > q else -2, 20))
            if published > today:
                continue
            rows.append(Publication(enterprise_id=matter.enterprise_id, matter=matter, kind="period",
                                    period=period.label, due_on=period.due, audience=matter.audience,
                                    title=matter.name, text="公开内容", published_on=published,
                                    published_at=_at(published), sha256="0" * 64, region_id="320102"))
    _bulk(Publication, rows)


def _resolutions(ids, sessions, quality, year, today, rng):
    from zhigong.democracy.models import AgendaItem, Resolution
    from zhigong.tracking.models import Plan

    opened = [pk for pk in ids if sessions[pk].opened_at is not None]
    items = _bulk(AgendaItem, [AgendaItem(session=sessions[pk], order=1, title="审议报告", kind="approve",
                                          status="closed") for pk in opened])
    resolutions = _bulk(Resolution, [Resolution(item=item, number=f"R{pk}", text="决议", figures={}, passed=True,
                                                event_seq=0, region_id="320102")
                                     for pk, item in zip(opened, items, strict=True)])
    plans = []
    for pk, resolution in zip(opened, resolutions, strict=True):
        due = _day_of(year, today, rng)
        done = due - timedelta(days=rng.randint(-20, 30)) if rng.random() < 0.4 + 0.6 * quality[pk] else None
        plans.append(Plan(resolution=resolution, enterprise_id=pk, due_on=due,
                          carried_out_on=done if done and done <= today else None, region_id="320102"))
    _bulk(Plan, plans)


def _parties(ids, admin, quality, year, today, rng):
    from zhigong.evaluation import rules
    from zhigong.evaluation.facts import indicator_set_for
    from zhigong.evaluation.models import PartyScore, Survey, SurveyAnswer

    found = indicator_set_for("320102", year)
    scores = []
    for pk in ids:
        for code, party in (("federation_review", "federation"), ("assessor_review", "assessor")):
            value = int(round(10 * (40 + 60 * min(max(quality[pk] + rng.gauss(0, 0.1), 0), 1))))
            scores.append(PartyScore(enterprise_id=pk, year=year, code=code, party=party, value_tenths=value,
                                     note="基准测试评分", by=admin, region_id="320102"))
    _bulk(PartyScore, scores)
    surveys = _bulk(Survey, [Survey(enterprise_id=pk, year=year, questions=found.survey_questions,
                                    scale=found.survey_scale, minimum=found.survey_minimum, status="closed",
                                    opened_on=today, closed_on=today, region_id="320102") for pk in ids])
    codes = [q["code"] for q in found.survey_questions]
    answers = []
    for survey in surveys:
        for _n in range(ANSWERS):
            ratings = {c: min(max(int(round(1 + 4 * (quality[survey.enterprise_id] + rng.gauss(0, 0.2)))), 1), 5)
                       for c in codes}
            answers.append(SurveyAnswer(survey=survey, ratings=ratings, points=rules.answer_points(ratings)))
    _bulk(SurveyAnswer, answers)


# --- Measured -----------------------------------------------------------------------------------

def timed_best(call, repeat: int = 3):
    """Best of `repeat` runs (the first warms caches for the ones after), and the last result."""
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


# The source rows every grade reads, filtered by the federation's subtree, in one statement.
AGGREGATE = """
SELECT count(*) FROM (
  SELECT 1 AS n FROM democracy_session s JOIN democracy_term t ON t.id = s.term_id
    JOIN democracy_congress c ON c.id = t.congress_id JOIN core_organization o ON o.id = c.enterprise_id
    WHERE o.path LIKE %(path)s AND s.starts_at >= %(start)s AND s.starts_at < %(end)s
  UNION ALL SELECT 1 FROM participation_proposal p JOIN democracy_congress c ON c.id = p.congress_id
    JOIN core_organization o ON o.id = c.enterprise_id
    WHERE o.path LIKE %(path)s AND p.due_on BETWEEN %(first)s AND %(last)s
  UNION ALL SELECT 1 FROM participation_boxmessage m JOIN participation_boxsettings b ON b.id = m.box_id
    JOIN core_organization o ON o.id = b.enterprise_id
    WHERE o.path LIKE %(path)s AND m.due_on BETWEEN %(first)s AND %(last)s
  UNION ALL SELECT 1 FROM disclosure_publication d JOIN core_organization o ON o.id = d.enterprise_id
    WHERE o.path LIKE %(path)s AND d.due_on BETWEEN %(first)s AND %(last)s
  UNION ALL SELECT 1 FROM disclosure_matter x JOIN core_organization o ON o.id = x.enterprise_id
    WHERE o.path LIKE %(path)s
  UNION ALL SELECT 1 FROM tracking_plan k JOIN core_organization o ON o.id = k.enterprise_id
    WHERE o.path LIKE %(path)s
  UNION ALL SELECT 1 FROM evaluation_partyscore e JOIN core_organization o ON o.id = e.enterprise_id
    WHERE o.path LIKE %(path)s AND e.year = %(year)s
  UNION ALL SELECT 1 FROM evaluation_surveyanswer a JOIN evaluation_survey v ON v.id = a.survey_id
    JOIN core_organization o ON o.id = v.enterprise_id WHERE o.path LIKE %(path)s AND v.year = %(year)s
) rows
"""


def sql_aggregate(county, year: int) -> tuple[int, int]:
    from django.db import connection
    from django.utils import timezone

    params = {"path": county.path + "%", "year": year, "first": date(year, 1, 1), "last": date(year, 12, 31),
              "start": timezone.make_aware(datetime(year, 1, 1)), "end": timezone.make_aware(datetime(year + 1, 1, 1))}
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATE, params)
        return cursor.fetchone()[0]


def compliance_rates(ids: list[int], year: int, today: date) -> dict:
    from zhigong.disclosure.batch import on_time_rates

    return on_time_rates(ids, year, today)


def grade_all(county, year: int, today: date):
    from django.db import transaction

    from zhigong.evaluation import batch

    with transaction.atomic():
        return batch.evaluate_federation(county, year, today)


def one_at_a_time(world: World, year: int, today: date, sample: int) -> tuple[float, int]:
    """compute_evaluation (facts read object by object) on `sample` enterprises; seconds each."""
    from zhigong.core.models import Organization
    from zhigong.evaluation import actions

    enterprises = list(Organization.objects.filter(pk__in=world.ids[:: max(len(world.ids) // sample, 1)][:sample]))
    started = time.perf_counter()
    for enterprise in enterprises:
        actions.compute_evaluation(world.cadre, enterprise, year, today)
    return (time.perf_counter() - started) / len(enterprises), len(enterprises)


def table(count: int, rows: int, generated: float, aggregate: float, compliance: float, grades: float,
          single: float, sample: int, summary) -> Table:
    extrapolated = single * count
    return Table(
        f"Evaluation: compliance and grades of a federation of {count:,} enterprises over one year (PostgreSQL)",
        ["computation", "enterprises", "seconds", "ms per enterprise", "× SQL aggregate"],
        [
            ["one SQL aggregate over the same rows (floor)", count, aggregate, 1000 * aggregate / count, 1.0],
            ["compliance: disclosure on-time rates (disclosure.batch)", count, compliance,
             1000 * compliance / count, compliance / aggregate],
            ["all grades (evaluation.batch: read, compute, write)", count, grades, 1000 * grades / count,
             grades / aggregate],
            [f"one enterprise at a time (compute_evaluation × {sample:,}, extrapolated)", count, extrapolated,
             1000 * single, extrapolated / aggregate],
        ],
        [
            f"{rows:,} source rows of the year under the federation (sessions, proposals, box messages, "
            "disclosure matters and publications, tracking plans, scores, survey answers), generated in bulk "
            f"in {generated:.0f} s; the aggregate counts them in one statement (best of 3).",
            f"grades: {summary.enterprises:,} evaluations with 11 lines each written; grades "
            + ", ".join(f"{g} {n:,}" for g, n in sorted(summary.grades.items(), key=lambda x: -x[1])) + ".",
            "the batch and the one-enterprise action give the same numbers "
            "(zhigong/evaluation/tests/test_grades.py::test_single_and_batch_agree).",
            "2 cores shared with other agents' work; compliance and grades one run each, after the aggregate "
            "warmed the caches.",
        ],
    )
