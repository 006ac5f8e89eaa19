"""Electronic payment of approved claims as pure functions: which claims may go into a batch,
what a bank's return row does to a payout, when a batch is settled, and the total in Chinese
capital figures. No Django, no database: actions_payments.py passes plain values in."""

from collections.abc import Iterable
from dataclasses import dataclass

# Claim states (models.Claim.State values) from which a claim may enter a new batch: approved,
# or returned by the bank as failed. A claim in a live payout is "in_batch" and cannot.
PAYABLE_CLAIM_STATES = ("approved", "payment_failed")
# Payout states (models.Payout.State values).
PENDING, EXPORTED, PAID, FAILED = "pending", "exported", "paid", "failed"
LIVE_PAYOUT_STATES = (PENDING, EXPORTED, PAID)


@dataclass(frozen=True)
class PayoutFact:
    reference: str
    state: str
    amount_fen: int


@dataclass(frozen=True)
class ReturnLine:
    """One checked row of the bank's return file (core.bankfiles.ReturnRow, reduced)."""

    row: int
    reference: str
    paid: bool


@dataclass(frozen=True)
class Outcome:
    """What one return row does: "paid", "failed", "skip" (already recorded the same way: a
    file imported twice changes nothing) or "conflict" / "not_exported" (an error)."""

    row: int
    reference: str
    verb: str


def payable(state: str, has_live_payout: bool) -> bool:
    """A claim may go into a new batch when approved (or failed at the bank) and not in a live
    payout: the guard against paying a claim twice, checked again by the database."""
    return state in PAYABLE_CLAIM_STATES and not has_live_payout


def outcome(line: ReturnLine, payout: PayoutFact) -> Outcome:
    wanted = PAID if line.paid else FAILED
    if payout.state == EXPORTED:
        return Outcome(line.row, line.reference, wanted)
    if payout.state == wanted:
        return Outcome(line.row, line.reference, "skip")
    if payout.state == PENDING:
        return Outcome(line.row, line.reference, "not_exported")
    return Outcome(line.row, line.reference, "conflict")


def reconcile(lines: Iterable[ReturnLine], payouts: dict[str, PayoutFact]) -> list[Outcome]:
    """The outcome of every row; the caller writes nothing when any is an error. The order of
    rows does not matter: each reference appears once (bankfiles refuses repeats)."""
    return [outcome(line, payouts[line.reference]) for line in lines]


def errors(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.verb in ("conflict", "not_exported")]


def settled(payout_states: Iterable[str]) -> bool:
    """A batch is settled when the bank has answered for every payout."""
    return all(state in (PAID, FAILED) for state in payout_states)


def capital_figures(fen: int) -> str:
    """¥1,234.50 → 壹仟贰佰叁拾肆元伍角 (人民币大写, as on Chinese payment vouchers)."""
    import cn2an

    if fen < 0:
        return "负" + capital_figures(-fen)
    if fen == 0:
        return "零元整"
    return cn2an.an2cn(f"{fen // 100}.{fen % 100:02d}", "rmb")
