"""Reads of proposals, suggestions and the box, always scoped by the policy."""

import threading
from collections import Counter
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.democracy.models import Delegate
from zhigong.participation import rules
from zhigong.participation.models import BoxMessage, BoxSettings, Proposal, Suggestion
from zhigong.participation.similarity import SimilarityIndex

OWNER = {
    Proposal: "congress__enterprise",
    Suggestion: "enterprise",
    BoxMessage: "box__enterprise",
    BoxSettings: "enterprise",
}


def visible(user, model) -> QuerySet:
    qs = policy.scoped(user, model.objects.all(), OWNER[model])
    if model is Proposal:
        qs = _with_assigned(user, qs)
        # Drafts are for the congress's delegates (the proposer, and co-signers who find them by
        # link or list) until submitted. A subquery, not a join: no duplicate rows, so no
        # DISTINCT, which collapsed equal value rows in the board's figures and made searches sort
        # every match.
        if not policy.is_platform_admin(user):
            delegate_of = Exists(Delegate.objects.filter(
                term__congress=OuterRef("congress"), person_id=getattr(user, "person_id", None) or -1))
            qs = qs.filter(~Q(state=Proposal.State.DRAFT) | delegate_of)
    return qs


def _with_assigned(user, qs: QuerySet) -> QuerySet:
    """Department members answer for what is assigned to their department, so they see it even
    when their account holds no grant over the enterprise (a department's office account)."""
    if not getattr(user, "is_authenticated", False) or not user.departments.exists():
        return qs
    mine = Q(lead_department__members=user) | Q(co_departments__members=user)
    assigned = Proposal.objects.filter(mine).values("pk")
    return Proposal.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=assigned))


def access(user, model, pk, action: str = "view"):
    if model is Proposal and action == "view":
        # visible() is already scoped, and admits a department's assigned proposals, which a
        # second scoping by enterprise (access_scoped) would drop again.
        found = visible(user, Proposal).filter(pk=pk if isinstance(pk, int) else _as_int(pk)).first()
        if found is None:
            raise NotFound("proposal")
        return found
    return policy.access_scoped(user, visible(user, model), pk, OWNER[model], action, model.__name__.lower())


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def search(user, words: str = "", congress_id: int | None = None, session_id: int | None = None,
           category: str = "", state: str = "", department_id: int | None = None) -> QuerySet:
    """Proposals matching every bigram of `words` (Chinese needs no spaces), and the filters.
    Works the same on SQLite and PostgreSQL: a LIKE per bigram over the normalised text."""
    qs = visible(user, Proposal)
    for gram in rules.query_grams(words):
        qs = qs.filter(search_text__contains=gram)
    if congress_id:
        qs = qs.filter(congress_id=congress_id)
    if session_id:
        qs = qs.filter(session_id=session_id)
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if department_id:
        qs = qs.filter(Q(lead_department_id=department_id) | Q(co_departments=department_id)).distinct()
    return qs.order_by("-id")


# --- Similar proposals -------------------------------------------------------------------------

_INDEXES: dict[int, tuple[tuple, SimilarityIndex]] = {}
_LOCK = threading.Lock()


def _index_for(congress_id: int) -> SimilarityIndex:
    """An in-process index per congress, rebuilt when its proposals change (count and newest
    id); a lookup costs one small aggregate query plus a sparse product."""
    stamp_row = Proposal.objects.filter(congress_id=congress_id).exclude(state=Proposal.State.DRAFT).aggregate(
        n=Count("id"), last=Sum("id"))
    stamp = (stamp_row["n"], stamp_row["last"])
    with _LOCK:
        cached = _INDEXES.get(congress_id)
        if cached and cached[0] == stamp:
            return cached[1]
    rows = list(Proposal.objects.filter(congress_id=congress_id).exclude(state=Proposal.State.DRAFT)
                .values_list("id", "search_text"))
    index = SimilarityIndex([r[0] for r in rows], [r[1] for r in rows])
    with _LOCK:
        _INDEXES[congress_id] = (stamp, index)
    return index


def similar(user, congress_id: int, text: str, exclude: int | None = None, limit: int = 5) -> list[dict]:
    """Earlier proposals of the congress about the same thing, most similar first."""
    matches = _index_for(congress_id).query(text, limit=limit, exclude={exclude} if exclude else None)
    found = {p.pk: p for p in visible(user, Proposal).filter(pk__in=[m.id for m in matches])}
    return [{"proposal": found[m.id], "score": round(m.score, 3)} for m in matches if m.id in found]


# --- Boards --------------------------------------------------------------------------------------

def board(user, congress_id: int, today: date | None = None) -> dict:
    """Counts per state and per department, on-time answer rate and satisfaction rate."""
    today = today or timezone.localdate()
    qs = visible(user, Proposal).filter(congress_id=congress_id)
    states = Counter(dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n")))
    by_department = list(qs.exclude(lead_department__isnull=True).values("lead_department__name")
                         .annotate(total=Count("id"), answered=Count("id", filter=Q(answered_on__isnull=False)),
                                   overdue=Count("id", filter=Q(state=Proposal.State.ASSIGNED, due_on__lt=today)))
                         .order_by("lead_department__name"))
    pairs = list(qs.exclude(due_on__isnull=True).values_list("due_on", "answered_on"))
    on_time, due = rules.on_time_rate(pairs, today)
    satisfied, rated = rules.satisfaction_rate(list(qs.exclude(rating="").values_list("rating", flat=True)))
    return {"states": {s: states.get(s, 0) for s in Proposal.State.values}, "departments": by_department,
            "on_time": on_time, "due": due, "satisfied": satisfied, "rated": rated,
            "on_time_rate": round(on_time / due, 3) if due else None,
            "satisfaction_rate": round(satisfied / rated, 3) if rated else None}


def department_queue(user, today: date | None = None) -> QuerySet:
    """What the user's departments must answer or carry out, soonest due first."""
    today = today or timezone.localdate()
    return (visible(user, Proposal).filter(Q(lead_department__members=user) | Q(co_departments__members=user))
            .filter(state__in=[Proposal.State.ASSIGNED, Proposal.State.ANSWERED, Proposal.State.CARRYING_OUT])
            .distinct().order_by("due_on"))


def is_overdue(proposal: Proposal, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return proposal.state == Proposal.State.ASSIGNED and rules.is_overdue(proposal.due_on, None, today)


def suggestion_stats(user, enterprise_id: int) -> dict:
    qs = visible(user, Suggestion).filter(enterprise_id=enterprise_id)
    totals = qs.aggregate(submitted=Count("id"),
                          adopted=Count("id", filter=Q(state__in=["adopted", "implemented", "rewarded"])),
                          benefit=Sum("benefit_fen"), rewards=Sum("reward_fen"))
    teams = list(qs.values("team").annotate(submitted=Count("id"),
                                            adopted=Count("id", filter=Q(state__in=["adopted", "implemented",
                                                                                     "rewarded"])),
                                            benefit=Sum("benefit_fen"))
                 .order_by("-benefit", "-adopted", "team")[:20])
    return {**{k: v or 0 for k, v in totals.items()}, "teams": teams}


def box_overview(user, box: BoxSettings, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    messages = visible(user, BoxMessage).filter(box=box)
    open_ = messages.filter(state=BoxMessage.State.OPEN)
    return {"open": open_.count(), "overdue": open_.filter(due_on__lt=today).count(),
            "answered": messages.filter(state=BoxMessage.State.ANSWERED).count(),
            "on_time": messages.filter(state=BoxMessage.State.ANSWERED).filter(
                answered_on__lte=F("due_on")).count()}


def public_board(box: BoxSettings) -> QuerySet:
    """Answered messages the enterprise made public; the sender's words only with consent."""
    return box.messages.filter(public=True, state=BoxMessage.State.ANSWERED).order_by("-answered_on")
