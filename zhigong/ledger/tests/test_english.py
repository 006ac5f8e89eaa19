"""English is complete: every message of the ledger's catalogue is translated, and a page in
English shows no Chinese of its own."""

import re
from pathlib import Path

from zhigong.ledger.tests.conftest import contribution

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_english_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]
    untranslated = [b for b in blocks if re.search(r'^msgstr ""\Z', b.strip(), re.M) and "#~" not in b]
    assert not untranslated
    assert "#, fuzzy" not in "\n\n".join(blocks)


def test_the_trial_balance_page_in_english(books, world, login):
    contribution(books.treasurer, books.a, 100)
    client = login(world.cadre_a)
    client.cookies["django_language"] = "en"
    page = client.get(f"/ledger/books/{books.a.pk}/trial/").content.decode()
    assert "Trial balance" in page and "Bank" in page and "Contribution income" in page
    assert "试算平衡表" not in page and "银行存款" not in page
