"""CPU per request in the server's own process: a ballot and /healthz through the WSGI
application, as gunicorn calls it, without the network or other processes in the way.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<name>_bench \\
        python -m benchmarks.profile_ballot [--delegates 2000] [--profile 40]

On a fresh PostgreSQL database (as `make bench` makes it, the name ending in _bench) it sets up
the congress of bench_congress (every delegate checked in, a secret item open), then calls the
application with a raw WSGI environ: /healthz, then one ballot for each delegate. Reported:
CPU (time.process_time) per request of each kind, measured twice for healthz (before and after
the ballots); with --profile, a cProfile of further ballots (the functions with most cumulative
time). The database server's own work is not counted: this is the Python a worker spends, which
on a shared or small machine is what the p95 of make bench waits for."""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time


def environ(method: str, path: str, token: str = "", body: bytes = b"") -> dict:
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_CONNECTION": "keep-alive", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False, "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return env


def call(app, env: dict) -> str:
    status = []
    result = app(env, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(result)
    finally:
        result.close()  # request_finished: what gunicorn does after each response
    return status[0]


def per_call(app, environs: list[dict], expect: str) -> float:
    """CPU milliseconds per call; every reply must have the expected status."""
    started = time.process_time()
    statuses = [call(app, e) for e in environs]
    spent = time.process_time() - started
    wrong = [s for s in statuses if not s.startswith(expect)]
    if wrong:
        raise SystemExit(f"{len(wrong)} replies not {expect}: {wrong[:3]}")
    return spent / len(environs) * 1000


def ballot_environs(vote, indices) -> list[dict]:
    path = f"/api/v1/congress/items/{vote.item.pk}/ballots"
    return [environ("POST", path, vote.tokens[i], json.dumps(
        {"content": vote.contents[i], "commitment": vote.commitments[i]}).encode()) for i in indices]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, help="ballots to profile after the timed ones")
    args = parser.parse_args()

    from benchmarks import run as bench_run

    os.environ.update(bench_run.production_settings())
    os.environ["DATABASE_URL"] = bench_run.fresh_database(bench_run.base_url())
    import django

    django.setup()
    from benchmarks.bench_congress import prepare
    from zhigong.wsgi import application

    vote = prepare(args.delegates)
    timed = args.delegates - args.profile
    health = [environ("GET", "/healthz") for _ in range(timed)]
    warm = [environ("GET", "/healthz") for _ in range(200)]
    per_call(application, warm, "200")
    before = per_call(application, health, "200")
    ballot = per_call(application, ballot_environs(vote, range(timed)), "201")
    after = per_call(application, [environ("GET", "/healthz") for _ in range(timed)], "200")
    print(f"CPU per request, {timed:,} each: /healthz {before:.3f} ms (before) {after:.3f} ms (after); "
          f"ballot {ballot:.3f} ms; ballot / healthz = {ballot / ((before + after) / 2):.2f}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        environs = ballot_environs(vote, range(timed, args.delegates))
        profiler.enable()
        for env in environs:
            call(application, env)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())
    bench_run.drop_database(bench_run.base_url())


if __name__ == "__main__":
    main()
