"""The anonymous suggestion box: nothing stored, logged or trailed links back to the sender."""

import io
import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from PIL import Image

from zhigong.core.errors import DomainError
from zhigong.participation import actions, queries
from zhigong.participation.models import BoxMessage, BoxPhoto, BoxSettings
from zhigong.trail.models import Event


@pytest.fixture
def box(world):
    return actions.open_box(world.enterprise_admin, world.enterprise_a)


def all_rows() -> dict[str, list[tuple]]:
    """Every row of every table, as text."""
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the app registry
            found[table] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return found


def test_a_logged_in_worker_leaves_no_trace(box, world, client, caplog):
    client.force_login(world.worker, backend="zhigong.core.auth.UsernameOrMobileBackend")
    session_key = client.session.session_key
    before = all_rows()
    seq_before = Event.objects.count()
    caplog.set_level(logging.DEBUG)
    response = client.post(f"/api/v1/box/{box.slug}/messages", data={"text": "夜班食堂不开，希望解决。",
                           "category": "welfare"}, content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 201, response.content
    code = response.json()["follow_up_code"]
    after = all_rows()
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"participation_boxmessage"}, changed  # not even the session row
    row = {k: str(v) for k, v in BoxMessage.objects.values().get().items() if k != "box_id"}
    identity = {str(world.worker.pk), world.worker.username, str(world.worker_person.pk), "10.1.2.3",
                session_key, world.worker_person.mobile}
    assert not identity & set(row.values()), row
    assert len(row["received_on"]) == 10  # a date, never a time
    message = BoxMessage.objects.get()
    assert {f.name for f in BoxMessage._meta.concrete_fields} == {
        "id", "box", "received_on", "category", "text", "consent_public", "follow_up_hash", "state",
        "due_on", "answer", "answered_on", "public"}
    assert code.replace("-", "") not in message.follow_up_hash
    assert Event.objects.count() == seq_before
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for secret in (code, "10.1.2.3", world.worker.username, "夜班食堂"):
        assert secret not in logged


def test_follow_up_code_reads_the_answer_and_replies(box, world):
    message, code = actions.drop_message(box, "车间噪音太大", "safety", True, [], "10.0.0.1")
    assert message.due_on == timezone.localdate() + timedelta(days=15)
    actions.answer_message(world.enterprise_admin, message, "已加装隔音设施。", public=True)
    thread = actions.read_thread(code.lower().replace("-", " "))
    assert thread.state == "answered" and thread.replies.get().text == "已加装隔音设施。"
    actions.sender_reply(code, "谢谢，但二车间还没装。")
    thread.refresh_from_db()
    assert thread.state == "open" and thread.replies.count() == 2
    assert list(queries.public_board(box)) == []  # re-opened: off the board until answered again
    actions.answer_message(world.enterprise_admin, thread, "二车间下周安装。", public=True)
    assert list(queries.public_board(box)) == [thread]


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "not a code", ""])
def test_unknown_follow_up_code(box, code):
    with pytest.raises(DomainError) as err:
        actions.read_thread(code)
    assert err.value.code == "box.unknown_code"


@pytest.mark.parametrize("text,code", [("", "box.empty"), ("字" * 2001, "box.too_long")])
def test_bad_messages_write_nothing(box, text, code):
    with pytest.raises(DomainError) as err:
        actions.drop_message(box, text, "other", False, [], "10.0.0.1")
    assert err.value.code == code
    assert not BoxMessage.objects.exists()


def test_rate_limit_without_a_record(box):
    for _ in range(5):
        actions.drop_message(box, "意见", "other", False, [], "10.9.9.9")
    with pytest.raises(DomainError) as err:
        actions.drop_message(box, "意见", "other", False, [], "10.9.9.9")
    assert err.value.code == "box.rate_limited" and "稍后" in str(err.value.message)
    actions.drop_message(box, "别人的意见", "other", False, [], "10.9.9.8")
    assert BoxMessage.objects.count() == 6


def _jpeg_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x9003] = "2026:11:23 08:15:00"  # DateTimeOriginal
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    out.seek(0)
    out.name = "photo.jpg"
    out.size = len(out.getvalue())
    return out


def test_photos_lose_their_metadata(box):
    photo = _jpeg_with_exif()
    assert b"SpyCam" in photo.getvalue()
    message, _code = actions.drop_message(box, "看照片", "safety", False, [photo], "10.0.0.2")
    stored = BoxPhoto.objects.get(message=message)
    data = stored.file.read()
    assert b"SpyCam" not in data and b"2026:11:23" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)


def test_wrong_photo_type(box):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name, fake.size = "x.jpg", 20
    with pytest.raises(DomainError) as err:
        actions.drop_message(box, "附件", "other", False, [fake], "10.0.0.3")
    assert err.value.code == "box.photo_type"
    assert not BoxMessage.objects.exists()


def test_overview_and_daily_digest(box, world):
    message, _code = actions.drop_message(box, "意见一", "other", False, [], "10.0.0.4")
    BoxMessage.objects.filter(pk=message.pk).update(received_on=timezone.localdate() - timedelta(days=20),
                                                    due_on=timezone.localdate() - timedelta(days=5))
    overview = queries.box_overview(world.enterprise_admin, box)
    assert (overview["open"], overview["overdue"]) == (1, 1)
    assert actions.digest_finished_days() == 1
    event = Event.objects.get(verb="box.received")
    assert event.actor_id is None and event.created_at.astimezone(timezone.get_current_timezone()).hour == 0
    assert actions.digest_finished_days() == 0


def test_only_the_enterprise_answers(box, world):
    message, _code = actions.drop_message(box, "意见", "other", False, [], "10.0.0.5")
    from zhigong.core.errors import PermissionDenied
    for user in (world.worker, world.outsider, world.auditor):
        with pytest.raises(PermissionDenied):
            actions.answer_message(user, message, "答复")
    assert not BoxSettings.objects.filter(enterprise=world.enterprise_b).exists()
