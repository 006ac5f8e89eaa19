"""Planning a resolution, breaking it into weighted measures and reporting progress: the roll-up,
never backwards without a reason, evidence files, who may do what; a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhigong.core import actions as core
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.tracking import actions, queries
from zhigong.tracking.models import Entry, Evidence, Measure, Plan
from zhigong.tracking.tests.conftest import measures
from zhigong.trail.models import Event

PDF = b"%PDF-1.4\n%%EOF\n"


def today():
    return timezone.localdate()


def test_measures_roll_up_by_weight_to_the_resolution(tw):
    a, b = measures(tw, ("修订工资集体协商制度", 3, today() + timedelta(days=60)),
                    ("公示新的工资标准", 1, today() + timedelta(days=90)))
    actions.report_progress(tw.chair, a, 100, "制度已修订并印发。")
    plan = Plan.objects.get(resolution=tw.passed)
    assert plan.progress == 75 and plan.carried_out_on is None
    actions.report_progress(tw.chair, b, 50, "已在公开栏张贴一半。")
    plan.refresh_from_db()
    assert plan.progress == 87  # (3·100 + 1·50) / 4 = 87.5, rounded down
    actions.report_progress(tw.chair, b, 100, "全部公示。")
    plan.refresh_from_db()
    assert plan.progress == 100 and plan.carried_out_on == today()
    tracking = queries.resolution_tracking(tw.passed)
    assert tracking.state == "carried_out" and [m.progress for m in tracking.measures] == [100, 100]


def test_progress_never_goes_back_without_a_reason(tw):
    (m,) = measures(tw, ("更新防护用品", 1, today() + timedelta(days=30)))
    actions.report_progress(tw.chair, m, 60, "采购到货六成。")
    before = (Entry.objects.count(), Event.objects.count())
    with pytest.raises(DomainError) as refused:
        actions.report_progress(tw.chair, m, 40, "重新清点。")
    assert refused.value.code == "progress.backwards" and "60%" in str(refused.value.message)
    assert (Entry.objects.count(), Event.objects.count()) == before
    m.refresh_from_db()
    assert m.progress == 60
    entry = actions.report_progress(tw.chair, m, 40, "重新清点。", reason="部分防护用品验收不合格，退货。")
    assert (entry.previous, entry.percent) == (60, 40)
    m.refresh_from_db()
    assert m.progress == 40


@pytest.mark.parametrize("percent,on,code", [
    (101, None, "progress.range"), (-5, None, "progress.range"),
    (50, "tomorrow", "progress.future"), (50, "before", "progress.before_decision"),
])
def test_bad_entries_are_refused_and_write_nothing(tw, percent, on, code):
    (m,) = measures(tw, ("更新防护用品", 1, today() + timedelta(days=30)))
    day = {"tomorrow": today() + timedelta(days=1), "before": today() - timedelta(days=1), None: None}[on]
    before = Event.objects.count()
    with pytest.raises(DomainError) as refused:
        actions.report_progress(tw.chair, m, percent, "说明", on=day)
    assert refused.value.code == code
    assert Event.objects.count() == before and not Entry.objects.exists()


def test_evidence_is_checked_and_in_the_progress_event(tw):
    (m,) = measures(tw, ("更新防护用品", 1, today() + timedelta(days=30)))
    with pytest.raises(DomainError) as refused:
        actions.report_progress(tw.chair, m, 50, "到货", files=[SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")])
    assert refused.value.code == "file.type" and not Entry.objects.exists()
    entry = actions.report_progress(tw.chair, m, 50, "到货", files=[SimpleUploadedFile("验收单.pdf", PDF)])
    evidence = Evidence.objects.get(entry=entry)
    event = Event.objects.get(seq=entry.event_seq)
    assert event.verb == "tracking.progress" and evidence.sha256 in bytes(event.leaf).decode()
    extra = actions.add_evidence(tw.chair, entry, SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n0000"))
    assert Event.objects.get(seq=extra.event_seq).verb == "tracking.evidence"


def test_a_new_measure_lowering_the_roll_up_needs_a_reason(tw):
    (m,) = measures(tw, ("修订制度", 1, today() + timedelta(days=30)))
    actions.report_progress(tw.chair, m, 100, "完成")
    with pytest.raises(DomainError) as refused:
        actions.add_measure(tw.chair, tw.passed, "补充培训", 1, today() + timedelta(days=40))
    assert refused.value.code == "tracking.roll_up_backwards" and Measure.objects.count() == 1
    actions.add_measure(tw.chair, tw.passed, "补充培训", 1, today() + timedelta(days=40), reason="监督委员会检查后补充")
    plan = Plan.objects.get(resolution=tw.passed)
    assert plan.progress == 50 and plan.carried_out_on is None


def test_elections_are_not_tracked(tw):
    with pytest.raises(DomainError) as refused:
        actions.add_measure(tw.chair, tw.elected, "x", 1, today())
    assert refused.value.code == "tracking.not_trackable"
    assert queries.resolution_tracking(tw.elected).state == "not_tracked"
    measure = actions.add_measure(tw.chair, tw.advised, "加大安全投入", 1, today() + timedelta(days=10))
    assert measure.plan.resolution == tw.advised


def test_who_may_plan_and_report(tw, world):
    department = tw.vw.production
    (m,) = measures(tw, ("更新防护用品", 1, today() + timedelta(days=30), department))
    with pytest.raises(PermissionDenied):
        actions.add_measure(world.worker, tw.passed, "x", 1, today())
    with pytest.raises(PermissionDenied):
        actions.report_progress(world.worker, m, 10, "x")
    with pytest.raises(PermissionDenied):
        actions.report_progress(world.outsider, m, 10, "x")
    entry = actions.report_progress(tw.vw.clerk, m, 10, "生产部已下单。")  # a member of the department
    assert entry.by == tw.vw.clerk
    other = core.create_department(world.enterprise_admin, world.enterprise_b and world.enterprise_a, "财务部")
    with pytest.raises(PermissionDenied):
        actions.report_progress(tw.vw.clerk, actions.add_measure(tw.chair, tw.passed, "预算", 1, today(), other,
                                                                 reason="补充"), 10, "x")


def test_department_of_another_enterprise_is_refused(tw, world):
    theirs = core.create_department(world.admin, world.enterprise_b, "销售部")
    with pytest.raises(DomainError) as refused:
        actions.add_measure(tw.chair, tw.passed, "x", 1, today(), theirs)
    assert refused.value.code == "tracking.department"


def test_plan_sets_department_and_due_date(tw):
    plan = actions.plan_resolution(tw.chair, tw.passed, today() + timedelta(days=100), tw.vw.logistics)
    assert plan.department == tw.vw.logistics and plan.enterprise == tw.enterprise
    with pytest.raises(DomainError) as refused:
        actions.plan_resolution(tw.chair, tw.passed, today() - timedelta(days=1))
    assert refused.value.code == "tracking.due_before_vote"
    default = actions.plan_resolution(tw.chair, tw.advised)
    assert default.due_on == actions.decided_on(tw.advised).replace(year=today().year + 1) or default.due_on.month == 2
