"""`make bench`: python -m benchmarks.run [--quick] [--only NAME[,NAME]] [--keep]

Runs every benchmarks/bench_<name>.py (`run(scale) -> list[Table]`, see report.py), each in a
child process of its own against a freshly created and migrated PostgreSQL database, prints
every table and writes them all to var/bench/report.md.

Databases: on the server of DATABASE_URL (else postgresql://postgres@127.0.0.1:5432), named
after DATABASE_URL's database with "_bench" added unless the name already says bench (so a
production database is never dropped): <base> for each module in turn, dropped and created
again before each; <base>_demo for the demo database that bench_demo leaves behind at its
largest size and bench_pages then serves. That is why demo runs before pages (ORDER). All of
them are dropped at the end unless --keep.

All children share one set of production settings (ZHIGONG_DEBUG=0, secrets generated for this
run): the demo and the server must use the same ZHIGONG_FIELD_KEY for the worker's record to
decrypt.
"""

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.report import Table

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "var" / "bench" / "report.md"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/zhigong_bench"
# Modules that depend on another's leftovers come after it; the rest follow alphabetically.
ORDER = ["trail", "demo", "pages"]
DEMO_SUFFIX = "_demo"


# --- Databases ----------------------------------------------------------------------------------

def base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_URL
    parts = urlsplit(url)
    name = parts.path.strip("/") or "zhigong"
    if "bench" not in name:
        name += "_bench"
    return urlunsplit(parts._replace(path="/" + name))


def with_suffix(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def _maintenance(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5)


def drop_database(url: str) -> None:
    from psycopg import sql

    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))


def database_exists(url: str) -> bool:
    with _maintenance(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]).fetchone() is not None


def fresh_database(url: str) -> str:
    """Drop, create and migrate the database at url; returns url."""
    from psycopg import sql

    drop_database(url)
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))
    migrate(url)
    return url


def migrate(url: str) -> None:
    subprocess.run([sys.executable, "-m", "zhigong.cli", "migrate", "--no-input", "-v", "0"],
                   env=child_env(url), check=True, cwd=ROOT)


def child_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url}


def production_settings() -> dict[str, str]:
    """One set of production settings for every child of this run (see the module docstring)."""
    def key() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    return {
        "DJANGO_SETTINGS_MODULE": "zhigong.settings",
        "ZHIGONG_DEBUG": "0",
        "ZHIGONG_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHIGONG_FIELD_KEY": key(),
        "ZHIGONG_TRAIL_KEY": key(),
        "ZHIGONG_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHIGONG_SSL_REDIRECT": "0",
        "ZHIGONG_VAR_DIR": str(ROOT / "var" / "bench"),
    }


# --- Modules ------------------------------------------------------------------------------------

def discover() -> list[str]:
    names = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    ranked = [n for n in ORDER if n in names]
    return ranked + [n for n in names if n not in ranked]


def run_child(name: str, scale: str, url: str) -> list[Table]:
    """The module in a process of its own (Django's settings are fixed per process), so that
    each gets its own database; its tables come back as JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = [sys.executable, "-m", "benchmarks.run", "--child", name, "--scale", scale, "--out", out.name]
        subprocess.run(argv, env=child_env(url), check=True, cwd=ROOT)
        return [Table(**t) for t in json.loads(Path(out.name).read_text())]


def child_main(name: str, scale: str, out: str) -> None:
    import importlib

    import django

    django.setup()
    module = importlib.import_module(f"benchmarks.bench_{name}")
    tables = module.run(scale)
    Path(out).write_text(json.dumps([asdict(t) for t in tables], ensure_ascii=False))


def run_all(names: list[str], scale: str, keep: bool) -> tuple[list[Table], list[str]]:
    url = base_url()
    tables, failed = [], []
    try:
        for name in names:
            started = time.monotonic()
            print(f"[bench] {name} ({scale}) on {database_name(url)}", file=sys.stderr, flush=True)
            try:
                done = run_child(name, scale, fresh_database(url))
            except subprocess.CalledProcessError as exc:
                failed.append(f"{name}: exit status {exc.returncode}")
                continue
            for table in done:
                print(table.render(), flush=True)
            tables += done
            print(f"[bench] {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        if not keep:
            for db in (url, with_suffix(url, DEMO_SUFFIX)):
                drop_database(db)
    return tables, failed


def write_report(tables: list[Table], scale: str, failed: list[str]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    head = [f"# Zhigong benchmarks ({scale})", "", f"Run {time.strftime('%Y-%m-%d %H:%M %Z')} "
            f"on {os.cpu_count()} CPUs.", ""]
    head += [f"- FAILED {f}" for f in failed]
    REPORT.write_text("\n".join(head) + "\n" + "\n".join(t.render() for t in tables))


def main() -> int:
    parser = argparse.ArgumentParser(description="Zhigong benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", help="comma-separated module names (trail, demo, pages, ...)")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.scale, args.out)
        return 0
    names = discover()
    if args.only:
        wanted = [n.strip().removeprefix("bench_") for n in args.only.split(",")]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"no benchmark named {', '.join(unknown)} (have: {', '.join(names)})")
        names = [n for n in names if n in wanted]
    os.environ.update(production_settings())
    scale = "quick" if args.quick else "full"
    tables, failed = run_all(names, scale, args.keep)
    write_report(tables, scale, failed)
    print(f"[bench] report written to {REPORT.relative_to(ROOT)}", file=sys.stderr)
    for failure in failed:
        print(f"[bench] FAILED {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
