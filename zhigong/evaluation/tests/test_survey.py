"""The workers' survey is anonymous like the suggestion box: the answer has no link to the
person, the roll only says who answered, and a second answer is refused without writing
anything."""

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.evaluation import actions, facts
from zhigong.evaluation.models import Survey, SurveyAnswer, SurveyRoll
from zhigong.evaluation.tests.conftest import survey_answers
from zhigong.trail.models import Event


@pytest.fixture
def survey(ew, world) -> Survey:
    return actions.open_survey(world.cadre_a, world.enterprise_a, ew.year)


def test_an_answer_names_nobody(ew, world, survey):
    events = Event.objects.count()
    survey_answers(survey, [world.worker], rating=3)
    answer = SurveyAnswer.objects.get()
    fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert fields == {"id", "survey", "ratings", "points"}   # no person, no user, no time
    assert answer.points == 5 * 2
    assert list(SurveyRoll.objects.values_list("person_id", flat=True)) == [world.worker_person.pk]
    assert Event.objects.count() == events   # no event per answer


def test_answering_twice_is_refused_and_writes_nothing(ew, world, survey):
    survey_answers(survey, [world.worker])
    with pytest.raises(DomainError) as refused:
        survey_answers(survey, [world.worker], rating=1)
    assert refused.value.code == "survey.twice"
    assert SurveyAnswer.objects.count() == 1 and SurveyRoll.objects.count() == 1
    assert SurveyAnswer.objects.get().ratings == {q["code"]: 4 for q in survey.questions}


@pytest.mark.parametrize("ratings,code", [({"overall": 5}, "survey.incomplete"), ("all", "survey.rating")])
def test_incomplete_or_out_of_range_answers(ew, world, survey, ratings, code):
    if ratings == "all":
        ratings = {q["code"]: 6 for q in survey.questions}
    with pytest.raises(DomainError) as refused:
        actions.answer_survey(world.worker, survey, ratings)
    assert refused.value.code == code
    assert not SurveyAnswer.objects.exists() and not SurveyRoll.objects.exists()


def test_only_workers_of_the_enterprise_answer(ew, world, survey):
    for user in (world.outsider, world.cadre_a, world.enterprise_admin):
        with pytest.raises(PermissionDenied):
            survey_answers(survey, [user])
    assert not SurveyAnswer.objects.exists()


def test_closing_records_a_digest_and_stops_answers(ew, world, survey):
    survey_answers(survey, ew.cw.users[:5], rating=4)
    actions.close_survey(world.cadre_a, survey)
    event = Event.objects.filter(verb="evaluation.survey.close").get()
    assert b'"answers":5' in bytes(event.leaf) and b'"roll":5' in bytes(event.leaf)
    with pytest.raises(DomainError) as refused:
        survey_answers(survey, [world.worker])
    assert refused.value.code == "survey.closed"


def test_fewer_answers_than_the_minimum_judge_nothing(ew, world, survey):
    found = facts.indicator_set_for(world.enterprise_a.region_id, ew.year)
    survey_answers(survey, ew.cw.users[: found.survey_minimum - 1])
    known = facts.party_facts(world.enterprise_a, ew.year, found)
    from zhigong.evaluation import rules

    rate = rules.rates([rules.Indicator("worker_survey", 100, "scored", "workers")], known)[0]
    assert not rate.judged
    survey_answers(survey, [world.worker])
    known = facts.party_facts(world.enterprise_a, ew.year, found)
    assert rules.rates([rules.Indicator("worker_survey", 100, "scored", "workers")], known)[0].judged


def test_one_survey_a_year(ew, world, survey):
    with pytest.raises(DomainError) as refused:
        actions.open_survey(world.cadre_a, world.enterprise_a, ew.year)
    assert refused.value.code == "survey.exists"
    with pytest.raises(PermissionDenied):
        actions.open_survey(world.enterprise_admin, world.enterprise_a, ew.year - 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_close_no_system_column_pairs_an_answer_with_its_roll_entry(ew, world, survey):
    """Each answer and its roll entry are written in one transaction (the roll in a savepoint),
    so their xmin are equal or adjacent until the survey closes; closing rewrites both tables
    in one transaction, in random order, so every row then carries the same xmin."""
    from django.db import connection

    people = ew.cw.users[:6]  # delegates' accounts: workers of the enterprise
    survey_answers(survey, people, rating=4)
    near = ("SELECT count(*) FROM evaluation_surveyanswer a WHERE EXISTS (SELECT 1 FROM evaluation_surveyroll r "
            "WHERE abs(r.xmin::text::bigint - a.xmin::text::bigint) <= 1)")
    with connection.cursor() as cursor:
        cursor.execute(near)
        assert cursor.fetchone()[0] == len(people)  # before the close each answer sits by its entry
    actions.close_survey(world.cadre_a, survey)
    assert SurveyAnswer.objects.filter(survey=survey).count() == SurveyRoll.objects.filter(survey=survey).count() == 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM evaluation_surveyanswer "
                       "UNION ALL SELECT xmin::text FROM evaluation_surveyroll) rows")
        assert cursor.fetchone()[0] == 1
