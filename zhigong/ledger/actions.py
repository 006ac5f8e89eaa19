"""Every change to the ledger: policy check → rules → one transaction → trail event.

The contract other funds build on (docs/ledger.md):

    from zhigong.ledger import actions as ledger
    from zhigong.ledger.rules import credit, debit
    from zhigong.ledger import chart

    book = ledger.open_book(actor, federation, "玄武区互助金县级池", code="pool-7")
    entry = ledger.post(actor, book, day, "企业缴费入账", [
        debit(chart.BANK, 8000, organization_id=enterprise.pk),
        credit(chart.RECEIVABLE, 8000, organization_id=enterprise.pk),
    ], source=invoice, key=f"invoice-{invoice.pk}-paid")
    ledger.reverse(actor, entry, "重复入账")
    ledger.close_period(actor, book, date(2026, 10, 1))

Every function raises DomainError (code "ledger.*", Chinese message, field) on bad input and
PermissionDenied when the actor holds no ledger role over the book's owner. post() and
post_many() run inside the caller's transaction when there is one (a savepoint), so a fund's
action and its postings commit or fail together.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization, Person
from zhigong.ledger import batch, locks, rules
from zhigong.ledger.chart import CHARTS
from zhigong.ledger.models import Account, Book, Entry, Leg, Period
from zhigong.ledger.rules import Line

CHUNK = 5_000
MESSAGES = {
    "ledger.too_few_legs": gettext_lazy("一张凭证至少要有两条分录。"),
    "ledger.amount": gettext_lazy("金额必须是以分为单位的整数。"),
    "ledger.zero_leg": gettext_lazy("分录金额不能为零。"),
    "ledger.unbalanced": gettext_lazy("借贷不平衡：借方合计与贷方合计必须相等。"),
    "ledger.party": gettext_lazy("往来单位或个人的编号不正确。"),
}


@dataclass(frozen=True)
class Draft:
    """One entry for post_many(): the same arguments as post()."""

    day: date
    memo: str
    legs: Sequence[Line]
    source: Any = None
    key: str | None = None


@dataclass
class Batch:
    """What post_many() wrote: counts, the digest of the posted entries (also in the trail
    event) and the ids of the first and last new entry."""

    posted: int = 0
    skipped: int = 0
    digest: str = ""
    first_id: int | None = None
    last_id: int | None = None
    event_seq: int | None = None
    keys_skipped: list[str] = field(default_factory=list)


# --- Policy --------------------------------------------------------------------------------------

def may(actor, action: str, book: Book) -> bool:
    """ledger_view / ledger_post / ledger_close / ledger_open over the book's owner."""
    return policy.may_organization(actor, action, book.owner)


def _require(actor, action: str, book: Book) -> None:
    if not may(actor, action, book):
        raise PermissionDenied(action)


def _authorise(actor, book: Book, authorised_by: str) -> None:
    """The ledger's own check (ledger_post over the book's owner), unless `authorised_by` names
    the step of another app's action that has checked its own policy and causes this posting
    into a book the actor holds no grant over (e.g. "mutualaid.notice": the city pool's share
    of a county's contribution notice). The trail event records it. Only actions pass it:
    views and the API never do."""
    if authorised_by:
        if not isinstance(authorised_by, str) or len(authorised_by) > 64:
            raise ValueError("authorised_by: the verb of the calling action")
        return
    _require(actor, "ledger_post", book)


# --- Books ---------------------------------------------------------------------------------------

def open_book(actor, owner: Organization, name: str, chart: str = "mutualaid", code: str = "",
              kind: str = Book.Kind.MUTUALAID_POOL) -> Book:
    """A book with the accounts of `chart` (chart.CHARTS), owned by a federation. Idempotent on
    (owner, code): opening the same code again returns the existing book."""
    if not policy.may_organization(actor, "ledger_open", owner):
        raise PermissionDenied("ledger_open")
    if owner.kind != Organization.Kind.FEDERATION:
        raise DomainError("ledger.owner", _("账套只能由总工会开设。"), field="owner")
    if chart not in CHARTS:
        raise DomainError("ledger.chart", _("没有这种科目表。"), field="chart")
    if kind not in Book.Kind.values:
        raise DomainError("ledger.kind", _("没有这种账套类别。"), field="kind")
    name = _text(name, "name", 128)
    code = (code or "").strip()[:40]
    with transaction.atomic():
        existing = Book.objects.filter(owner=owner, code=code).first() if code else None
        if existing is not None:
            return existing
        book = Book.objects.create(owner=owner, code=code or _next_code(owner), name=name, kind=kind,
                                   chart=chart, region_id=owner.region_id)
        Account.objects.bulk_create(
            Account(book=book, code=c, name=n, type=t) for c, n, t in CHARTS[chart])
        trail.record(actor, "ledger.open_book", book, {"code": book.code, "name": name, "chart": chart,
                                                       "owner": owner.pk})
    return book


def _next_code(owner: Organization) -> str:
    return f"book-{Book.objects.filter(owner=owner).count() + 1}"


def _text(value: str, field_name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", _("此项必填。"), field=field_name)
    if len(value) > limit:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": limit}, field=field_name)
    return value


# --- Posting -------------------------------------------------------------------------------------

def post(actor, book: Book, day: date, memo: str, legs: Iterable, source: Any = None,
         key: str | None = None, guard: Any = None, authorised_by: str = "") -> Entry:
    """Post one balanced entry and return it.

    legs: rules.Line values (rules.debit / rules.credit), or (account_code, signed_fen) pairs.
    source: the model instance (or ("app.model", pk) pair) the entry records.
    key: idempotency key, unique per book; posting it again returns the first entry (and
         raises ledger.key_reused when the legs differ).
    guard: (account_code, min_balance_fen) or a list of them: the account rows are locked
         FOR UPDATE and the posting is refused (ledger.insufficient) when it would leave the
         account's own balance (rules.natural) below the minimum. Every posting that takes
         money out of a guarded account must pass the guard, or the guard proves nothing.
    authorised_by: see _authorise.
    """
    _authorise(actor, book, authorised_by)
    lines = _lines(legs)
    memo = _text(memo, "memo", 200)
    key = _key(key)
    with transaction.atomic():
        locks.book_for_posting(book)
        if key is not None:
            existing = _existing(book, key, lines)
            if existing is not None:
                return existing
        _check_open(book, rules.month_of(day))
        accounts = _accounts(book, lines)
        _check_parties(lines)
        if guard is not None:
            _check_guards(book, accounts, lines, guard)
        if key is None:
            entry = _write(actor, book, day, memo, lines, accounts, source, key)
        else:
            try:
                with transaction.atomic():  # a savepoint: a concurrent post of the key may win
                    entry = _write(actor, book, day, memo, lines, accounts, source, key)
            except IntegrityError:
                existing = _existing(book, key, lines)
                if existing is None:
                    raise
                return existing
        trail.record(actor, "ledger.post", entry, {
            "book": book.pk, "day": day.isoformat(), "key": key or "", "authorised_by": authorised_by,
            "legs": [[line.account, line.amount_fen] for line in lines]})
    return entry


def _lines(legs: Iterable) -> list[Line]:
    lines = []
    for leg in legs:
        if isinstance(leg, Line):
            lines.append(leg)
        elif isinstance(leg, Account):
            raise DomainError("ledger.amount", MESSAGES["ledger.amount"], field="legs")
        else:
            try:
                code, amount = leg
            except (TypeError, ValueError):
                raise DomainError("ledger.legs", _("分录格式不正确。"), field="legs") from None
            lines.append(Line(code.code if isinstance(code, Account) else str(code), amount))
    error = rules.lines_error(lines)
    if error:
        raise DomainError(error, MESSAGES[error], field="legs")
    return lines


def _key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    key = str(key)
    if len(key) > 100:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": 100}, field="key")
    return key


def _existing(book: Book, key: str, lines: list[Line]) -> Entry | None:
    entry = Entry.objects.filter(book=book, key=key).first()
    if entry is not None and not rules.same_lines(lines, entry_lines(entry)):
        raise DomainError("ledger.key_reused", _("该幂等键已用于另一张内容不同的凭证。"), field="key")
    return entry


def entry_lines(entry: Entry) -> list[Line]:
    return [Line(code, amount, org, person) for code, amount, org, person in
            entry.legs.order_by("id").values_list("account__code", "amount_fen", "party_organization_id",
                                                   "party_person_id")]


def _check_open(book: Book, month: date) -> None:
    if Period.objects.filter(book=book, month=month).exists():
        raise DomainError("ledger.period_closed", _("%(month)s 会计期间已结账，不能再记账。")
                          % {"month": month.strftime("%Y-%m")}, field="day")


def _accounts(book: Book, lines: list[Line]) -> dict[str, Account]:
    codes = {line.account for line in lines}
    found = {a.code: a for a in Account.objects.filter(book=book, code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        raise DomainError("ledger.account", _("账套中没有科目 %(code)s。") % {"code": missing[0]},
                          field="legs")
    return found


def _check_parties(lines: Iterable[Line]) -> None:
    orgs = {line.organization_id for line in lines if line.organization_id is not None}
    people = {line.person_id for line in lines if line.person_id is not None}
    if orgs and Organization.objects.filter(pk__in=orgs).count() != len(orgs):
        raise DomainError("ledger.party", _("往来单位不存在。"), field="legs")
    if people and Person.objects.filter(pk__in=people).count() != len(people):
        raise DomainError("ledger.party", _("往来个人不存在。"), field="legs")


def _source(source: Any) -> tuple[str, str]:
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return str(source[0])[:64], str(source[1])[:64]
    meta = source._meta
    return f"{meta.app_label}.{meta.model_name}", str(source.pk)


def _write(actor, book: Book, day: date, memo: str, lines: list[Line], accounts: dict[str, Account],
           source: Any, key: str | None, reverses: Entry | None = None) -> Entry:
    source_type, source_id = _source(source)
    month = rules.month_of(day)
    entry = Entry.objects.create(
        book=book, day=day, period=month, posted_at=timezone.now(), posted_by=_user(actor), memo=memo,
        source_type=source_type, source_id=source_id, key=key, reverses=reverses, region_id=book.region_id)
    Leg.objects.bulk_create(_legs(entry, book, month, lines, accounts))
    return entry


def _legs(entry: Entry, book: Book, month: date, lines: list[Line], accounts: dict[str, Account]):
    return [Leg(entry=entry, book=book, period=month, account=accounts[line.account],
                amount_fen=line.amount_fen, party_organization_id=line.organization_id,
                party_person_id=line.person_id) for line in lines]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Guards and locks ----------------------------------------------------------------------------

def locked_balance(account: Account) -> int:
    """The account's own balance (rules.natural: credit-normal accounts positive on the credit
    side), read after taking the account row FOR UPDATE. Call it inside transaction.atomic();
    the lock holds until that transaction ends, so two payers from one pool cannot both see
    the same balance. Lock several accounts in primary-key order (lock_accounts)."""
    if not connection.in_atomic_block:
        raise RuntimeError("locked_balance must run inside transaction.atomic()")
    locked = Account.objects.select_for_update().get(pk=account.pk)
    return _balance(locked)


def lock_accounts(accounts: Iterable[Account]) -> list[Account]:
    """FOR UPDATE on several account rows, always in primary-key order (no deadlocks)."""
    return locks.accounts(accounts)


def _balance(account: Account) -> int:
    total = Leg.objects.filter(account=account).aggregate(s=Sum("amount_fen"))["s"] or 0
    return rules.natural(total, account.type)


def _check_guards(book: Book, accounts: dict[str, Account], lines: list[Line], guard: Any) -> None:
    guards = [guard] if isinstance(guard, tuple) else list(guard)
    wanted = {}
    for code, minimum in guards:
        code = code.code if isinstance(code, Account) else str(code)
        wanted[code] = minimum
    guarded = _accounts(book, [Line(code, 1) for code in wanted])
    for account in lock_accounts(guarded.values()):
        delta = sum(line.amount_fen for line in lines if line.account == account.code)
        after = _balance(account) + rules.natural(delta, account.type)
        if after < wanted[account.code]:
            raise DomainError("ledger.insufficient", _("%(account)s 余额不足：记账后余额为 %(after)s 元。")
                              % {"account": account.name, "after": f"{after / 100:,.2f}"},
                              field="legs", account=account.code, balance_after_fen=after)


# --- Transfers between pools --------------------------------------------------------------------

def transfer(actor, source: Book, target: Book, day: date, amount_fen: int, memo: str,
             key: str | None = None, source_minimum_fen: int | None = 0,
             origin: Any = None, authorised_by: str = "") -> tuple[Entry, Entry]:
    """Move money from one pool's bank to another's, in one transaction: in `source`
    Dr 6711 transfers out / Cr 1002 bank, in `target` Dr 1002 bank / Cr 6051 transfers in.
    The source bank is guarded (not below `source_minimum_fen`; None: unguarded). With a key,
    the two entries get the keys "<key>:out" and "<key>:in" and a repeat returns them."""
    from zhigong.ledger import chart

    if source.pk == target.pk:
        raise DomainError("ledger.transfer_same", _("调出和调入不能是同一账套。"), field="target")
    if not rules.is_fen(amount_fen) or amount_fen <= 0:
        raise DomainError("ledger.amount", MESSAGES["ledger.amount"], field="amount_fen")
    guard = None if source_minimum_fen is None else (chart.BANK, source_minimum_fen)
    with transaction.atomic():
        out = post(actor, source, day, memo, [rules.debit(chart.TRANSFERS_OUT, amount_fen),
                                               rules.credit(chart.BANK, amount_fen)],
                   source=origin, key=f"{key}:out" if key else None, guard=guard, authorised_by=authorised_by)
        into = post(actor, target, day, memo, [rules.debit(chart.BANK, amount_fen),
                                                rules.credit(chart.TRANSFERS_IN, amount_fen)],
                    source=origin or out, key=f"{key}:in" if key else None, authorised_by=authorised_by)
    return out, into


# --- Reversal and periods ------------------------------------------------------------------------

def reverse(actor, entry: Entry, reason: str, day: date | None = None, key: str | None = None) -> Entry:
    """Post the reversal of `entry` (every leg negated) dated `day` (default today) and return
    it. An entry is reversed at most once; a reversal is not itself reversed (post anew)."""
    book = entry.book
    _require(actor, "ledger_post", book)
    reason = _text(reason, "reason", 200)
    day = day or timezone.localdate()
    if entry.reverses_id is not None:
        raise DomainError("ledger.reverse_reversal", _("冲销凭证不能再被冲销，请重新记账。"), field="entry")
    lines = rules.reversal_lines(entry_lines(entry))
    with transaction.atomic():
        locks.book_for_posting(book)
        if Entry.objects.filter(reverses=entry).exists():
            raise _already_reversed()
        _check_open(book, rules.month_of(day))
        accounts = _accounts(book, lines)
        memo = (_("冲销 #%(id)s：%(reason)s") % {"id": entry.pk, "reason": reason})[:200]
        try:
            with transaction.atomic():
                reversal = _write(actor, book, day, memo, lines, accounts, (entry.source_type, entry.source_id)
                                  if entry.source_type else None, _key(key), reverses=entry)
        except IntegrityError:
            raise _already_reversed() from None
        trail.record(actor, "ledger.reverse", reversal, {"reverses": entry.pk, "reason": reason,
                                                         "day": day.isoformat()})
    return reversal


def _already_reversed() -> DomainError:
    return DomainError("ledger.already_reversed", _("该凭证已被冲销过。"), field="entry")


def close_period(actor, book: Book, month: date) -> Period:
    """Close the month of `month` (any day in it): nothing posts into it any more. Only a month
    that has ended can be closed; closing is final."""
    if not may(actor, "ledger_close", book):
        raise PermissionDenied("ledger_close")
    month = rules.month_of(month)
    if month >= rules.month_of(timezone.localdate()):
        raise DomainError("ledger.period_not_over", _("只能结账已经结束的月份。"), field="month")
    with transaction.atomic():
        locks.book_for_closing(book)
        if Period.objects.filter(book=book, month=month).exists():
            raise DomainError("ledger.period_closed", _("%(month)s 会计期间已结账，不能再记账。")
                              % {"month": month.strftime("%Y-%m")}, field="month")
        period = Period.objects.create(book=book, month=month, closed_at=timezone.now(), closed_by=_user(actor))
        totals = Leg.objects.filter(book=book, period=month).aggregate(s=Sum("amount_fen"))
        trail.record(actor, "ledger.close_period", period, {"book": book.pk, "month": month.isoformat(),
                                                            "sum_fen": totals["s"] or 0})
    return period


def is_closed(book: Book, day: date) -> bool:
    return Period.objects.filter(book=book, month=rules.month_of(day)).exists()


# --- Batches -------------------------------------------------------------------------------------

def post_many(actor, book: Book, drafts: Iterable[Draft], chunk: int = CHUNK, authorised_by: str = "") -> Batch:
    """Post many entries in one transaction, written in chunks as plain rows (batch.py: COPY on
    PostgreSQL), and record one trail event with the count and the SHA-256 digest of what was posted. The same checks as
    post() for every entry; drafts whose key is already posted in the book are skipped (when
    their legs match), so a batch can be run again after a failure. All or nothing."""
    _authorise(actor, book, authorised_by)
    result = Batch()
    hasher = hashlib.sha256()
    with transaction.atomic():
        locks.book_for_posting(book)
        closed = set(Period.objects.filter(book=book).values_list("month", flat=True))
        accounts = {a.code: a for a in Account.objects.filter(book=book)}
        seen: set[str] = set()
        pending: list[tuple[Draft, list[Line], str | None]] = []
        for n, draft in enumerate(drafts):
            pending.append(_checked(draft, n, closed, accounts, seen))
            if len(pending) >= chunk:
                _flush(actor, book, pending, accounts, result, hasher)
                pending = []
        if pending:
            _flush(actor, book, pending, accounts, result, hasher)
        result.digest = hasher.hexdigest()
        event = trail.record(actor, "ledger.post_many", book, {
            "posted": result.posted, "skipped": result.skipped, "digest": result.digest,
            "authorised_by": authorised_by,
            "first": result.first_id, "last": result.last_id})
        result.event_seq = event.seq
    return result


def _checked(draft: Draft, n: int, closed: set[date], accounts: dict[str, Account], seen: set[str]):
    try:
        lines = _lines(draft.legs)
        key = _key(draft.key)
        _text(draft.memo, "memo", 200)
    except DomainError as error:
        error.details["row"] = n
        raise
    month = rules.month_of(draft.day)
    if month in closed:
        raise DomainError("ledger.period_closed", _("%(month)s 会计期间已结账，不能再记账。")
                          % {"month": month.strftime("%Y-%m")}, field="day", row=n)
    unknown = {line.account for line in lines} - set(accounts)
    if unknown:
        raise DomainError("ledger.account", _("账套中没有科目 %(code)s。") % {"code": sorted(unknown)[0]},
                          field="legs", row=n)
    if key is not None:
        if key in seen:
            raise DomainError("ledger.key_twice", _("同一批次中幂等键重复。"), field="key", row=n)
        seen.add(key)
    return draft, lines, key


def _flush(actor, book: Book, pending: list, accounts: dict[str, Account], result: Batch, hasher) -> None:
    keys = [key for _d, _l, key in pending if key is not None]
    posted = {e.key: e for e in Entry.objects.filter(book=book, key__in=keys)} if keys else {}
    _check_parties(line for _d, lines, _k in pending for line in lines)
    entry_rows, leg_rows = [], []
    for draft, lines, key in pending:
        if key in posted:
            if not rules.same_lines(lines, entry_lines(posted[key])):
                raise DomainError("ledger.key_reused", _("该幂等键已用于另一张内容不同的凭证。"), field="key")
            result.skipped += 1
            result.keys_skipped.append(key)
            continue
        n = len(entry_rows)
        source_type, source_id = _source(draft.source)
        entry_rows.append((draft.day, rules.month_of(draft.day), draft.memo.strip(), source_type, source_id, key))
        leg_rows += [(n, accounts[line.account].pk, line.amount_fen, line.organization_id, line.person_id)
                     for line in lines]
        hasher.update(rules.entry_digest_line(draft.day, draft.memo, key, lines))
    user = _user(actor)
    ids = batch.write(book.pk, book.region_id, timezone.now(), user.pk if user else None, entry_rows, leg_rows)
    if ids:
        result.first_id = result.first_id or ids[0]
        result.last_id = ids[-1]
    result.posted += len(ids)
