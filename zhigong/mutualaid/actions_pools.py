"""Pools (资金池): creating the county/city/province pools of a federation tree with their ledger
books, reserving money for an approved claim (with the automatic shortfall draw from the level
above), and shortfall transfers requested, approved or refused. docs/mutualaid/pools.md.

Locks: a pool and every pool above it are locked FOR UPDATE in primary-key order
(lock_chain), before any ledger account row, so two approvals in the same chain queue instead
of deadlocking and never both spend the same balance.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import policy, rulebook
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Organization
from zhigong.ledger import actions as ledger_actions
from zhigong.ledger.models import Entry
from zhigong.mutualaid import ledgering
from zhigong.mutualaid import rules_contributions as rules
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import Plan, Pool, PoolTransfer

LEVELS = {Organization.Level.COUNTY: Pool.Level.COUNTY, Organization.Level.CITY: Pool.Level.CITY,
          Organization.Level.PROVINCE: Pool.Level.PROVINCE}


@dataclass(frozen=True)
class Reservation:
    entry: Entry  # Dr 6401 benefits / Cr 2241 claims payable in the claim's pool
    transfer: PoolTransfer | None  # the automatic draw into the claim's pool, if one was needed
    transfers: tuple[PoolTransfer, ...] = ()  # every automatic draw, highest level first


def _today() -> date:
    return timezone.localdate()


# --- Creating pools -------------------------------------------------------------------------------


def create_pools(actor, federation: Organization, plans: list[Plan], group: str = "") -> list[Pool]:
    """Pools for `plans` at the federation, the federations above it up to the province and every
    county/city federation below it, each linked to the pool of the level above and with its own
    ledger book. Existing pools of the same group are reused (the plans are added). Creating a
    pool needs "change" over its federation."""
    if federation.kind != Organization.Kind.FEDERATION or federation.level not in LEVELS:
        raise DomainError("mutualaid.pool_federation", _("资金池只能设在省、市、县级总工会。"), field="federation")
    if not plans:
        raise DomainError("required", _("请至少选择一个保障计划。"), field="plans")
    group = (group or "").strip() or _("职工互助保障")
    if len(group) > 40:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": 40}, field="group")
    chain = _ancestors(federation) + [federation] + _descendants(federation)
    made: list[Pool] = []
    with transaction.atomic():
        pools: dict[int, Pool] = {}
        for fed in chain:
            pools[fed.pk] = _pool(actor, fed, pools.get(fed.parent_id), plans, group, made)
        trail.record(actor, "mutualaid.create_pools", federation, {
            "group": group, "plans": sorted(p.pk for p in plans), "created": [p.pk for p in made],
            "pools": sorted(p.pk for p in pools.values())})
    return [pools[fed.pk] for fed in chain]


def _ancestors(federation: Organization) -> list[Organization]:
    ids = [int(x) for x in federation.path.strip("/").split("/")[:-1]]
    found = Organization.objects.filter(pk__in=ids, kind=Organization.Kind.FEDERATION, level__in=list(LEVELS))
    return sorted(found, key=lambda o: o.path)


def _descendants(federation: Organization) -> list[Organization]:
    return list(Organization.objects.filter(
        path__startswith=federation.path, kind=Organization.Kind.FEDERATION, level__in=list(LEVELS),
    ).exclude(pk=federation.pk).order_by("path"))


def _pool(actor, fed: Organization, parent: Pool | None, plans: list[Plan], group: str, made: list) -> Pool:
    name = f"{fed.name}{group}资金池"
    pool = Pool.objects.filter(federation=fed, name=name).first()
    if pool is None:
        if not policy.may_organization(actor, "change", fed):
            raise PermissionDenied("change")
        pool = Pool.objects.create(federation=fed, level=LEVELS[fed.level], name=name, parent=parent,
                                   region_code=fed.region_id)
        pool.book = ledger_actions.open_book(actor, fed, name, code=f"mutualaid-pool-{pool.pk}")
        pool.save(update_fields=["book"])
        made.append(pool)
    pool.plans.add(*plans)
    return pool


# --- Reserving money for a claim ----------------------------------------------------------------


def lock_chain(pool: Pool) -> list[Pool]:
    """The pool and the pools above it, locked FOR UPDATE in primary-key order, returned lowest
    first. Must run inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_chain must run inside transaction.atomic()")
    ids, current = [], pool
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    locked = {p.pk: p for p in Pool.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[i] for i in ids]


def available_fen(pool: Pool) -> int:
    """Bank − claims payable of the pool's book, without a lock (for pages)."""
    return ledgering.available_fen(pool.book)


def reserve_for_claim(actor, pool: Pool, amount_fen: int, claim, day: date | None = None) -> Reservation:
    """Promise `amount_fen` of `pool` to an approved claim, inside the caller's transaction.

    Locks the pool chain, draws a shortfall up the chain by rules_contributions.draw_plan (the
    level above, which first draws from the level above it what it lacks itself; each draw at
    most the rule row mutualaid.shortfall_auto_limit), posts Dr 6401 benefits / Cr 2241 claims
    payable (key claim:<id>:payable; a repeat returns the first entry), and raises
    DomainError mutualaid.pool_short (details: shortfall_fen, pool) when an approved transfer
    is needed. The caller checks who may approve the claim."""
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_for_claim must run inside the caller's transaction.atomic()")
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise DomainError("mutualaid.amount", _("金额必须大于零。"), field="amount_fen")
    day = day or _today()
    chain = lock_chain(pool)
    pool = chain[0]
    key = f"claim:{claim.pk}:payable"
    existing = ledgering.posted(pool.book, key)
    if existing is not None:
        return Reservation(existing, None)
    availables = [ledgering.locked_available_fen(p.book) for p in chain]
    available = availables[0]
    limit = int(rulebook.lookup("mutualaid.shortfall_auto_limit", pool.region_code, day).value)
    decision = rules.draw_plan(amount_fen, availables, limit)
    if decision.needs_approval:
        raise DomainError(
            "mutualaid.pool_short",
            _("%(pool)s 可用余额%(available)s，不足以支付%(amount)s，缺口%(short)s，须申请上级资金池调拨并经批准。")
            % {"pool": pool.name, "available": rules.yuan(available), "amount": rules.yuan(amount_fen),
               "short": rules.yuan(decision.shortfall_fen)},
            shortfall_fen=decision.shortfall_fen, pool=pool.pk)
    transfers = tuple(
        _draw(actor, chain[d.source], chain[d.target], d.amount_fen, claim, day,
              _("自动调拨：支付互助金申请 %(number)s 的缺口") % {"number": claim.number} if d.target == 0 else
              _("自动调拨：%(pool)s 余额不足以补足互助金申请 %(number)s 的缺口，由上级资金池补入")
              % {"pool": chain[d.target].name, "number": claim.number})
        for d in decision.draws)
    transfer = transfers[-1] if transfers else None
    entry = ledgering.post(actor, pool.book, day, _("核准互助金 %(number)s") % {"number": claim.number}, [
        debit(chart.BENEFITS, amount_fen, organization_id=claim.enterprise_id, person_id=claim.person_id),
        credit(chart.CLAIMS_PAYABLE, amount_fen, organization_id=claim.enterprise_id, person_id=claim.person_id),
    ], source=claim, key=key, step="reserve_for_claim")
    trail.record(actor, "mutualaid.reserve_for_claim", pool, {
        "claim": claim.pk, "amount_fen": amount_fen, "available_fen": available, "entry": entry.pk,
        "transfer": transfer.pk if transfer else None, "transfers": [t.pk for t in transfers]})
    return Reservation(entry, transfer, transfers)


def _draw(actor, source: Pool, target: Pool, amount_fen: int, claim, day: date, reason: str) -> PoolTransfer:
    transfer = PoolTransfer.objects.create(
        source=source, target=target, amount_fen=amount_fen, reason=reason[:255], state=PoolTransfer.State.POSTED,
        automatic=True, claim=claim, requested_by=_user(actor), decided_at=timezone.now(),
        region_code=target.region_code)
    _post_transfer(actor, transfer, day)
    trail.record(actor, "mutualaid.draw_shortfall", transfer, {
        "source": source.pk, "target": target.pk, "amount_fen": amount_fen, "automatic": True})
    return transfer


def _post_transfer(actor, transfer: PoolTransfer, day: date) -> None:
    out, into = ledgering.transfer(actor, transfer.source.book, transfer.target.book, day, transfer.amount_fen,
                                   (_("资金池调拨：%(reason)s") % {"reason": transfer.reason})[:150],
                                   key=f"pool-transfer:{transfer.pk}", origin=transfer, step="pool_transfer")
    transfer.entry_out, transfer.entry_in = out, into
    transfer.save(update_fields=["entry_out", "entry_in"])


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Requested transfers --------------------------------------------------------------------------


def request_transfer(actor, target: Pool, amount_fen: int, reason: str, claim=None) -> PoolTransfer:
    """Ask the level above to cover `target`'s shortfall. Fund officers and cadres of the
    target's federation may ask."""
    if not any(policy.may_organization(actor, a, target.federation) for a in ("fund_review", "fund_pay", "change")):
        raise PermissionDenied("fund_review")
    if target.parent_id is None:
        raise DomainError("mutualaid.no_upper_pool", _("省级资金池没有上级资金池可调拨。"), field="target")
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise DomainError("mutualaid.amount", _("金额必须大于零。"), field="amount_fen")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("required", _("此项必填。"), field="reason")
    with transaction.atomic():
        transfer = PoolTransfer.objects.create(
            source=target.parent, target=target, amount_fen=amount_fen, reason=reason[:255], claim=claim,
            requested_by=_user(actor), region_code=target.region_code)
        trail.record(actor, "mutualaid.request_transfer", transfer, {
            "source": target.parent_id, "target": target.pk, "amount_fen": amount_fen, "reason": reason[:255]})
    return transfer


def _decidable(actor, transfer: PoolTransfer) -> None:
    if not policy.may_organization(actor, "fund_approve", transfer.source.federation):
        raise PermissionDenied("fund_approve")
    if transfer.state != PoolTransfer.State.REQUESTED:
        raise DomainError("mutualaid.transfer_decided", _("该调拨申请已处理。"), field="state")


def approve_transfer(actor, transfer: PoolTransfer, day: date | None = None) -> PoolTransfer:
    """A fund approver of the upper pool's federation posts the transfer; the upper pool must
    have the money available."""
    day = day or _today()
    with transaction.atomic():
        transfer = PoolTransfer.objects.select_for_update().get(pk=transfer.pk)
        _decidable(actor, transfer)
        lock_chain(transfer.target)
        available = ledgering.locked_available_fen(transfer.source.book)
        if available < transfer.amount_fen:
            raise DomainError("mutualaid.upper_pool_short",
                              _("%(pool)s 可用余额%(available)s，不足以调拨%(amount)s。")
                              % {"pool": transfer.source.name, "available": rules.yuan(available),
                                 "amount": rules.yuan(transfer.amount_fen)}, field="amount_fen")
        transfer.state, transfer.decided_by, transfer.decided_at = PoolTransfer.State.POSTED, actor, timezone.now()
        transfer.save(update_fields=["state", "decided_by", "decided_at"])
        _post_transfer(actor, transfer, day)
        trail.record(actor, "mutualaid.approve_transfer", transfer, {
            "amount_fen": transfer.amount_fen, "entry_out": transfer.entry_out_id, "entry_in": transfer.entry_in_id})
    return transfer


def refuse_transfer(actor, transfer: PoolTransfer, reason: str) -> PoolTransfer:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("required", _("请填写拒绝理由。"), field="reason")
    with transaction.atomic():
        transfer = PoolTransfer.objects.select_for_update().get(pk=transfer.pk)
        _decidable(actor, transfer)
        transfer.state, transfer.decided_by, transfer.decided_at = PoolTransfer.State.REFUSED, actor, timezone.now()
        transfer.refusal_reason = reason[:255]
        transfer.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
        trail.record(actor, "mutualaid.refuse_transfer", transfer, {"reason": reason[:255]})
    return transfer
