"""Reads of decision tracking, always scoped by the policy: who may see a resolution or a
proposal may see how it is carried out. Each step comes with its trail inclusion proof against
the latest signed tree head."""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Organization, User
from zhigong.democracy import queries as congress_queries
from zhigong.democracy.models import Resolution
from zhigong.participation import queries as voice_queries
from zhigong.participation.models import Proposal
from zhigong.tracking import actions, rules
from zhigong.tracking.models import Entry, Evidence, ImportBatch, Measure, Plan
from zhigong.trail import merkle
from zhigong.trail.heads import latest_head
from zhigong.trail.models import Event
from zhigong.trail.queries import StoredTree, head_payload

OWNER = {
    Plan: "enterprise",
    Measure: "plan__enterprise",
    Entry: "measure__plan__enterprise",
    Evidence: "entry__measure__plan__enterprise",
    ImportBatch: "enterprise",
}
RESOLUTION_OWNER = "item__session__term__congress__enterprise"
State = Proposal.State
# A proposal is tracked once accepted for handling (立案), until it is closed.
TRACKED_PROPOSAL_STATES = (State.ACCEPTED, State.ASSIGNED, State.ANSWERED, State.CARRYING_OUT, State.CARRIED_OUT)
PROPOSAL_STEPS = ("proposal.submit", "proposal.accept", "proposal.assign", "proposal.answer",
                  "proposal.report_progress", "proposal.complete", "proposal.rate", "proposal.reopen",
                  "proposal.merged_in", "proposal.file")


def visible(user, model) -> QuerySet:
    return policy.scoped(user, model.objects.all(), OWNER[model])


def access(user, model, pk, action: str = "view"):
    return policy.access_scoped(user, model.objects.all(), pk, OWNER[model], action, model.__name__.lower())


def access_enterprise(user, pk) -> Organization:
    enterprise = policy.access_organization(user, pk)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise NotFound("enterprise")
    return enterprise


def access_resolution(user, pk) -> Resolution:
    return congress_queries.access(user, Resolution, pk)


def tracked_proposals(user) -> QuerySet:
    qs = voice_queries.visible(user, Proposal)
    return qs.filter(Q(state__in=TRACKED_PROPOSAL_STATES) | Q(state=State.CLOSED, assigned_on__isnull=False))


def access_proposal(user, pk) -> Proposal:
    """A proposal the user may see (participation's policy), once it is tracked: 404 before."""
    found = voice_queries.access(user, Proposal, pk)
    if not tracked_proposals(user).filter(pk=found.pk).exists():
        raise NotFound("proposal")
    return found


# --- Proofs --------------------------------------------------------------------------------------

def proofs(seqs: set[int]) -> dict[int, dict]:
    """Inclusion proofs of events (by seq) against the latest signed head, from one stored tree:
    a page of thirty steps reads the block roots once, not thirty times."""
    if not seqs:
        return {}
    head = latest_head()
    tree = StoredTree(head.size)
    ids = dict(Event.objects.filter(seq__in=seqs).values_list("seq", "pk"))
    signed = head_payload(head)
    found = {}
    for seq in sorted(s for s in seqs if s <= head.size):
        index = seq - 1
        path = merkle.inclusion_path(index, head.size, tree.subroot)
        leaf_hash = tree.leaf_hash(index)
        found[seq] = {"event_id": ids.get(seq), "seq": seq, "leaf_index": index, "tree_size": head.size,
                      "leaf_hash": leaf_hash.hex(), "audit_path": [h.hex() for h in path],
                      "root_hash": merkle.root_from_inclusion(leaf_hash, index, head.size, path).hex(),
                      "head": signed}
    return found


@dataclass
class Step:
    """One step of a timeline: what happened, when, and the event that proves it. `leaf` is the
    event's leaf text for tracking's own events (they carry ids, percents, dates and SHA-256
    digests, nothing personal), so a reader can hash it and compare; other apps' events give
    the proof without the leaf, as the trail keeps their leaves to auditors."""

    seq: int
    at: datetime
    verb: str
    data: dict
    leaf: str | None
    proof: dict | None = None
    entries: list = field(default_factory=list)
    measure: Measure | None = None
    by: str = ""
    object_id: str = ""


def _steps(events: QuerySet, own_prefix: str = "tracking.") -> list[Step]:
    events = list(events.order_by("seq"))
    names = {u.pk: (u.person.name if u.person_id else u.username) for u in
             User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).select_related("person")}
    found = proofs({e.seq for e in events})
    steps = []
    for event in events:
        leaf = bytes(event.leaf)
        data = json.loads(leaf).get("data", {})
        own = event.verb.startswith(own_prefix)
        steps.append(Step(event.seq, event.created_at, event.verb, data, leaf.decode() if own else None,
                          found.get(event.seq), by=names.get(event.actor_id, ""), object_id=event.object_id))
    return steps


# --- A resolution ------------------------------------------------------------------------------

@dataclass
class ResolutionTracking:
    resolution: Resolution
    enterprise: Organization
    decided_on: date
    trackable: bool
    plan: Plan | None
    measures: list[Measure]
    entries: list[Entry]
    state: str
    progress: int
    due_on: date | None
    overdue: bool
    steps: list[Step]
    due_months: int | None = None  # the rule row's default period, when there is no plan


def resolution_tracking(resolution: Resolution, today: date | None = None) -> ResolutionTracking:
    """The public tracking of a resolution the caller may see (fetch it with access_resolution)."""
    today = today or timezone.localdate()
    plan = Plan.objects.filter(resolution=resolution).select_related("department").first()
    measures = list(plan.measures.select_related("department")) if plan else []
    for m in measures:
        m.overdue = rules.is_overdue(m.due_on, m.done_on, today)
    entries = list(Entry.objects.filter(measure__in=measures).select_related("measure", "batch")
                   .prefetch_related("files").order_by("on", "id"))
    trackable = actions.trackable(resolution)
    progress = plan.progress if plan else 0
    voted = actions.decided_on(resolution)
    months = actions.due_months(resolution.region_id, voted) if trackable and not plan else None
    due_on = plan.due_on if plan else (rules.default_due(voted, months) if trackable else None)
    done_on = plan.carried_out_on if plan else None
    return ResolutionTracking(
        resolution=resolution, enterprise=actions.enterprise_of(resolution), decided_on=voted, trackable=trackable,
        plan=plan, measures=measures, entries=entries, state=rules.resolution_state(trackable, len(measures), progress),
        progress=progress, due_on=due_on, overdue=trackable and rules.is_overdue(due_on, done_on, today),
        steps=resolution_steps(resolution, plan, measures, entries), due_months=months)


def resolution_steps(resolution: Resolution, plan: Plan | None, measures: list[Measure],
                     entries: list[Entry]) -> list[Step]:
    q = Q(seq=resolution.event_seq)
    if plan is not None:
        q |= Q(object_type="tracking.plan", object_id=str(plan.pk))
        q |= Q(object_type="tracking.measure", object_id__in=[str(m.pk) for m in measures])
        evidence = Evidence.objects.filter(entry__in=entries).values_list("pk", flat=True)
        q |= Q(object_type="tracking.evidence", object_id__in=[str(pk) for pk in evidence])
        batches = {e.batch_id for e in entries if e.batch_id}
        q |= Q(object_type="tracking.importbatch", object_id__in=[str(pk) for pk in batches])
    steps = _steps(Event.objects.filter(q))
    by_id = {e.pk: e for e in entries}
    by_measure = {m.pk: m for m in measures}
    for step in steps:
        if step.verb == "tracking.progress":
            step.entries = [by_id[step.data["entry"]]] if step.data.get("entry") in by_id else []
        elif step.verb == "tracking.import":
            step.entries = [e for e in entries if e.event_seq == step.seq]
        if step.verb in ("tracking.progress", "tracking.measure"):
            step.measure = by_measure.get(int(step.object_id))
    return steps


# --- An accepted proposal ------------------------------------------------------------------------

@dataclass
class ProposalTracking:
    proposal: Proposal
    enterprise: Organization
    updates: list
    evidence: list
    overdue: bool
    steps: list[Step]


def proposal_tracking(proposal: Proposal, today: date | None = None) -> ProposalTracking:
    """Participation's own progress rows and trail events of an accepted proposal: the timeline
    from submission to carried out, read, not copied."""
    today = today or timezone.localdate()
    events = Event.objects.filter(object_type="participation.proposal", object_id=str(proposal.pk),
                                  verb__in=PROPOSAL_STEPS)
    steps = _steps(events, own_prefix="-")
    updates = list(proposal.updates.prefetch_related("files").order_by("on", "id"))
    pending = list(updates)
    for step in steps:
        if step.verb in ("proposal.report_progress", "proposal.complete"):
            match = next((u for u in pending if u.percent == step.data.get("percent")
                          and u.on.isoformat() == step.data.get("on")), None)
            if match is not None:
                pending.remove(match)
                step.entries = [match]
    return ProposalTracking(proposal, proposal.congress.enterprise, updates,
                            list(proposal.files.filter(kind="evidence").order_by("id")),
                            voice_queries.is_overdue(proposal, today), steps)


# --- Enterprise overview ---------------------------------------------------------------------------

def enterprise_resolutions(enterprise: Organization) -> QuerySet:
    return (Resolution.objects.filter(**{RESOLUTION_OWNER: enterprise})
            .select_related("item__session", "tracking_plan__department")
            .annotate(measure_count=Count("tracking_plan__measures")).order_by("-created_at", "-id"))


def annotate_resolutions(rows, today: date) -> list[Resolution]:
    periods = actions.DuePeriods()
    for r in rows:
        plan = getattr(r, "tracking_plan", None)
        trackable = actions.trackable(r)
        r.progress = plan.progress if plan else 0
        r.state = rules.resolution_state(trackable, r.measure_count, r.progress)
        r.decided_on = actions.decided_on(r)
        r.due_on = plan.due_on if plan else (periods.due(r.region_id, r.decided_on) if trackable else None)
        r.overdue = trackable and rules.is_overdue(r.due_on, plan.carried_out_on if plan else None, today)
    return list(rows)


def enterprise_proposals(user, enterprise: Organization) -> QuerySet:
    return (tracked_proposals(user).filter(congress__enterprise=enterprise)
            .select_related("lead_department").order_by("-id"))


def overdue_measures(enterprise: Organization, today: date) -> QuerySet:
    return (Measure.objects.filter(plan__enterprise=enterprise, progress__lt=100, due_on__lt=today)
            .select_related("plan__resolution", "department").order_by("due_on", "id"))


def overview(user, enterprise: Organization, today: date | None = None) -> dict:
    """Resolutions by state, overdue resolutions and measures, proposals by state, and overdue
    measures per department: what the overview page and its charts show."""
    today = today or timezone.localdate()
    resolutions = annotate_resolutions(enterprise_resolutions(enterprise), today)
    states = Counter(r.state for r in resolutions)
    proposals = Counter(enterprise_proposals(user, enterprise).values_list("state", flat=True))
    late = overdue_measures(enterprise, today)
    departments = Counter(m.department.name if m.department else "" for m in late)
    return {
        "resolution_states": {s: states.get(s, 0) for s in (*rules.STATES, rules.NOT_TRACKED)},
        "resolutions_overdue": sum(1 for r in resolutions if r.overdue),
        "resolutions": len(resolutions),
        "measures": Measure.objects.filter(plan__enterprise=enterprise).count(),
        "measures_overdue": late.count(),
        "proposal_states": {s: proposals.get(s, 0) for s in (*TRACKED_PROPOSAL_STATES, State.CLOSED)},
        "overdue_by_department": sorted(departments.items(), key=lambda pair: (-pair[1], pair[0])),
    }


def carried_out_rate(enterprise_id: int, year: int, today: date) -> tuple[int, int]:
    """(resolutions due in `year`, carried out) of one enterprise, one resolution at a time; the
    batch (batch.carried_out_rates) must agree with this."""
    pairs = []
    for resolution in Resolution.objects.filter(**{f"{RESOLUTION_OWNER}_id": enterprise_id}).select_related("item"):
        if not actions.trackable(resolution):
            continue
        plan = Plan.objects.filter(resolution=resolution).first()
        due = plan.due_on if plan else actions.default_due(resolution)
        pairs.append((due, plan.carried_out_on if plan else None))
    return rules.carried_out_tally(pairs, year, today)
