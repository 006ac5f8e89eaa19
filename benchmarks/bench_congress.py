"""Ballots on PostgreSQL: 1,000 delegates (quick: 100) cast a secret ballot on one item at once,
each through their own API token, over HTTP to the production server (`zhigong serve`: gunicorn,
ZHIGONG_DEBUG=0) on 127.0.0.1. Reported: ballots accepted per second, p50/p95 latency of casting,
and p50/p95 of /healthz under the same concurrency in the same run (before and after the
ballots); the p95 ratio. Goal: ≤ 3.

Each client computes its commitment the way a delegate's phone does (SHA-256 of the round, the
ballot and a salt only it knows). After the run the chair closes the item and the benchmark
checks: one roll entry per accepted ballot, every client's receipt on the bulletin, the bulletin's
digest equal to the one in the trail, and the tally equal to a recount of the bulletin."""

import sys
from datetime import timedelta
from functools import partial

from benchmarks import congress_world
from benchmarks.report import Table
from benchmarks.server import Http, Run, measure_concurrently, percentile, serving, warm_up

SIZES = {"full": 1_000, "quick": 100}
CLIENTS = 48  # concurrent delegates' phones; bounded so the run stays on one machine
SERVER_WORKERS = 3  # gunicorn sync workers: `zhigong serve`'s default (ZHIGONG_WORKERS)
TIME_LIMIT = 300  # seconds per measured phase
CHOICES = ("yes", "yes", "yes", "no", "abstain")
GOAL = 3.0


def run(scale: str) -> list[Table]:
    import os

    count = SIZES[scale]
    vote = prepare(count)
    with serving(os.environ["DATABASE_URL"], SERVER_WORKERS) as port:
        http = Http(port)
        warm_up([partial(http.request, "GET", "/healthz"),
                 partial(http.request, "GET", f"/api/v1/congress/items/{vote.item.pk}/live", vote.chair_token)],
                CLIENTS)
        health_calls = [partial(http.request, "GET", "/healthz")] * count
        before = measure_concurrently(health_calls, CLIENTS, TIME_LIMIT)
        ballots = measure_concurrently([partial(cast, http, vote, i) for i in range(count)], CLIENTS, TIME_LIMIT)
        after = measure_concurrently(health_calls, CLIENTS, TIME_LIMIT)
    checks = verify(vote, ballots)
    return [table(count, before, after, ballots, checks)]


class Vote:
    """The open item, the delegates' tokens and the ballots they will cast."""

    def __init__(self, world, item, voting_round, tokens, chair_token):
        from zhigong.democracy import ballots

        self.world, self.item, self.round, self.tokens = world, item, voting_round, tokens
        self.chair_token = chair_token  # warms the API up without touching a delegate's token
        self.contents = [{"choice": CHOICES[i % len(CHOICES)]} for i in range(len(tokens))]
        self.salts = [ballots.new_salt() for _ in tokens]
        self.commitments = [ballots.commitment_for(voting_round.pk, c, s)
                            for c, s in zip(self.contents, self.salts, strict=True)]


def prepare(count: int) -> Vote:
    """A congress of `count` delegates (20 workers each), one secret item (the collective
    contract), everyone checked in by the secretariat, the session open and voting open."""
    from django.utils import timezone

    from zhigong.democracy import actions
    from zhigong.democracy.models import CheckIn
    from zhigong.disclosure.demo_congress import disclose_for_session

    print(f"[bench] congress: setting up {count:,} delegates", file=sys.stderr, flush=True)
    world = congress_world.build(count, workers=count * 20)
    session = actions.schedule_session(world.chair, world.term, "", timezone.now() + timedelta(hours=1), "礼堂")
    item = actions.add_agenda_item(world.chair, session, "审议《集体合同（草案）》", "approve",
                                   matter="collective_contract")
    # The collective contract must have been disclosed to the workers before the vote (厂务公开):
    # published as the demo does, dated ten days before the session.
    disclose_for_session(world.chair, session)
    actions.convene_session(world.chair, session)
    CheckIn.objects.bulk_create([CheckIn(session=session, delegate=d, by="secretariat") for d in world.delegates])
    actions.open_session(world.chair, session)
    voting_round = actions.open_voting(world.chair, item)
    return Vote(world, item, voting_round, congress_world.tokens(world.users), congress_world.tokens([world.chair])[0])


def cast(http: Http, vote: Vote, index: int):
    return http.request("POST", f"/api/v1/congress/items/{vote.item.pk}/ballots", vote.tokens[index],
                        {"content": vote.contents[index], "commitment": vote.commitments[index]})


def verify(vote: Vote, ballots: Run) -> list[str]:
    """Close the item and check what the delegates were told against what was counted."""
    from zhigong.democracy import actions, queries, rules

    accepted = ballots.count(201)
    voting_round = actions.close_voting(vote.world.chair, vote.item)
    board = queries.bulletin(voting_round)
    receipts = {e["receipt"] for e in board["entries"]}
    mine = {rules.receipt_code(c) for c in vote.commitments}
    recount = {c: sum(1 for e in board["entries"] if e["content"]["choice"] == c) for c in rules.CHOICES}
    tally = {c: voting_round.result[c] for c in rules.CHOICES}
    problems = []
    if voting_round.roll.count() != accepted:
        problems.append(f"roll has {voting_round.roll.count()} entries for {accepted} accepted ballots")
    if len(board["entries"]) != accepted or not receipts <= mine or len(receipts) != accepted:
        problems.append("the bulletin does not list exactly the accepted receipts")
    if not board["digest_ok"]:
        problems.append("the bulletin's digest differs from the trail's")
    if recount != tally:
        problems.append(f"tally {tally} differs from the bulletin's recount {recount}")
    return problems or [f"{accepted:,} roll entries, every receipt on the bulletin, digest as in the trail, "
                        f"tally = recount of the bulletin {tally}"]


def table(count: int, before: Run, after: Run, ballots: Run, checks: list[str]) -> Table:
    health = before.timings(200) + after.timings(200)
    base = percentile(health, 95)
    cast_times = ballots.timings(201)
    p95 = percentile(cast_times, 95)
    rate = ballots.count(201) / ballots.seconds
    rows = [
        ["/healthz", len(before.replies) + len(after.replies), len(health), percentile(health, 50), base, 1.0,
         (len(before.replies) + len(after.replies)) / (before.seconds + after.seconds)],
        ["cast a secret ballot", len(ballots.replies), len(cast_times), percentile(cast_times, 50), p95, p95 / base,
         rate],
    ]
    ratio = p95 / base
    return Table(
        f"Ballots: {count:,} delegates vote on one item at once (PostgreSQL, production server)",
        ["request", "sent", "ok", "p50 ms", "p95 ms", "p95 × /healthz", "per second"],
        rows,
        [
            f"{CLIENTS} concurrent clients (threads, one API token per delegate, keep-alive asked; gunicorn's "
            f"sync workers close each connection), {SERVER_WORKERS} gunicorn workers via `zhigong serve`, "
            "ZHIGONG_DEBUG=0, 127.0.0.1, warmed up for 10 s; /healthz measured with the same concurrency before "
            "and after the ballots.",
            f"ballots accepted: {ballots.count(201):,} of {len(ballots.replies):,} sent in {ballots.seconds:.1f} s "
            f"= {rate:,.0f} per second.",
            "after closing: " + "; ".join(checks),
            f"goal: p95 ≤ {GOAL:g}× /healthz — {ratio:.2f}×: {'met' if ratio <= GOAL else 'NOT met'}.",
        ],
    )
