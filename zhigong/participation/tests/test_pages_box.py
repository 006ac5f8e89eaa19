"""The suggestion box through the pages: anyone drops a message without an account and gets a
follow-up code once; a logged-in worker is not linked to it (their session row is untouched and
no table but the box's changes); management sets the box up, answers, makes answers public."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from zhigong.participation import actions, rules
from zhigong.participation.models import BoxMessage, BoxPhoto, BoxSettings
from zhigong.participation.tests.test_box import all_rows
from zhigong.trail.models import Event

BOX_TABLES = {"participation_boxmessage", "participation_boxphoto"}
WORDS = "夜班食堂不开，希望解决。"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit lives in the cache for an hour; each test starts with none spent.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def box(world) -> BoxSettings:
    return actions.open_box(world.enterprise_admin, world.enterprise_a)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged():
    """Every record of the loggers a request can write to, including those that do not
    propagate to the root (django.request, django.server)."""
    handler = Capture()
    names = ["", "django", "django.request", "django.server", "django.security", "zhigong"]
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler.records
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def session_row(key: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key, session_data, expire_date FROM django_session WHERE session_key = %s",
                       [key])
        return cursor.fetchone()


def code_on(page: str) -> str:
    return page.split('id="follow-up-code">')[1].split("<")[0].strip()


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 10, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def drop(client, box, text=WORDS, addr="10.20.30.40", **extra):
    return client.post(f"/box/{box.slug}/", {"text": text, "category": "welfare", **extra}, REMOTE_ADDR=addr)


# --- Dropping a message -----------------------------------------------------------------------

def test_an_anonymous_visitor_drops_a_message_and_gets_the_code_once(box, client, logged):
    form = client.get(f"/box/{box.slug}/")
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    assert "sessionid" not in form.cookies and "csrftoken" in form.cookies
    before = all_rows()
    events = Event.objects.count()
    response = drop(client, box)
    page = response.content.decode()
    assert response.status_code == 200 and "请现在抄下或截图保存这个查询码" in page
    code = code_on(page)
    assert rules.follow_up_code_ok(code) and page.count(code) == 1
    assert response["Cache-Control"] == "no-store" and "sessionid" not in response.cookies
    after = all_rows()
    assert {t for t in after if after[t] != before[t]} == {"participation_boxmessage"}
    assert Event.objects.count() == events
    assert actions.read_thread(code).text == WORDS
    for record in logged:
        line = f"{record.name} {record.getMessage()}"
        assert code not in line and "10.20.30.40" not in line and WORDS not in line, line


def test_a_logged_in_worker_is_not_linked_to_the_message(box, world, client, logged):
    client.force_login(world.worker, backend="zhigong.core.auth.UsernameOrMobileBackend")
    key = client.session.session_key
    session_before = session_row(key)
    assert session_before is not None
    client.get(f"/box/{box.slug}/")
    before = all_rows()
    response = drop(client, box, photos=[jpeg()])
    page = response.content.decode()
    assert response.status_code == 200 and code_on(page)
    assert session_row(key) == session_before
    after = all_rows()
    assert {t for t in after if after[t] != before[t]} == BOX_TABLES
    assert "sessionid" not in response.cookies
    # The page does not know who is looking: no account name, no menu, no logout.
    assert world.worker.username not in page and "张伟" not in page and "/logout/" not in page
    assert BoxPhoto.objects.count() == 1
    assert not any(world.worker.username in r.getMessage() for r in logged)


def test_the_drop_form_is_csrf_protected(box):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/box/{box.slug}/", {"text": WORDS, "category": "other"})
    assert response.status_code == 403 and not BoxMessage.objects.exists()
    page = strict.get(f"/box/{box.slug}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(f"/box/{box.slug}/", {"text": WORDS, "category": "other", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and BoxMessage.objects.count() == 1


@pytest.mark.parametrize("text,message", [
    ("", "请填写意见内容。"),
    ("   ", "请填写意见内容。"),
    ("字" * 2001, "意见内容不能超过2000个字。"),
])
def test_empty_or_oversized_text_is_refused_and_kept(box, client, text, message):
    response = drop(client, box, text=text)
    page = response.content.decode()
    assert response.status_code == 200 and message in page and 'id="id_text_errors"' in page
    if text.strip():
        assert text in page
    assert not BoxMessage.objects.exists()


def test_a_photo_of_the_wrong_type_is_refused(box, client):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = drop(client, box, photos=[fake])
    page = response.content.decode()
    assert "照片应为JPEG或PNG图片。" in page and WORDS in page
    assert not BoxMessage.objects.exists() and not BoxPhoto.objects.exists()


def test_a_rate_limited_sender_gets_a_clear_message_with_the_text_kept(box, client):
    for n in range(5):
        assert "follow-up-code" in drop(client, box, text=f"意见{n}", addr="10.9.9.9").content.decode()
    response = drop(client, box, text="第六条意见", addr="10.9.9.9")
    page = response.content.decode()
    assert "提交过于频繁，请稍后再试。" in page and "第六条意见" in page
    assert BoxMessage.objects.count() == 5


def test_a_wrong_slug_is_404(box, client):
    for path in ("/box/nosuchbox123/", "/box/nosuchbox123/answers/"):
        response = client.get(path)
        assert response.status_code == 404 and "找不到这个意见箱" in response.content.decode()
    assert client.post("/box/nosuchbox123/", {"text": WORDS}).status_code == 404
    assert not BoxMessage.objects.exists()


# --- Following up with the code ---------------------------------------------------------------

def test_a_wrong_follow_up_code_gets_a_clear_message(box, client):
    actions.drop_message(box, WORDS, "welfare", False, [], "10.0.0.1")
    for code in ("AAAA-BBBB-CCCC-DDDD", "not a code"):
        response = client.post("/box/follow-up/", {"code": code})
        page = response.content.decode()
        assert "查询码不存在，请核对后重新输入。" in page and f'value="{code}"' in page
        assert WORDS not in page


def test_the_sender_reads_the_answer_and_replies(box, world, client):
    message, code = actions.drop_message(box, WORDS, "welfare", True, [], "10.0.0.1")
    actions.answer_message(world.enterprise_admin, message, "下月起夜班食堂开放到凌晨两点。")
    page = client.post("/box/follow-up/", {"code": code.lower().replace("-", " ")}).content.decode()
    assert WORDS in page and "下月起夜班食堂开放到凌晨两点。" in page and "已答复" in page
    assert code not in page.split('name="code"')[0]  # the code is only in the hidden reply field
    response = client.post("/box/follow-up/reply/", {"code": code, "text": "谢谢！周末也开吗？"})
    page = response.content.decode()
    assert "已收到您的留言" in page and "谢谢！周末也开吗？" in page
    message.refresh_from_db()
    assert message.state == "open" and message.replies.count() == 2
    empty = client.post("/box/follow-up/reply/", {"code": code, "text": ""}).content.decode()
    assert "请填写意见内容。" in empty and message.replies.count() == 2
    wrong = client.post("/box/follow-up/reply/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "text": "x"}).content.decode()
    assert "查询码不存在" in wrong


def test_the_public_board_shows_the_text_only_with_consent(box, world, client):
    agreed, _c1 = actions.drop_message(box, "同意公开的原文", "safety", True, [], "10.0.0.2")
    private, _c2 = actions.drop_message(box, "不愿公开的原文", "wages", False, [], "10.0.0.3")
    hidden, _c3 = actions.drop_message(box, "不公开的答复", "other", True, [], "10.0.0.4")
    actions.answer_message(world.enterprise_admin, agreed, "答复一", public=True)
    actions.answer_message(world.enterprise_admin, private, "答复二", public=True)
    actions.answer_message(world.enterprise_admin, hidden, "答复三", public=False)
    page = client.get(f"/box/{box.slug}/answers/").content.decode()
    assert "同意公开的原文" in page and "答复一" in page
    assert "不愿公开的原文" not in page and "答复二" in page and "留言人未同意公开原文" in page
    assert "答复三" not in page


# --- Management -------------------------------------------------------------------------------

def test_management_sets_up_the_box_and_sees_link_and_qr(world, login):
    client = login(world.enterprise_admin)
    page = client.get(f"/box/manage/{world.enterprise_a.pk}/").content.decode()
    assert "本企业还没有开通意见箱" in page
    bad = client.post(f"/box/manage/{world.enterprise_a.pk}/", {"answer_days": 120}).content.decode()
    assert "id_answer_days_errors" in bad and not BoxSettings.objects.exists()
    response = client.post(f"/box/manage/{world.enterprise_a.pk}/", {"answer_days": 10})
    assert response.status_code == 302
    box = BoxSettings.objects.get()
    assert box.answer_days == 10
    page = client.get(f"/box/manage/{world.enterprise_a.pk}/").content.decode()
    assert f"http://testserver/box/{box.slug}/" in page and '<svg width="' in page and 'class="segno"' in page


def test_the_inbox_shows_age_and_flags_overdue(box, world, login):
    late, _c = actions.drop_message(box, "很久以前的意见", "other", False, [], "10.0.0.5")
    recent, _c = actions.drop_message(box, "刚收到的意见", "other", False, [], "10.0.0.6")
    today = timezone.localdate()
    BoxMessage.objects.filter(pk=late.pk).update(received_on=today - timedelta(days=20),
                                                 due_on=today - timedelta(days=5))
    page = login(world.enterprise_admin).get(f"/box/manage/{world.enterprise_a.pk}/").content.decode()
    items = page.split('class="plain-list inbox"')[1].split("</ul>")[0].split("<li")[1:]
    late_item = next(i for i in items if "很久以前的意见" in i)
    recent_item = next(i for i in items if "刚收到的意见" in i)
    assert 'class="overdue"' in late_item and "已收到 20 天" in late_item and "已逾期" in late_item
    assert "已逾期" not in recent_item and "已收到 0 天" in recent_item
    assert 'id="overdue-count" class="overdue-text">1<' in page


def test_management_answers_and_makes_it_public(box, world, login):
    message, code = actions.drop_message(box, WORDS, "welfare", True, [], "10.0.0.7")
    client = login(world.enterprise_admin)
    empty = client.post(f"/box/manage/messages/{message.pk}/", {"answer": ""}).content.decode()
    assert "这个字段是必填项。" in empty
    response = client.post(f"/box/manage/messages/{message.pk}/", {"answer": "已安排夜班供餐。", "public": "on"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == "answered" and message.public
    client.post(f"/box/manage/messages/{message.pk}/public/", {"public": "0"})
    message.refresh_from_db()
    assert not message.public
    assert "已安排夜班供餐。" in Client().post("/box/follow-up/", {"code": code}).content.decode()


def test_only_management_reaches_the_inbox(box, world, login):
    message, _code = actions.drop_message(box, WORDS, "welfare", False, [], "10.0.0.8")
    outsider = login(world.outsider)
    assert outsider.get(f"/box/manage/{world.enterprise_a.pk}/").status_code == 404
    assert outsider.get(f"/box/manage/messages/{message.pk}/").status_code == 404
    worker = login(world.worker)
    assert worker.get(f"/box/manage/{world.enterprise_a.pk}/").status_code == 403
    assert worker.get(f"/box/manage/messages/{message.pk}/").status_code == 404
    assert worker.post(f"/box/manage/messages/{message.pk}/", {"answer": "伪造"}).status_code == 404
    message.refresh_from_db()
    assert message.state == "open"
    page = worker.get("/box/").content.decode()
    assert f"/box/{box.slug}/" in page  # a worker finds their enterprise's box


def test_the_box_speaks_english_when_chosen(box, client):
    client.cookies["django_language"] = "en"
    page = client.get(f"/box/{box.slug}/").content.decode()
    assert "Send anonymously" in page and "Suggestion box of 玄武机械有限公司" in page
    assert "匿名提交" not in page
    page = drop(client, box, text="").content.decode()
    assert "Please write your message." in page
