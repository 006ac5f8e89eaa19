"""Reads of contribution notices and payments, scoped by the policy: an enterprise sees its own
notices; cadres, fund officers and auditors see those of the enterprises below them."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Role
from zhigong.mutualaid.actions_contributions import may_collect
from zhigong.mutualaid.models import ContributionPayment, Invoice, Pool

# Roles that see notices (which list every covered worker's wage): not a worker through their
# employer, not a delegate.
OFFICER_ROLES = {Role.CADRE, Role.ENTERPRISE_ADMIN, Role.UNION_CHAIR, Role.AUDITOR, Role.FUND_REVIEWER,
                 Role.FUND_APPROVER, Role.TREASURER, Role.ACTUARY}


def visible_invoices(user) -> QuerySet[Invoice]:
    qs = Invoice.objects.select_related("enterprise", "enrolment__pool", "enrolment__version__plan")
    if not policy.is_platform_admin(user):
        paths = [s.path for s in policy.grants(user) if s.role in OFFICER_ROLES]
        if not paths:
            return qs.none()
        qs = qs.filter(reduce(or_, (Q(enterprise__path__startswith=p) for p in paths)))
    return qs.order_by("-issued_at", "-pk")


def access_invoice(user, pk) -> Invoice:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("invoice") from None
    invoice = visible_invoices(user).filter(pk=pk).first()
    if invoice is None:
        raise NotFound("invoice")
    return invoice


def collectable(user) -> QuerySet[Invoice]:
    """Notices whose payments the user may record: those of the pools of federations where they
    are a cadre or treasurer."""
    pools = [p.pk for p in policy.scoped(user, Pool.objects.select_related("federation"), "federation")
             if may_collect(user, p)]
    return visible_invoices(user).filter(enrolment__pool__in=pools)


def enterprise_credit_fen(enterprise_id: int, pool: Pool) -> int:
    """The enterprise's credit (overpayments not yet applied) in the books of `pool` and the
    pools above it: what its next notice in these pools will have deducted. Callers have read
    the enterprise's notice or statement through the policy."""
    from zhigong.mutualaid import ledgering
    from zhigong.mutualaid.actions_contributions import chain

    return sum(ledgering.enterprise_credit_fen(p.book, enterprise_id) for p in chain(pool))


def payments(invoice: Invoice) -> QuerySet[ContributionPayment]:
    return invoice.payments.order_by("paid_on", "pk")


def lines(invoice: Invoice):
    return invoice.lines.select_related("coverage__person").order_by("pk")


def awaiting_notice(user):
    """Enrolments of the user's collectable pools with no notice yet for their period."""
    from django.db.models import Exists, OuterRef

    from zhigong.mutualaid.models import Enrolment

    pools = [p.pk for p in policy.scoped(user, Pool.objects.select_related("federation"), "federation")
             if may_collect(user, p)]
    issued = Invoice.objects.filter(enrolment=OuterRef("pk"), period_start=OuterRef("starts_on")) \
        .exclude(state=Invoice.State.CANCELLED)
    return (Enrolment.objects.filter(pool__in=pools).exclude(state=Enrolment.State.ENDED)
            .filter(~Exists(issued)).select_related("enterprise", "version__plan", "pool").order_by("starts_on", "pk"))
