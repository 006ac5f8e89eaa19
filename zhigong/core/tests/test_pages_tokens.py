"""API tokens on the profile page: issue (shown once), list, revoke with confirmation."""

import re

from zhigong.core import actions, queries
from zhigong.core.models import ApiToken
from zhigong.trail.models import Event


def _issue(client, name="考勤系统"):
    response = client.post("/profile/tokens/", {"name": name})
    page = response.content.decode()
    match = re.search(r'id="new-token">(zg_[^<]+)<', page)
    return response, page, match.group(1) if match else None


def test_issue_shows_the_token_once_and_it_works(world, login):
    client = login(world.cadre_a)
    response, page, raw = _issue(client)
    assert response.status_code == 200 and raw is not None
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.cadre_a)
    assert token.name == "考勤系统" and raw.startswith(token.prefix) and token.prefix in page
    assert Event.objects.filter(verb="token.issue").count() == 1
    profile = client.get("/profile/").content.decode()
    assert raw not in profile
    assert "考勤系统" in profile and "从未使用" in profile
    assert queries.user_for_token(raw) == world.cadre_a
    assert "从未使用" not in client.get("/profile/").content.decode()  # last use now shown


def test_issue_needs_a_name(world, login):
    response, page, raw = _issue(login(world.cadre_a), name="   ")
    assert response.status_code == 400 and raw is None and "这个字段是必填项。" in page
    assert not ApiToken.objects.exists()


def test_revoke_asks_then_revokes(world, login):
    client = login(world.cadre_a)
    _response, _page, raw = _issue(client)
    token = ApiToken.objects.get()
    url = f"/profile/tokens/{token.pk}/revoke/"
    assert "确认吊销" in client.get(url).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # the GET only asks
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and queries.user_for_token(raw) is None
    assert "已吊销" in client.get("/profile/").content.decode()


def test_tokens_of_others_do_not_exist(world, login):
    token, _raw = actions.issue_token(world.outsider, "秦淮")
    client = login(world.cadre_a)
    assert client.get(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "秦淮" not in client.get("/profile/").content.decode()


def test_profile_lists_roles_and_links_the_api_docs(world, login):
    page = login(world.cadre_a).get("/profile/").content.decode()
    assert "工会干部" in page and "玄武区总工会" in page and 'href="/api/v1/docs"' in page


def test_profile_needs_login(client, db):
    assert client.get("/profile/").status_code == 302
    assert client.post("/profile/tokens/", {"name": "x"}).status_code == 302
