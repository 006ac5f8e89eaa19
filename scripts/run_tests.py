"""`make test`: the whole suite on SQLite, again on PostgreSQL, then the browser tests in
Debian's Chromium. Every part runs even when an earlier one fails; a part that cannot be had
(no PostgreSQL, no Chromium) or that collects no tests fails with a message naming it.
The last lines printed are each part's pytest summary line and its duration.

    python scripts/run_tests.py [--part sqlite|postgres|browser ...] [-- extra pytest args]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import postgres

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "test-logs"
NO_TESTS_COLLECTED = 5  # pytest.ExitCode.NO_TESTS_COLLECTED
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Outcome:
    part: str
    ok: bool
    summary: str
    seconds: float


def header(title: str) -> None:
    bar = "=" * 78
    print(f"\n{bar}\n  make test: {title}\n{bar}", flush=True)


def pytest(part: str, args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run pytest, echo its output, keep it in var/test-logs/<part>.log; (exit code, summary)."""
    color = ["--color=yes"] if sys.stdout.isatty() else []
    argv = [sys.executable, "-m", "pytest", *color, *args]
    print("$ " + " ".join(argv[1:]), flush=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    summary = ""
    with open(LOGS / f"{part}.log", "w") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
            if line.strip():
                summary = ANSI.sub("", line).strip().strip("= ")
        code = proc.wait()
    return code, summary


def judge(part: str, code: int, summary: str, started: float) -> Outcome:
    if code == NO_TESTS_COLLECTED:
        summary = f"{summary}  <- FAILED: no tests collected, the {part} part would test nothing"
    return Outcome(part, code == 0, summary, time.monotonic() - started)


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # SQLite parts: the default file-less test database
    return env


def run_sqlite(extra: list[str]) -> Outcome:
    header("part 1/3, the whole suite on SQLite (deselects postgres and browser tests)")
    started = time.monotonic()
    code, summary = pytest("sqlite", ["-m", "not postgres and not browser", *extra], base_env())
    return judge("SQLite", code, summary, started)


def run_postgres(extra: list[str]) -> Outcome:
    header("part 2/3, the whole suite on PostgreSQL (includes postgres tests)")
    started = time.monotonic()
    try:
        with postgres.server() as url:
            if not os.environ.get("DATABASE_URL"):
                url = postgres.with_database(url, postgres.default_database())
            print(f"DATABASE_URL={postgres._safe(url)} (pytest-django creates test_<name>)")
            env = {**base_env(), "DATABASE_URL": url}
            code, summary = pytest("postgres", ["-m", "not browser", "--create-db", *extra], env)
    except postgres.Unavailable as exc:
        print(f"FAILED: {exc}", flush=True)
        return Outcome("PostgreSQL", False, f"FAILED: {str(exc).splitlines()[0]}",
                       time.monotonic() - started)
    return judge("PostgreSQL", code, summary, started)


def find_chromium() -> tuple[str | None, str]:
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "ensure_chromium.sh")],
                          check=False, capture_output=True, text=True)
    sys.stdout.write(proc.stderr)
    chromium = proc.stdout.strip()
    return (chromium, "") if proc.returncode == 0 and chromium else (None, proc.stderr.strip())


SYSTEM: dict[str, tuple[str | None, str]] = {}


def system_packages() -> tuple[str | None, str]:
    """Debian's chromium, fonts-noto-cjk and poppler-utils, installed when missing and root:
    before the first part, because the PDF tests of every part need the font and poppler."""
    if "chromium" not in SYSTEM:
        SYSTEM["chromium"] = find_chromium()
    return SYSTEM["chromium"]


def run_browser(extra: list[str]) -> Outcome:
    header("part 3/3, browser tests (Playwright driving Debian's Chromium, on SQLite)")
    started = time.monotonic()
    chromium, problem = system_packages()
    if chromium is None:
        return Outcome("browser", False, problem or "FAILED: Chromium is not available",
                       time.monotonic() - started)
    print(f"ZHIGONG_CHROMIUM={chromium}")
    env = {**base_env(), "ZHIGONG_CHROMIUM": chromium}
    code, summary = pytest("browser", ["-m", "browser", *extra], env)
    return judge("browser", code, summary, started)


PARTS = {"sqlite": run_sqlite, "postgres": run_postgres, "browser": run_browser}


def report(outcomes: list[Outcome], total: float) -> None:
    header("summary")
    for o in outcomes:
        status = "ok    " if o.ok else "FAILED"
        print(f"{status} {o.part:<10} {o.seconds:7.1f} s  {o.summary}")
    failed = [o.part for o in outcomes if not o.ok]
    verdict = f"FAILED: {', '.join(failed)}" if failed else "all parts passed"
    print(f"make test: {verdict} in {total:.1f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", action="append", choices=list(PARTS),
                        help="run only this part (repeatable); default: all three")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    extra = [a for a in args.pytest_args if a != "--"]
    # SIGTERM becomes SystemExit, so a throwaway PostgreSQL cluster is still stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    _chromium, problem = system_packages()
    if problem:
        print(problem, flush=True)
    outcomes = [PARTS[name](extra) for name in (args.part or list(PARTS))]
    report(outcomes, time.monotonic() - started)
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
