"""Reads of the ledger, scoped by the policy: a book is seen by holders of ledger_view (cadre,
auditor, fund officers; zhigong/ledger/apps.py) over its owner federation; everyone else gets
404. Balances are SQL aggregates over legs (one GROUP BY, no join)."""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.ledger import rules
from zhigong.ledger.models import Account, Book, Entry, Leg, Period

# --- Scope ---------------------------------------------------------------------------------------

def visible_books(user) -> QuerySet[Book]:
    qs = Book.objects.select_related("owner")
    if policy.is_platform_admin(user):
        return qs
    paths = [s.path for s in policy.grants(user) if "ledger_view" in policy.ROLE_ACTIONS.get(s.role, set())]
    if not paths:
        return qs.none()
    return qs.filter(reduce(or_, (Q(owner__path__startswith=p) for p in paths)))


def access_book(user, pk) -> Book:
    book = visible_books(user).filter(pk=_as_int(pk)).first()
    if book is None:
        raise NotFound("book")
    return book


def access_entry(user, pk) -> Entry:
    entry = (Entry.objects.select_related("book__owner", "reverses", "posted_by")
             .filter(pk=_as_int(pk), book__in=visible_books(user)).first())
    if entry is None:
        raise NotFound("entry")
    return entry


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def entries(user, book: Book, month: date | None = None, account: str = "") -> QuerySet[Entry]:
    qs = Entry.objects.filter(book=book, book__in=visible_books(user)).select_related("reverses")
    if month is not None:
        qs = qs.filter(period=rules.month_of(month))
    if account:
        qs = qs.filter(legs__account__code=account).distinct()
    return qs.order_by("-day", "-id")


def entries_for_source(user, source_type: str, source_id) -> QuerySet[Entry]:
    """The entries that record one object of another app (e.g. a claim), in visible books."""
    return Entry.objects.filter(source_type=source_type, source_id=str(source_id),
                                book__in=visible_books(user)).order_by("id")


def legs_of(entry: Entry) -> QuerySet[Leg]:
    return entry.legs.select_related("account", "party_organization", "party_person").order_by("id")


def reversal_of(entry: Entry) -> Entry | None:
    return Entry.objects.filter(reverses=entry).first()


def closed_months(book: Book) -> list[date]:
    return list(Period.objects.filter(book=book).order_by("-month").values_list("month", flat=True))


# --- Balances ------------------------------------------------------------------------------------

@dataclass
class AccountBalance:
    account: Account
    opening_fen: int    # signed (debit +) before the first month asked for
    debit_fen: int      # debits within the months
    credit_fen: int     # credits within the months (positive number)
    closing_fen: int    # signed, at the end of the last month

    @property
    def natural_opening_fen(self) -> int:
        return rules.natural(self.opening_fen, self.account.type)

    @property
    def natural_closing_fen(self) -> int:
        return rules.natural(self.closing_fen, self.account.type)


def balance(account: Account, until: date | None = None) -> int:
    """The account's own balance (rules.natural) at the end of the month of `until` (or now).
    Unscoped: for actions and other queries that already hold the account."""
    qs = Leg.objects.filter(account=account)
    if until is not None:
        qs = qs.filter(period__lte=rules.month_of(until))
    return rules.natural(qs.aggregate(s=Sum("amount_fen"))["s"] or 0, account.type)


def balances(book: Book, start: date | None = None, end: date | None = None) -> list[AccountBalance]:
    """Every account of the book: opening before `start`'s month, debits and credits from
    `start`'s month to `end`'s month, closing at the end of `end`'s month (both optional)."""
    legs = Leg.objects.filter(book=book)
    if end is not None:
        legs = legs.filter(period__lte=rules.month_of(end))
    inside = Q(period__gte=rules.month_of(start)) if start is not None else Q()
    opening = (Coalesce(Sum(Case(When(period__lt=rules.month_of(start), then=F("amount_fen")))), 0)
               if start is not None else Value(0, output_field=BigIntegerField()))
    rows = legs.values("account_id").annotate(
        opening=opening,
        debit=Coalesce(Sum(Case(When(inside & Q(amount_fen__gt=0), then=F("amount_fen")))), 0),
        credit=Coalesce(Sum(Case(When(inside & Q(amount_fen__lt=0), then=-F("amount_fen")))), 0),
        closing=Sum("amount_fen"),
    ).order_by()
    found = {r["account_id"]: r for r in rows}
    result = []
    for account in book.accounts.order_by("code"):
        r = found.get(account.pk, {"opening": 0, "debit": 0, "credit": 0, "closing": 0})
        result.append(AccountBalance(account, int(r["opening"] or 0), int(r["debit"]), int(r["credit"]),
                                     int(r["closing"] or 0)))
    return result


@dataclass
class TrialBalance:
    rows: list[tuple[Account, int, int]]   # account, debit balance, credit balance (one is 0)
    debit_total_fen: int
    credit_total_fen: int

    @property
    def balanced(self) -> bool:
        return self.debit_total_fen == self.credit_total_fen


def trial_balance(book: Book, until: date | None = None) -> TrialBalance:
    """Balances of every account at the end of `until`'s month, each on its debit or credit
    side; the two totals are equal in a sound book (试算平衡)."""
    legs = Leg.objects.filter(book=book)
    if until is not None:
        legs = legs.filter(period__lte=rules.month_of(until))
    sums = dict(legs.values("account_id").annotate(s=Sum("amount_fen")).order_by().values_list("account_id", "s"))
    rows = []
    for account in book.accounts.order_by("code"):
        total = int(sums.get(account.pk) or 0)
        rows.append((account, max(total, 0), max(-total, 0)))
    return TrialBalance(rows, sum(r[1] for r in rows), sum(r[2] for r in rows))


def sums_by_account_code(book: Book) -> dict[str, int]:
    """Signed totals (debit +) by account code: the figures the benchmark compares."""
    rows = Leg.objects.filter(book=book).values("account__code").annotate(s=Sum("amount_fen")).order_by()
    return {r["account__code"]: int(r["s"]) for r in rows}


# --- Statements ----------------------------------------------------------------------------------

def enterprise_statement(user, organization_id, start: date | None = None, end: date | None = None):
    """(organization, legs) of an enterprise's statement of account: legs naming it as party, in
    the books the user sees, or in every book for those who run the enterprise itself."""
    org = policy.access_organization(user, organization_id)
    legs = Leg.objects.filter(party_organization=org)
    if not _holds_the_party(user, org.path):
        legs = legs.filter(book__in=visible_books(user))
    return org, _statement(legs, start, end)


def worker_statement(user, person_id, start: date | None = None, end: date | None = None):
    """(person, legs) of what was paid for and to a worker: legs naming them as party, in the
    books the user sees, or in every book for the worker themself and those who manage them."""
    person = policy.access_person(user, person_id)
    legs = Leg.objects.filter(party_person=person)
    if not (person.pk == getattr(user, "person_id", None) or _holds_the_party(user, person.scope_path)):
        legs = legs.filter(book__in=visible_books(user))
    return person, _statement(legs, start, end)


def _holds_the_party(user, path: str) -> bool:
    """A grant at the party's own organization or below it (the enterprise's admin, its union's
    chair): they see the party's legs in every book. Cadres above see only their own books."""
    return policy.is_platform_admin(user) or any(
        s.path.startswith(path) and "change" in policy.ROLE_ACTIONS.get(s.role, set()) for s in policy.grants(user))


def _statement(legs: QuerySet[Leg], start: date | None, end: date | None) -> QuerySet[Leg]:
    if start is not None:
        legs = legs.filter(entry__day__gte=start)
    if end is not None:
        legs = legs.filter(entry__day__lte=end)
    return legs.select_related("entry", "account", "book").order_by("entry__day", "entry_id", "id")


def statement_totals(legs: QuerySet[Leg]) -> list[dict]:
    """Totals of a statement by book and account: debit, credit, signed net."""
    rows = legs.order_by().values("book__name", "account__code", "account__name").annotate(
        debit=Coalesce(Sum(Case(When(amount_fen__gt=0, then=F("amount_fen")))), 0),
        credit=Coalesce(Sum(Case(When(amount_fen__lt=0, then=-F("amount_fen")))), 0),
        net=Sum("amount_fen"))
    return sorted(rows, key=lambda r: (r["book__name"], r["account__code"]))

