"""Workers acknowledge (once each, counted per publication) and ask; the responsible department
answers and the asker is notified. Others cannot answer."""

import pytest
from django.utils import translation

from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.models import Notification
from zhigong.disclosure import actions, queries
from zhigong.disclosure.tests.conftest import publish


def test_acknowledgements_are_counted_once_per_reader(world, dw):
    p = publish(world, dw, "pay_adjustment", "2026")
    assert actions.acknowledge(world.worker, p)[1] is True
    assert actions.acknowledge(world.worker, p)[1] is False
    actions.acknowledge(world.enterprise_admin, p)
    assert queries.publications(world.worker, world.enterprise_a).get().acknowledged == 2


@translation.override("zh-hans")  # notifications are written in the language of the request
def test_the_department_answers_and_the_asker_hears(world, dw):
    p = publish(world, dw, "pay_adjustment", "2026")
    question = actions.ask(world.worker, p, "派遣职工是否同步调整？")
    assert Notification.objects.filter(user=dw.clerk, link=f"/disclosure/questions/{question.pk}/").exists()
    assert list(queries.question_queue(dw.clerk)) == [question]
    with pytest.raises(PermissionDenied):
        actions.answer(world.worker, question, "我自己答")
    with pytest.raises(DomainError) as empty:
        actions.answer(dw.clerk, question, " ")
    assert empty.value.code == "required"
    actions.answer(dw.clerk, question, "同步调整。")
    note = Notification.objects.get(user=world.worker)
    assert note.link == f"/disclosure/p/{p.pk}/" and "已答复" in note.title
    assert list(queries.question_queue(dw.clerk)) == []
    with pytest.raises(DomainError) as twice:
        actions.answer(dw.clerk, question, "再答")
    assert twice.value.code == "disclosure.answered"


def test_without_a_department_the_enterprise_admins_answer(world, dw):
    p = publish(world, dw, "safety", "2026-Q1")
    question = actions.ask(world.worker, p, "隐患整改了吗？")
    assert Notification.objects.filter(user=world.enterprise_admin).exists()
    assert queries.access_question(world.enterprise_admin, question.pk) == question
    with pytest.raises(NotFound):
        queries.access_question(world.outsider, question.pk)
    with pytest.raises(DomainError):
        actions.ask(world.worker, p, "")
