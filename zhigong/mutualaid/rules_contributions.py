"""Contribution standard (缴费标准), pool shares and shortfall as pure functions: no Django, no
database. The figures come from rule rows (zhigong.core.rulebook, keys mutualaid.*) and the plan
version's own rows (docs/mutualaid/plans.md), passed in as the dataclasses below.

One worker's line of a contribution notice:

    base  = price per share × shares × profit-band factor × months / period months
    wage  = monthly wage × rate ‰, at least the floor and at most the cap (× months / period)
    total = base + wage
    union subsidy = fixed fen per share (never more than the total); the rest is split
    enterprise ‰ / worker; a worker registered in hardship has their share paid by the union.

Every step is rounded half up to the fen once, and the parts are derived by subtraction, so
enterprise + worker + union always equals the total exactly.

The explanations are Chinese sentences stored on the notice line as they were printed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

LEVELS = ("county", "city", "province")


def div_round(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (away from zero on ties), in integers."""
    if denominator <= 0:
        raise ValueError("denominator")
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}元"


def factor_text(permille: int) -> str:
    text = f"{permille / 1000:.3f}".rstrip("0").rstrip(".")
    return text


# --- Profit bands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfitBand:
    """Enterprises whose profit last year is below `below_fen` (None: no upper bound) pay
    `permille` ‰ of the price. Bands are read in ascending order of `below_fen`."""

    below_fen: int | None
    permille: int
    label: str


def profit_bands(value: dict) -> tuple[list[ProfitBand], int]:
    """The bands and the factor for an enterprise without a profit on file, from the rule row
    mutualaid.profit_bands: {"bands": [{"below_fen": 0, "permille": 800, "label": "亏损"}, …,
    {"below_fen": null, …}], "unknown_permille": 1000}."""
    bands = [ProfitBand(b.get("below_fen"), int(b["permille"]), str(b.get("label", "")))
             for b in value["bands"]]
    return bands, int(value.get("unknown_permille", 1000))


def profit_factor(profit_fen: int | None, bands: Sequence[ProfitBand], unknown_permille: int) -> tuple[int, str]:
    """(factor ‰, Chinese reason) for last year's profit (negative: a loss; None: not on file)."""
    if profit_fen is None:
        return unknown_permille, f"上年度利润未登记，按系数{factor_text(unknown_permille)}"
    ordered = sorted(bands, key=lambda b: (b.below_fen is None, b.below_fen or 0))
    for band in ordered:
        if band.below_fen is None or profit_fen < band.below_fen:
            state = "亏损" if profit_fen < 0 else "利润"
            return band.permille, (f"上年度{state}{yuan(abs(profit_fen))}，属“{band.label}”档，"
                                   f"系数{factor_text(band.permille)}")
    raise ValueError("profit_bands: the last band must have no upper bound")


# --- Wage-linked part -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WagePart:
    """Rule row mutualaid.wage_part: {"enabled": true, "permille": 1, "floor_fen": 500,
    "cap_fen": 2000}: per person and period, not per share."""

    enabled: bool
    permille: int
    floor_fen: int
    cap_fen: int

    @classmethod
    def of(cls, value: dict) -> "WagePart":
        return cls(bool(value.get("enabled", False)), int(value.get("permille", 0)),
                   int(value.get("floor_fen", 0)), int(value.get("cap_fen", 0)))


def wage_part(monthly_wage_fen: int | None, rule: WagePart) -> tuple[int, str]:
    if not rule.enabled:
        return 0, ""
    if monthly_wage_fen is None:
        return rule.floor_fen, f"工资挂钩部分：未登记月工资，按下限{yuan(rule.floor_fen)}"
    raw = div_round(monthly_wage_fen * rule.permille, 1000)
    amount = min(max(raw, rule.floor_fen), rule.cap_fen)
    text = f"工资挂钩部分：月工资{yuan(monthly_wage_fen)} × {rule.permille}‰ = {yuan(raw)}"
    if amount != raw:
        text += f"，{'低于下限' if raw < rule.floor_fen else '高于上限'}，按{yuan(amount)}"
    return amount, text


# --- Split among enterprise, worker and union -----------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Plan version row contribution_split: the union pays `union_fen` per share (for a full
    period); of the rest the enterprise pays `enterprise_permille` ‰, the worker the remainder."""

    union_fen: int = 0
    enterprise_permille: int = 1000

    @classmethod
    def of(cls, params: dict | None) -> "Split":
        params = params or {}
        return cls(int(params.get("union_fen", 0)), int(params.get("enterprise_permille", 1000)))


@dataclass(frozen=True)
class LineInput:
    shares: int
    price_fen: int  # per share for a full period (after the group-age price, if any)
    months: int  # months of the notice's period
    period_months: int  # months of the plan's full period
    monthly_wage_fen: int | None = None
    hardship: bool = False


@dataclass(frozen=True)
class LineResult:
    base_fen: int
    wage_part_fen: int
    total_fen: int
    enterprise_fen: int
    worker_fen: int
    union_fen: int
    steps: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "；".join(self.steps) + "。"


def contribution_line(item: LineInput, factor_permille: int, factor_reason: str, wage_rule: WagePart,
                      split: Split) -> LineResult:
    """One worker's line: base × factor (pro rata), wage part, and the three payers."""
    if item.shares < 1 or item.months < 1 or item.period_months < 1:
        raise ValueError("contribution_line")
    steps = []
    base = div_round(item.price_fen * item.shares * factor_permille * item.months, 1000 * item.period_months)
    part = f"，按{item.months}/{item.period_months}期折算" if item.months != item.period_months else ""
    steps.append(f"每份{yuan(item.price_fen)} × {item.shares}份 × 系数{factor_text(factor_permille)}"
                 f"（{factor_reason}）{part} = {yuan(base)}")
    wage, wage_text = wage_part(item.monthly_wage_fen, wage_rule)
    if wage and item.months != item.period_months:
        wage = div_round(wage * item.months, item.period_months)
        wage_text += f"，按{item.months}/{item.period_months}期折算为{yuan(wage)}"
    if wage_text:
        steps.append(wage_text)
    total = base + wage
    steps.append(f"应缴合计{yuan(total)}")
    union = min(total, div_round(split.union_fen * item.shares * item.months, item.period_months))
    rest = total - union
    enterprise = div_round(rest * split.enterprise_permille, 1000)
    worker = rest - enterprise
    if union:
        steps.append(f"工会补贴{yuan(union)}（每份{yuan(split.union_fen)}）")
    steps.append(f"其余{yuan(rest)}由企业承担{split.enterprise_permille / 10:g}%即{yuan(enterprise)}，"
                 f"职工承担{yuan(worker)}")
    if item.hardship and worker:
        steps.append(f"困难职工：职工承担的{yuan(worker)}由工会支付")
        union, worker = union + worker, 0
    return LineResult(base, wage, total, enterprise, worker, union, steps)


def group_price(price_fen: int, average_age: float | None, age_price: tuple[int, int] | None) -> tuple[int, str]:
    """The price per share after the plan's price_group_age row (from_age, price_fen)."""
    if age_price is None or average_age is None:
        return price_fen, ""
    from_age, older_price = age_price
    if average_age >= from_age:
        return older_price, f"参保职工平均年龄{average_age:.1f}岁，不低于{from_age}岁，每份{yuan(older_price)}"
    return price_fen, f"参保职工平均年龄{average_age:.1f}岁，低于{from_age}岁，每份{yuan(price_fen)}"


# --- Pool shares ----------------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` fen by integer weights with the largest-remainder method: the parts add up
    to `total` exactly; ties go to the earlier weight."""
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("weights")
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def chain_weights(levels: Sequence[str], shares: dict) -> list[int]:
    """Weights (‰) for the pools of a chain, lowest first, given by level. A level of the
    shares rule that has no pool in the chain gives its share to the lowest pool."""
    weights = [int(shares.get(level, 0)) for level in levels]
    missing = sum(int(shares.get(level, 0)) for level in LEVELS if level not in levels)
    weights[0] += missing
    return weights


def cumulative_share(paid_before: int, paid_now: int, weights: Sequence[int]) -> list[int]:
    """How a payment of `paid_now` after `paid_before` already received is shared among pools,
    so that the shares of all payments together equal allocate(total paid): the pools' parts
    never drift by a fen however a notice is paid in instalments."""
    after = allocate(paid_before + paid_now, weights)
    before = allocate(paid_before, weights)
    return [a - b for a, b in zip(after, before, strict=True)]


# --- Overpayment kept as the enterprise's credit --------------------------------------------------


@dataclass(frozen=True)
class PaymentSplit:
    applied_fen: int  # what goes to the notice
    credit_fen: int  # what is kept as the enterprise's credit (预收缴费)
    to_notice: list[int]  # per pool of the chain: Cr 1122
    to_credit: list[int]  # per pool of the chain: Cr 2203


def split_payment(amount_fen: int, cash_before_fen: int, remaining_dues: Sequence[int],
                  weights: Sequence[int]) -> PaymentSplit:
    """A payment of `amount_fen` on a notice: up to what the notice still owes goes to the
    pools' receivables, the rest is kept as the enterprise's credit.

    `remaining_dues` is each pool's part of what the notice owes after the credit applied at
    issue (so cash is shared over what each pool still has to receive), `cash_before_fen` what
    earlier payments already gave the notice; the notice's part is shared with
    cumulative_share so that instalments never drift by a fen. The excess is shared among the
    pools by the chain's weights (rule row mutualaid.pool_shares), as the money would have been.
    Every part is derived by subtraction: to_notice + to_credit = amount exactly."""
    owed = sum(remaining_dues) - cash_before_fen
    applied = max(0, min(amount_fen, owed))
    excess = amount_fen - applied
    to_notice = cumulative_share(cash_before_fen, applied, remaining_dues) if applied else [0] * len(weights)
    to_credit = allocate(excess, weights) if excess else [0] * len(weights)
    return PaymentSplit(applied, excess, to_notice, to_credit)


def apply_credit(credits: Sequence[int], dues: Sequence[int]) -> list[int]:
    """The enterprise's credit held by each pool of the chain applied to a new notice: each
    pool applies what it holds, never more than its own part of the notice (no pool pays
    another's receivable); what is left stays credit for a later notice."""
    return [max(0, min(credit, due)) for credit, due in zip(credits, dues, strict=True)]


# --- Shortfall ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """One transfer of a draw plan: `amount_fen` from the chain's level `source` to level
    `target` (0 = the claim's own pool, 1 = the level above it, ...)."""

    source: int
    target: int
    amount_fen: int


@dataclass(frozen=True)
class DrawPlan:
    shortfall_fen: int  # what the claim's pool lacks
    draws: tuple[Draw, ...]  # in posting order: the highest level first
    needs_approval: bool

    @property
    def automatic(self) -> bool:
        return bool(self.draws)


def draw_plan(amount_fen: int, available_fen: Sequence[int], auto_limit_fen: int) -> DrawPlan:
    """Which amounts come from which level when a pool must pay `amount_fen`.

    `available_fen` is the chain's available balance (bank − claims payable), lowest level
    first (county, city, province). The claim's pool lacks `shortfall`; the level above gives
    it, and when that level itself has less than it must give, it first draws what it lacks
    from the level above it, and so on up the chain: county ← city ← province. Each draw must
    be at most `auto_limit_fen` (the one rule row mutualaid.shortfall_auto_limit); a draw above
    it, or a shortfall the top of the chain cannot cover, means no automatic draw at all: an
    approved transfer is needed. Draws come highest first, so a pool has received what it
    passes on before it passes it on; every pool ends at or above zero (a pool already below
    zero gives nothing)."""
    short = max(0, amount_fen - max(0, available_fen[0]))
    if short == 0:
        return DrawPlan(0, (), False)
    draws: list[Draw] = []
    need, level = short, 0
    while need > 0:
        upper = level + 1
        if upper >= len(available_fen) or need > auto_limit_fen:
            return DrawPlan(short, (), True)
        draws.append(Draw(upper, level, need))
        need = max(0, need - max(0, available_fen[upper]))
        level = upper
    return DrawPlan(short, tuple(reversed(draws)), False)


# --- Arrears and suspension -------------------------------------------------------------------------


def due_fen(total_fen: int, union_fen: int) -> int:
    """What the enterprise owes on a notice: the union subsidy is booked by the union itself."""
    return total_fen - union_fen


def payment_state(due: int, paid: int) -> str:
    """A notice the union pays in full (nothing due from the enterprise) is paid when issued."""
    if paid >= due:
        return "paid"
    return "partial" if paid > 0 else "issued"


def should_suspend(state: str, grace_until, today) -> bool:
    """Coverage is suspended the day after the grace period when the notice is not paid in full."""
    return state in ("issued", "partial") and today > grace_until


def months_between(start, end_inclusive) -> int:
    """Months from `start` to `end_inclusive` (both days count), a started month counting whole:
    2026-01-01 to 2026-06-30 is 6, to 2026-12-31 is 12, 2026-01-15 to 2026-02-20 is 2."""
    from datetime import timedelta

    after = end_inclusive + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months + (1 if after.day > start.day else 0)
