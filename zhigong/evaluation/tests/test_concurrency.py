"""200 workers answer the survey at once on PostgreSQL, 50 of them twice, while the survey is
closed halfway: every accepted answer is one roll entry, no one answers twice, and no answer
arrives after the closing (its digest counts exactly what was stored)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from zhigong.core.errors import DomainError
from zhigong.democracy.tests.test_concurrency import bulk_delegates
from zhigong.evaluation import actions
from zhigong.evaluation.models import Survey, SurveyAnswer, SurveyRoll
from zhigong.trail.models import Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 200


def test_answers_at_once_are_counted_once(world):
    from datetime import date

    from zhigong.democracy import actions as congress

    chair = world.enterprise_admin
    congress_row = congress.create_congress(chair, world.enterprise_a)
    term = congress.start_term(chair, congress_row, 1, date(2025, 1, 1), date(2029, 12, 31), 350, 140)
    place = congress.add_constituency(chair, term, "全厂", "other", 350)
    _delegates, users = bulk_delegates(world, term, place, WORKERS)   # set-up: employed people with logins
    survey = actions.open_survey(world.cadre_a, world.enterprise_a, date.today().year)
    ratings = {q["code"]: 4 for q in survey.questions}
    outcomes = {"ok": 0, "twice": 0, "closed": 0, "other": []}
    lock = threading.Lock()

    def answer(index):
        key = None
        try:
            if index == -1:
                actions.close_survey(world.cadre_a, Survey.objects.get(pk=survey.pk))
                return
            actions.answer_survey(users[index], survey, ratings)
            key = "ok"
        except DomainError as exc:
            key = {"survey.twice": "twice", "survey.closed": "closed"}.get(exc.code)
            if key is None:
                with lock:
                    outcomes["other"].append(exc.code)
        finally:
            connections.close_all()
        if key:
            with lock:
                outcomes[key] += 1

    attempts = list(range(WORKERS)) + list(range(50))
    attempts.insert(len(attempts) // 2, -1)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(answer, attempts))

    stored = SurveyAnswer.objects.count()
    assert outcomes["other"] == [] and outcomes["ok"] == stored == SurveyRoll.objects.count()
    assert 0 < stored < WORKERS and outcomes["ok"] + outcomes["twice"] + outcomes["closed"] == WORKERS + 50
    closing = Event.objects.get(verb="evaluation.survey.close")
    assert f'"answers":{stored}'.encode() in bytes(closing.leaf)
    assert connection.vendor == "postgresql"
