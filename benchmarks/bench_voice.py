"""Workers' voice among 100,000 proposals of one congress (quick: 5,000), on PostgreSQL: p50/p95
of the similar-proposal lookup (POST /api/v1/voice/proposals/similar on the production server,
and queries.similar in-process) and of search (GET /api/v1/voice/proposals?q=...), 200 requests
each, as ratios to /healthz measured in the same run; and the time to build the similarity index.

The proposals are written in bulk (set-up; the lifecycle is tested elsewhere) with the search text
the draft action stores, from phrase lists that make them varied yet about recurring matters,
with near-duplicates among them (benchmarks/voice_texts.py). Half the lookups are fresh drafts,
half near-duplicates of stored proposals; for those the table also says how often the original
came back among the five shown. A delegate makes every request, with an API token."""

import os
import random
import sys
import time
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from benchmarks import congress_world, voice_texts
from benchmarks.report import Table
from benchmarks.server import Http, percentile, serving, warm_up

SIZES = {"full": 100_000, "quick": 5_000}
DELEGATES = 1_000
SESSIONS = 10
REQUESTS = 200
WORKERS = 2  # gunicorn processes; the machine has two cores and the client needs one too
CHUNK = 5_000
# Share of each state among the stored proposals (drafts are left out of the similarity index).
STATES = {"draft": 3, "submitted": 10, "under_review": 7, "accepted": 10, "converted": 8, "assigned": 10,
          "answered": 12, "carrying_out": 10, "carried_out": 10, "closed": 18, "merged": 2}


def run(scale: str) -> list[Table]:
    count = SIZES[scale]
    world, delegate, token = prepare(count)
    rng = random.Random(11)
    lookups = lookup_texts(world.congress.pk, rng)
    searches = [_search_path(world.congress.pk, i, rng) for i in range(REQUESTS)]
    build = index_build(world.congress.pk)
    local = in_process(delegate, world.congress.pk, lookups, searches)
    with serving(os.environ["DATABASE_URL"], WORKERS) as port:
        remote = over_http(Http(port), token, world.congress.pk, lookups, searches)
    return [table(count, build, local, remote, lookups)]


# --- Set-up -------------------------------------------------------------------------------------

def prepare(count: int):
    """A congress of 1,000 delegates, ten sessions, `count` proposals; one delegate's token."""
    from django.utils import timezone

    from zhigong.core.batch import analyze_tables
    from zhigong.democracy import actions
    from zhigong.participation.models import Proposal

    print(f"[bench] voice: setting up {count:,} proposals", file=sys.stderr, flush=True)
    world = congress_world.build(DELEGATES, workers=DELEGATES * 20)
    start = timezone.now() - timedelta(days=365 * 3)
    sessions = [actions.schedule_session(world.chair, world.term, "", start + timedelta(days=120 * n), "礼堂")
                for n in range(SESSIONS)]
    texts = voice_texts.corpus(count, seed=7)
    for first in range(0, count, CHUNK):
        chunk = range(first, min(count, first + CHUNK))
        Proposal.objects.bulk_create([_proposal(world, sessions, texts, i) for i in chunk])
    analyze_tables(Proposal)
    return world, world.users[0], congress_world.tokens(world.users[:1])[0]


def _proposal(world, sessions, texts, i: int):
    from zhigong.participation import rules
    from zhigong.participation.models import Proposal

    text = texts[i]
    state = random.Random(i).choices(list(STATES), weights=list(STATES.values()))[0]
    return Proposal(
        congress=world.congress, session=sessions[i * len(sessions) // len(texts)], number=f"B-{i + 1:06d}",
        title=text.title, cause=text.cause, measures=text.measures, category=text.category, state=state,
        proposer=world.delegates[i % len(world.delegates)], region_id=world.congress.region_id,
        # What the draft action stores (participation.actions._search_text), by the same rule.
        search_text=rules.normalise_text(" ".join([text.title, text.cause, text.measures])),
    )


def lookup_texts(congress_id: int, rng: random.Random) -> list[tuple[str, int | None]]:
    """(text, id of the stored proposal it repeats or None): fresh drafts and near-duplicates."""
    from zhigong.participation.models import Proposal

    stored = list(Proposal.objects.filter(congress_id=congress_id).exclude(state="draft")
                  .order_by("?")[: REQUESTS // 2].values_list("pk", "title", "cause", "measures", "category"))
    repeats = [(_joined(voice_texts.near_duplicate(voice_texts.Text(*row[1:]), rng)), row[0]) for row in stored]
    fresh = [(_joined(voice_texts.proposal(rng)), None) for _ in range(REQUESTS - len(repeats))]
    mixed = repeats + fresh
    rng.shuffle(mixed)
    return mixed


def _joined(text: voice_texts.Text) -> str:
    return " ".join([text.title, text.cause, text.measures])


def _search_path(congress_id: int, i: int, rng: random.Random) -> str:
    params = {"q": voice_texts.SEARCH_WORDS[i % len(voice_texts.SEARCH_WORDS)], "congress_id": congress_id}
    if i % 4 == 1:
        params["state"] = rng.choice(list(STATES))
    if i % 4 == 2:
        params["category"] = rng.choice(["wages", "safety", "welfare", "training", "management", "rights"])
    return "/api/v1/voice/proposals?" + urlencode(params)


# --- Measuring ----------------------------------------------------------------------------------

def index_build(congress_id: int) -> dict:
    """The in-process index of the congress built cold (reading the texts and fitting TF-IDF),
    then the fit alone on the same rows."""
    from zhigong.participation import queries
    from zhigong.participation.models import Proposal
    from zhigong.participation.similarity import SimilarityIndex

    queries._INDEXES.pop(congress_id, None)
    started = time.perf_counter()
    index = queries._index_for(congress_id)
    cold = time.perf_counter() - started
    rows = list(Proposal.objects.filter(congress_id=congress_id).exclude(state="draft")
                .values_list("id", "search_text"))
    started = time.perf_counter()
    SimilarityIndex([r[0] for r in rows], [r[1] for r in rows])
    fit = time.perf_counter() - started
    return {"cold": cold, "fit": fit, "rows": len(index), "terms": len(index.vectorizer.vocabulary_)}


def in_process(user, congress_id: int, lookups, searches) -> dict[str, list[float]]:
    """queries.similar and queries.search (count and first page, as the API does) called directly."""
    from urllib.parse import parse_qs, urlsplit

    from zhigong.participation import queries

    similar, search = [], []
    for text, _original in lookups:
        started = time.perf_counter()
        queries.similar(user, congress_id, text)
        similar.append(time.perf_counter() - started)
    for path in searches:
        params = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        started = time.perf_counter()
        qs = queries.search(user, params["q"], congress_id, category=params.get("category", ""),
                            state=params.get("state", ""))
        qs.count()
        list(qs[:20])
        search.append(time.perf_counter() - started)
    return {"similar": similar, "search": search}


def over_http(http: Http, token: str, congress_id: int, lookups, searches) -> dict:
    """The first lookups build each worker's index (timed apart); then, after a warm-up,
    round-robin one request at a time: /healthz, a lookup, a search."""
    def similar(text: str):
        return http.request("POST", "/api/v1/voice/proposals/similar", token,
                            {"congress_id": congress_id, "text": text})

    cold = warm_index(similar, lookups[0][0])
    warm_up([partial(http.request, "GET", "/healthz"), partial(similar, lookups[1][0]),
             partial(http.request, "GET", searches[0], token)], WORKERS)
    timings: dict[str, list[float]] = {"healthz": [], "similar": [], "search": []}
    found = 0
    for (text, original), path in zip(lookups, searches, strict=True):
        timings["healthz"].append(_ok(http.request("GET", "/healthz")).seconds)
        reply = _ok(similar(text))
        timings["similar"].append(reply.seconds)
        found += original is not None and original in {m["proposal"]["id"] for m in reply.json()}
        timings["search"].append(_ok(http.request("GET", path, token)).seconds)
    return {**timings, "cold": cold, "found": found}


def warm_index(similar, text: str) -> list[float]:
    """One lookup per worker at the same time, so that each builds its index; their latencies."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(WORKERS) as pool:
        return [_ok(r).seconds for r in pool.map(lambda _n: similar(text), range(WORKERS))]


def _ok(reply):
    if reply.status != 200:
        raise RuntimeError(f"status {reply.status}: {reply.body[:300]!r}")
    return reply


def table(count: int, build: dict, local: dict, remote: dict, lookups) -> Table:
    base = percentile(remote["healthz"], 95)

    def row(label: str, timings: list[float]) -> list[object]:
        p95 = percentile(timings, 95)
        return [label, len(timings), percentile(timings, 50), p95, p95 / base]

    repeats = sum(1 for _t, original in lookups if original is not None)
    return Table(
        f"Workers' voice: similar proposals and search among {count:,} proposals of one congress (PostgreSQL)",
        ["request", "requests", "p50 ms", "p95 ms", "p95 × /healthz"],
        [row("/healthz (HTTP)", remote["healthz"]), row("similar proposals (HTTP POST)", remote["similar"]),
         row("search ?q= (HTTP GET, count + first page)", remote["search"]),
         row("similar proposals (in-process queries.similar)", local["similar"]),
         row("search (in-process queries.search, count + first page)", local["search"])],
        [
            f"gunicorn with {WORKERS} workers via `zhigong serve`, ZHIGONG_DEBUG=0, 127.0.0.1, one request at a "
            "time round-robin over /healthz, a lookup and a search, as a delegate with an API token; in-process "
            "rows in the benchmark's own process, before the server started, as ratios to the same HTTP /healthz.",
            f"similarity index: {build['rows']:,} proposals (drafts left out), {build['terms']:,} bigrams; built "
            f"cold in-process in {build['cold']:.1f} s (reading the texts and fitting TF-IDF; the fit alone "
            f"{build['fit']:.1f} s); the first lookup of each gunicorn worker, which builds its own index, took "
            + ", ".join(f"{s:.1f} s" for s in remote["cold"]) + ".",
            f"near-duplicates: the stored original came back among the five shown for {remote['found']} of "
            f"{repeats} lookups that repeat a stored proposal.",
            "search: every character bigram of the words must occur (LIKE per bigram over the normalised text), "
            "filters by state or category on half the requests.",
        ],
    )
