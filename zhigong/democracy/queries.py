"""Reads of the congress, always scoped by the policy."""

import hashlib

from zhigong.core import policy
from zhigong.democracy import rules
from zhigong.democracy.models import (
    AgendaItem,
    Congress,
    Delegate,
    Resolution,
    Session,
    Term,
    VotingRound,
    WorkerSeat,
)
from zhigong.trail.canonical import canonical_json

ENTERPRISE = {
    Congress: "enterprise",
    Term: "congress__enterprise",
    Session: "term__congress__enterprise",
    AgendaItem: "session__term__congress__enterprise",
    Delegate: "term__congress__enterprise",
    Resolution: "item__session__term__congress__enterprise",
    VotingRound: "item__session__term__congress__enterprise",
    WorkerSeat: "enterprise",
}


def visible(user, model):
    return policy.scoped(user, model.objects.all(), ENTERPRISE[model])


def access(user, model, pk, action: str = "view"):
    return policy.access_scoped(user, model.objects.all(), pk, ENTERPRISE[model], action, model.__name__.lower())


def live_figures(item: AgendaItem) -> dict:
    """What the hall display shows: present and ballots cast while voting; the result only
    once the round is closed."""
    current = item.rounds.order_by("-number").first()
    present = item.session.check_ins.count()
    if current is None:
        return {"status": item.status, "present": present, "cast": 0, "result": None, "round": 0}
    return {"status": item.status, "present": present, "cast": current.roll.count(), "round": current.number,
            "result": current.result if current.closed_at else None}


def bulletin(voting_round: VotingRound) -> dict | None:
    """The public bulletin of a closed round: every counted receipt with its ballot, the tally
    and a check that the entries hash to the digest recorded in the trail. Open items also
    name the delegate."""
    if voting_round.closed_at is None:
        return None
    secret = voting_round.item.secret
    if secret:
        rows = [(rules.receipt_code(r), c, None) for r, c in voting_round.secret_ballots.values_list("receipt", "content")]
    else:
        rows = [(rules.receipt_code(r), c, n) for r, c, n in voting_round.open_ballots.values_list(
            "receipt", "content", "delegate__person__name")]
    rows.sort(key=lambda row: (row[0], canonical_json(row[1])))
    public = [{"receipt": code, "content": content} for code, content, _name in rows]
    digest = hashlib.sha256(canonical_json(public)).hexdigest()
    entries = [dict(p, **({"delegate": name} if not secret else {})) for p, (_c, _x, name) in zip(public, rows)]
    return {"entries": entries, "result": voting_round.result,
            "digest": digest, "digest_ok": digest == voting_round.result.get("bulletin_sha256")}


def governance_checks(enterprise) -> list[rules.Check]:
    """Whether the enterprise has the worker directors and supervisors company law asks for."""
    from django.utils import timezone

    from zhigong.democracy.rulebook import load

    gov = getattr(enterprise, "governance", None)
    if gov is None:
        return []
    r = load(enterprise.region_id, timezone.localdate())
    serving = WorkerSeat.objects.filter(enterprise=enterprise, status=WorkerSeat.Status.SERVING)
    facts = rules.Governance(
        company_form=gov.company_form, workers=enterprise.employee_count,
        has_supervisory_board=gov.has_supervisory_board,
        audit_committee_replaces_board=gov.audit_committee_replaces_board,
        supervisory_board_size=gov.supervisory_board_size,
        worker_directors=serving.filter(kind=WorkerSeat.Kind.DIRECTOR).count(),
        worker_supervisors=serving.filter(kind=WorkerSeat.Kind.SUPERVISOR).count(),
    )
    return rules.governance_checks(facts, r.director_from_workers, r.supervisor_share)


def resolution_proof(resolution: Resolution) -> dict:
    """The inclusion proof of the event that decided the resolution, against the latest
    signed tree head: anyone can check it with the published algorithm (docs/trail.md)."""
    from zhigong.trail.models import Event
    from zhigong.trail.queries import inclusion

    event_id = Event.objects.filter(seq=resolution.event_seq).values_list("pk", flat=True).get()
    return inclusion(event_id)
