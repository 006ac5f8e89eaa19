"""Chinese by default, English when chosen; the English catalogue is complete, its placeholders
match the Chinese ones, and the compiled .mo is the one the .po makes."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils import translation

from zhigong import i18n

PO = Path(i18n.LOCALE_DIR) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sd]")


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request in English leaves English active in this thread; later tests expect Chinese.
    yield
    translation.activate("zh-hans")


def _catalogue():
    with PO.open("rb") as source:
        return read_po(source, locale="en")


def _messages():
    return [m for m in _catalogue() if m.id]


def test_chinese_by_default_whatever_the_browser_says(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "用户名或手机号" in page


def test_english_after_switching_language(world, login):
    client = login(world.worker)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "My record" in page and "Labour contract" in page and "Member of" in page
    assert "我的记录" not in page and "劳动合同" not in page
    assert "¥6,500.00" in page and "2015-09-01" in page  # same numbers and dates in both
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的记录" in client.get("/").content.decode()


def test_english_form_errors(world, login):
    client = login(world.enterprise_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(f"/orgs/{world.enterprise_a.pk}/profit/", {"year": "2025", "profit": "abc"})
    assert "The amount is not valid" in response.content.decode()


def test_every_message_has_an_english_translation():
    untranslated = [m.id for m in _messages()
                    if m.fuzzy or not all(m.string if isinstance(m.string, (list, tuple)) else [m.string])]
    assert untranslated == [], f"fill these msgstr in {PO}: {untranslated}"


def test_translations_keep_the_placeholders():
    def names(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    wrong = []
    for message in _messages():
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        wrong += [(ids[0], s) for s in strings if names(s) != names(ids[0])]
    assert wrong == []


def test_compiled_catalogue_is_up_to_date():
    expected = io.BytesIO()
    write_mo(expected, _catalogue(), use_fuzzy=False)
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.read_bytes() == expected.getvalue(), "run: python -m zhigong.i18n"


def test_compile_module_writes_a_catalogue_gettext_reads(tmp_path):
    import gettext

    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.po").write_bytes(PO.read_bytes())
    [mo] = i18n.compile_all(tmp_path)
    with mo.open("rb") as source:
        translations = gettext.GNUTranslations(source)
    assert translations.gettext("职工服务平台") == "Workers’ Service Platform"
    assert translations.ngettext("共 %(total)s 个组织", "共 %(total)s 个组织", 2) == "%(total)s organizations"
