"""The convening notice reaches each delegate's inbox; opening it marks it read (a trail
event) and leads to the session; nobody sees or opens anyone else's notices."""

from zhigong.core.models import Notification
from zhigong.democracy import actions
from zhigong.trail.models import Event


def _convene(cw):
    actions.add_agenda_item(cw.chair, cw.session, "集体合同草案", "approve", matter="collective_contract")
    actions.convene_session(cw.chair, cw.session)


def test_delegate_reads_the_notice_and_follows_it(cw, login):
    _convene(cw)
    client = login(cw.users[0])
    inbox = client.get("/inbox/").content.decode()
    assert f"会议通知：{cw.session.title}" in inbox and "未读" in inbox
    assert '<span class="badge">1</span>' in client.get("/").content.decode()
    note = Notification.objects.get(user=cw.users[0])
    response = client.post(f"/inbox/{note.pk}/open/")
    assert response.status_code == 302 and response.url == f"/congress/sessions/{cw.session.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    event = Event.objects.get(verb="notification.read")
    assert event.actor_id == cw.users[0].pk and f'"notifications":[{note.pk}]' in bytes(event.leaf).decode()
    assert 'class="badge"' not in client.get("/").content.decode()


def test_mark_all_read_and_no_one_else_s_notices(cw, world, login):
    _convene(cw)
    other = Notification.objects.get(user=cw.users[1])
    client = login(cw.users[0])
    assert client.post(f"/inbox/{other.pk}/open/").status_code == 404
    assert cw.session.title not in login(world.worker).get("/inbox/").content.decode()
    client = login(cw.users[0])
    assert client.post("/inbox/read/").status_code == 302
    assert not Notification.objects.filter(user=cw.users[0], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
