"""Accounts through the pages: login by username or mobile, the generic failure message, lock-out,
logout and password change (with its trail event)."""

from django.urls import reverse
from django.utils import timezone

from zhigong.conftest import PASSWORD
from zhigong.core.models import User
from zhigong.trail.models import Event

LOGIN = "/accounts/login/"


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_login_by_username_goes_home(client, world):
    response = _post_login(client, "worker", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _logged_in_as(client) == world.worker.pk
    assert "张伟" in client.get("/").content.decode()


def test_login_by_mobile(client, world):
    assert world.worker.mobile == "13812345678"
    response = _post_login(client, "13812345678", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == world.worker.pk


def test_wrong_password_gives_one_generic_message_and_keeps_the_name(client, world):
    for username in ("worker", "nobody-at-all"):
        response = _post_login(client, username, "wrong-password")
        page = response.content.decode()
        assert response.status_code == 200
        assert "用户名/手机号或密码不正确。" in page
        assert f'value="{username}"' in page
        assert _logged_in_as(client) is None


def test_lock_out_after_five_failures_even_with_the_right_password(client, world, settings):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(5):
        _post_login(client, "worker", "wrong-password")
    world.worker.refresh_from_db()
    assert world.worker.locked_until is not None and world.worker.locked_until > timezone.now()
    response = _post_login(client, "worker", PASSWORD)
    until = timezone.localtime(world.worker.locked_until).strftime("%H:%M")
    assert f"账号已锁定至 {until}" in response.content.decode()
    assert _logged_in_as(client) is None


def test_four_failures_do_not_lock(client, world):
    for _ in range(4):
        _post_login(client, "worker", "wrong-password")
    assert _post_login(client, "worker", PASSWORD).status_code == 302


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_logout_is_a_post(client, world, login):
    login(world.worker)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_password_change_records_a_trail_event(client, world, login):
    login(world.worker)
    new = "Neues-Kennwort-2027"
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new,
    })
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    assert User.objects.get(pk=world.worker.pk).check_password(new)
    event = Event.objects.filter(verb="account.password_change").get()
    assert event.actor_id == world.worker.pk
    # The session survives the change (Django updates its hash).
    assert client.get("/").status_code == 200


def test_password_change_with_a_wrong_current_password(client, world, login):
    login(world.worker)
    response = client.post("/accounts/password/", {
        "old_password": "not-it", "new_password1": "Neues-Kennwort-2027", "new_password2": "Neues-Kennwort-2027",
    })
    assert response.status_code == 200
    assert "当前密码不正确，请重新输入。" in response.content.decode()
    assert User.objects.get(pk=world.worker.pk).check_password(PASSWORD)
    assert not Event.objects.filter(verb="account.password_change").exists()
