"""Publishing: the content's digest in the trail, immutability, corrections with a reason, and
the refusals of bad input (empty text, bad table, bad attachment, no confirmation, twice)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.disclosure import actions, rules
from zhigong.disclosure.models import Publication
from zhigong.disclosure.tests.conftest import pdf, publish
from zhigong.trail.models import Event

TABLE = {"columns": ["岗位", "调整前", "调整后"], "rows": [["操作工", "4860", "5150"], ["维修工", "5320", "5620"]]}


def test_publish_records_the_digest_of_the_content(world, dw):
    p = publish(world, dw, "pay_adjustment", "2026", table=TABLE, files=[pdf()])
    event = Event.objects.get(verb="disclosure.publish", object_id=str(p.pk))
    leaf = bytes(event.leaf).decode()
    assert p.event_seq == event.seq and f'"sha256":"{p.sha256}"' in leaf
    stored = p.files.get()
    assert stored.content_type == "application/pdf" and stored.sha256 in leaf
    expected = rules.content_digest({"title": p.title, "text": p.text, "table": TABLE, "period": "2026", "version": 1,
                                     "enterprise": world.enterprise_a.pk, "matter": "pay_adjustment",
                                     "previous": None, "files": [{"name": "附件.pdf", "sha256": stored.sha256}]})
    assert p.sha256 == expected
    assert (p.due_on.isoformat(), p.audience, p.kind) == ("2027-03-01", "workers", "period")


def test_a_published_disclosure_cannot_be_changed(world, dw):
    p = publish(world, dw)
    p.text = "改过的内容"
    with pytest.raises(ValueError):
        p.save()
    assert Publication.objects.get(pk=p.pk).text == "本期情况如下。"


def test_a_correction_needs_a_reason_and_links_the_old_version(world, dw):
    old = publish(world, dw)
    with pytest.raises(DomainError) as refused:
        actions.correct(world.enterprise_admin, old, "  ", old.title, "更正后的内容")
    assert refused.value.code == "disclosure.reason_required" and refused.value.field == "reason"
    new = actions.correct(world.enterprise_admin, old, "数字有误", old.title, "更正后的内容")
    assert (new.previous_id, new.version, new.period, new.reason) == (old.pk, 2, old.period, "数字有误")
    assert Publication.objects.filter(matter=old.matter, period=old.period).count() == 2  # both stay
    assert Event.objects.filter(verb="disclosure.correct", object_id=str(new.pk)).exists()
    with pytest.raises(DomainError) as again:
        actions.correct(world.enterprise_admin, old, "再改", old.title, "x")
    assert again.value.code == "disclosure.already_corrected"


@pytest.mark.parametrize("kwargs,code,field", [
    ({"text": "   "}, "required", "text"),
    ({"title": ""}, "required", "title"),
    ({"period": "2026-Q5"}, "disclosure.period", "period"),
    ({"period": "第一季度"}, "disclosure.period", "period"),
    ({"table": {"columns": ["a", "b"], "rows": [["1"]]}}, "table.row_width", "table"),
    ({"table": {"columns": [], "rows": []}}, "table.shape", "table"),
    ({"files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")]}, "file.type", "files"),
    ({"confirmed": False}, "disclosure.confirm", "confirm"),
])
def test_bad_input_is_refused_and_nothing_is_written(world, dw, kwargs, code, field):
    with pytest.raises(DomainError) as refused:
        publish(world, dw, **kwargs)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Publication.objects.exists()


def test_a_period_is_published_once(world, dw):
    publish(world, dw)
    with pytest.raises(DomainError) as twice:
        publish(world, dw)
    assert twice.value.code == "disclosure.already_published"


def test_event_and_vote_matters_need_their_date_or_session(world, dw):
    matter = dw.matter(world, "dismissals_layoffs")
    with pytest.raises(DomainError) as no_day:
        actions.publish(world.enterprise_admin, matter, "裁员", "说明")
    assert no_day.value.code == "disclosure.event_on"
    with pytest.raises(DomainError) as no_session:
        actions.publish(world.enterprise_admin, dw.matter(world, "collective_contract"), "集体合同", "草案")
    assert no_session.value.code == "disclosure.session"


def test_only_those_who_run_the_enterprise_publish(world, dw):
    for user in (world.worker, world.auditor):
        with pytest.raises(PermissionDenied):
            actions.publish(user, dw.matter(world, "safety"), "t", "x", period="2026-Q1")
    with pytest.raises(PermissionDenied):
        actions.adopt_defaults(world.outsider, world.enterprise_a)
