"""A county pool book of county A and one of county B, a treasurer over county A."""

from dataclasses import dataclass
from datetime import date

import pytest

from zhigong.conftest import _user
from zhigong.core.models import Role, User
from zhigong.ledger import actions
from zhigong.ledger.models import Book
from zhigong.ledger.rules import credit, debit

DAY = date(2026, 10, 15)


@dataclass
class Books:
    a: Book
    b: Book
    treasurer: User


@pytest.fixture
def books(world) -> Books:
    a = actions.open_book(world.cadre_a, world.county_a, "玄武区互助金县级池", code="pool-a")
    b = actions.open_book(world.outsider, world.county_b, "秦淮区互助金县级池", code="pool-b")
    treasurer = _user(world.admin, "treasurer_a", Role.TREASURER, world.county_a)
    return Books(a=a, b=b, treasurer=treasurer)


def contribution(actor, book, fen, enterprise_id=None, day=DAY, key=None, person_id=None):
    """An enterprise's contribution arriving at the bank."""
    return actions.post(actor, book, day, "企业缴费", [
        debit("1002", fen, organization_id=enterprise_id),
        credit("6001", fen, organization_id=enterprise_id, person_id=person_id),
    ], key=key)
