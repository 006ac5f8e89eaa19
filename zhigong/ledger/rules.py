"""Double-entry bookkeeping as pure functions: lines of an entry, the balance rule, periods,
signs and digests. No Django, no database; actions.py and the batch path both call these."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEBIT_NORMAL = {"asset", "expense"}
# One leg at most 10 trillion yuan: far above any fund, far below BIGINT, so sums never overflow.
MAX_FEN = 10**15


@dataclass(frozen=True)
class Line:
    """One leg to post: account code of the book, + debit / − credit in fen, optional party
    (enterprise organization id, worker person id) for statements."""

    account: str
    amount_fen: int
    organization_id: int | None = None
    person_id: int | None = None


def debit(account, fen: int, organization_id: int | None = None, person_id: int | None = None) -> Line:
    """`account`: a code ("1002") or anything with a `code` (an Account row)."""
    return Line(_code(account), _positive(fen), organization_id, person_id)


def credit(account, fen: int, organization_id: int | None = None, person_id: int | None = None) -> Line:
    return Line(_code(account), -_positive(fen), organization_id, person_id)


def _code(account) -> str:
    return str(getattr(account, "code", account))


def _positive(fen: int) -> int:
    if not is_fen(fen) or fen <= 0:
        raise ValueError("ledger.amount")
    return fen


def is_fen(value) -> bool:
    """Integer fen only: no float, no Decimal, no bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def lines_error(lines: list[Line]) -> str | None:
    """Why these lines cannot be an entry, as an error code; None when they can."""
    if len(lines) < 2:
        return "ledger.too_few_legs"
    if any(not is_fen(line.amount_fen) for line in lines):
        return "ledger.amount"
    if any(line.amount_fen == 0 for line in lines):
        return "ledger.zero_leg"
    if any(abs(line.amount_fen) > MAX_FEN for line in lines):
        return "ledger.amount"
    if any(not _id_ok(i) for line in lines for i in (line.organization_id, line.person_id)):
        return "ledger.party"
    if sum(line.amount_fen for line in lines) != 0:
        return "ledger.unbalanced"
    return None


def _id_ok(value) -> bool:
    return value is None or (is_fen(value) and 0 < value < 2**63)


def month_of(day: date) -> date:
    return day.replace(day=1)


def natural(amount_fen: int, account_type: str) -> int:
    """A signed sum (debit positive) as the account's own balance: credit-normal accounts
    (liability, equity, income) show credits as positive."""
    return amount_fen if account_type in DEBIT_NORMAL else -amount_fen


def reversal_lines(lines: Iterable[Line]) -> list[Line]:
    return [Line(line.account, -line.amount_fen, line.organization_id, line.person_id) for line in lines]


def same_lines(a: Iterable[Line], b: Iterable[Line]) -> bool:
    """Equal as multisets: the order of legs does not matter."""
    key = lambda line: (line.account, line.amount_fen, line.organization_id or 0, line.person_id or 0)  # noqa: E731
    return sorted(map(key, a)) == sorted(map(key, b))


def entry_digest_line(day: date, memo: str, key: str | None, lines: Iterable[Line]) -> bytes:
    parts = [day.isoformat(), memo, key or ""]
    parts += [f"{line.account}:{line.amount_fen}:{line.organization_id or ''}:{line.person_id or ''}"
              for line in lines]
    return "\x1f".join(parts).encode() + b"\n"
