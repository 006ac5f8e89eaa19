"""The three-party evaluation in the demo (`zhigong demo`, the last part): for every demo
enterprise this year's scores of the superior federation and of a third-party assessor, and a
workers' survey with anonymous answers, all generated reproducibly from the seed and labelled
as demo data; then every grade of the province computed at once by batch.py. The persona
enterprise's survey stays open, so that the worker persona can answer it.

Scores and answers are written in bulk (thousands of enterprises); one trail event
("demo.evaluation") records what was generated, with a digest, and the batch its own."""

import hashlib
import random
import time
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import actions as core
from zhigong.core.models import Employment, Organization, Role
from zhigong.evaluation import actions, display, facts, rules
from zhigong.evaluation.models import PartyScore, Survey, SurveyAnswer, SurveyRoll
from zhigong.participation.demo import Outcome
from zhigong.trail.canonical import canonical_json

CHUNK = 5000
LABEL = "【演示数据】"
FEDERATION_NOTES = ["职代会制度健全，会议材料齐全。", "民主管理台账基本完整，个别会议记录不全。",
                    "厂务公开栏更新不及时，需加强。", "提案办理规范，答复及时。"]
ASSESSOR_NOTES = ["现场抽查三项决议，落实情况与台账一致。", "职工访谈反映意见渠道畅通。",
                  "部分公开事项未按期更新，建议整改。", "代表构成符合规定，会议程序规范。"]


def build(ctx) -> Outcome:
    started = time.monotonic()
    year = ctx.today.year
    rng = random.Random(f"zhigong-demo-evaluation|{ctx.seed}")
    cadre = ctx.users["county_cadre"]
    assessor = _assessor(ctx)
    enterprises = list(Organization.objects.filter(pk__in=ctx.enterprise_ids).order_by("pk")
                       .values_list("pk", "region_id"))
    with transaction.atomic():
        quality = {pk: rng.betavariate(5, 2) for pk, _region in enterprises}  # how well each is run
        scores = _scores(enterprises, year, quality, rng, cadre, assessor)
        answers = _surveys(ctx, enterprises, year, quality, rng)
        trail.record(ctx.admin, "demo.evaluation", ctx.province, {
            "year": year, "seed": ctx.seed, "scores": scores, "answers": answers,
            "note": "generated demo data: scores of the federation and the assessor, survey answers"})
    summary = actions.compute_federation(ctx.admin, ctx.province, year, ctx.today)
    order = [g for _m, g in facts.indicator_set_for(ctx.province.region_id, year).bands]
    grades = _("，").join(f"{display.grade(g)} {summary.grades.get(g, 0):,}" for g in order)
    report = _("三位一体评价（演示数据）：%(n)s家企业的%(year)d年度评价已计算（%(grades)s），"
               "评分%(scores)s条、匿名测评答卷%(answers)s份；用时 %(seconds).1f 秒。\n") % {
        "n": f"{summary.enterprises:,}", "year": year, "grades": grades, "scores": f"{scores:,}",
        "answers": f"{answers:,}", "seconds": time.monotonic() - started}
    county = Organization.objects.get(pk=ctx.counties[0].pk)
    return Outcome(report, [(_("第三方评估员"), "assessor", county.name, _("为本县企业录入第三方评估评分"))])


def _assessor(ctx):
    user = core.create_account(ctx.admin, "assessor", ctx.password)
    core.grant_role(ctx.admin, user, Role.ASSESSOR, ctx.counties[0])
    return user


def _score(quality: float, rng: random.Random) -> int:
    """Tenths of a point, around the enterprise's quality, kept within 40–100."""
    value = 40 + 60 * min(max(quality + rng.gauss(0, 0.08), 0), 1)
    return int(round(value * 10))


def _scores(enterprises, year, quality, rng, cadre, assessor) -> int:
    rows = []
    for pk, region in enterprises:
        for code, party, by, notes in (("federation_review", "federation", cadre, FEDERATION_NOTES),
                                       ("assessor_review", "assessor", assessor, ASSESSOR_NOTES)):
            rows.append(PartyScore(enterprise_id=pk, year=year, code=code, party=party,
                                   value_tenths=_score(quality[pk], rng), note=LABEL + rng.choice(notes),
                                   by=by, region_id=region))
    PartyScore.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def _surveys(ctx, enterprises, year, quality, rng) -> int:
    """A survey per enterprise, answered by up to 30 of its workers (not the worker persona, who
    may answer the persona enterprise's survey, left open)."""
    found = facts.indicator_set_for(ctx.province.region_id, year)
    persona = ctx.users["worker"].person_id
    Survey.objects.bulk_create([
        Survey(enterprise_id=pk, year=year, questions=found.survey_questions, scale=found.survey_scale,
               minimum=found.survey_minimum, opened_on=ctx.today, region_id=region,
               status=Survey.Status.OPEN if pk == ctx.persona_enterprise_id else Survey.Status.CLOSED,
               closed_on=None if pk == ctx.persona_enterprise_id else ctx.today)
        for pk, region in enterprises], batch_size=CHUNK)
    surveys = dict(Survey.objects.filter(year=year, enterprise_id__in=[pk for pk, _r in enterprises])
                   .values_list("enterprise_id", "pk"))
    workers = defaultdict(list)
    for enterprise, person in (Employment.objects.filter(enterprise_id__in=surveys, end_date__isnull=True)
                               .exclude(person_id=persona).order_by("enterprise_id", "person_id")
                               .values_list("enterprise_id", "person_id")):
        if len(workers[enterprise]) < 30:
            workers[enterprise].append(person)
    codes = [q["code"] for q in found.survey_questions]
    roll, answers = [], []
    for enterprise, people in workers.items():
        for person in people:
            ratings = {c: _rating(quality[enterprise], rng, found.survey_scale) for c in codes}
            roll.append(SurveyRoll(survey_id=surveys[enterprise], person_id=person))
            answers.append(SurveyAnswer(survey_id=surveys[enterprise], ratings=ratings,
                                        points=rules.answer_points(ratings)))
    rng.shuffle(answers)  # no order shared between the roll and the answers
    SurveyRoll.objects.bulk_create(roll, batch_size=CHUNK)
    SurveyAnswer.objects.bulk_create(answers, batch_size=CHUNK)
    digest = hashlib.sha256(canonical_json(sorted(canonical_json(a.ratings).decode() for a in answers)))
    trail.record(ctx.admin, "demo.evaluation.surveys", ctx.province, {"answers": len(answers),
                                                                       "sha256": digest.hexdigest()})
    return len(answers)


def _rating(quality: float, rng: random.Random, scale: int) -> int:
    return min(max(int(round(1 + (scale - 1) * (quality + rng.gauss(0, 0.2)))), 1), scale)
