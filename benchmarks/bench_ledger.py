"""Ledger: post 1,000,000 contribution entries (20,000 with --quick) through post_many, take the
trial balance over them, and balance the same postings with hledger and ledger-cli (Debian
packages hledger and ledger; `make bench` installs them when run as root) from a journal file
exported from the database. The three balances must agree to the fen.

Runs on the default database, which the bench runner makes a throwaway one. Standalone:
`python -m benchmarks.bench_ledger [--quick]` with DATABASE_URL pointing at a database that
may be written to.
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
django.setup()

from django.db import connection  # noqa: E402

from benchmarks.report import Table  # noqa: E402
from zhigong.core import actions as core  # noqa: E402
from zhigong.core.identifiers import credit_code  # noqa: E402
from zhigong.core.models import Organization, Role, User  # noqa: E402
from zhigong.ledger import actions, chart, queries  # noqa: E402
from zhigong.ledger.actions import Draft  # noqa: E402
from zhigong.ledger.models import Book, Leg  # noqa: E402
from zhigong.ledger.rules import credit, debit  # noqa: E402

SCALES = {"full": 1_000_000, "quick": 20_000}
CALL = 100_000       # drafts per post_many call (one trail event each)
ENTERPRISES = 200
SINGLE_SAMPLE = 1_000
TOOLS = {"hledger": "hledger", "ledger": "ledger"}  # binary: Debian package


def run(scale: str) -> list[Table]:
    tools = require_tools()
    n = SCALES[scale]
    treasurer, book, enterprises = world()
    posting = time_post_many(treasurer, book, enterprises, n)
    single = time_single_posts(treasurer, book.owner, enterprises)
    ours_time, ours = best(3, lambda: trial_balance(book))
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "bench.journal"
        export_time = timed(lambda: export_journal(book, journal))[0]
        size = journal.stat().st_size
        theirs = {name: run_tool(name, journal, repeats=1 if scale == "full" else 3) for name in tools}
    agree = {name: result[1] == ours for name, result in theirs.items()}
    return [posting_table(n, Leg.objects.filter(book=book).count(), posting, single, theirs),
            balance_table(n, ours_time, ours, theirs, agree, export_time, size)]


def require_tools() -> dict[str, str]:
    """Fail naming what is missing: a benchmark without its peers proves nothing."""
    missing = [f"{binary} (Debian package {package})" for binary, package in TOOLS.items() if not shutil.which(binary)]
    if missing:
        raise SystemExit("bench_ledger: missing " + ", ".join(missing)
                         + "; `make bench` installs them as root, else: apt-get install hledger ledger")
    return {binary: shutil.which(binary) for binary in TOOLS}


# --- Data ---------------------------------------------------------------------------------------

def world() -> tuple[User, Book, list[int]]:
    admin = User.objects.filter(username="bench-admin").first() or core.create_platform_admin("bench-admin", "x" * 16)
    kind = Organization.Kind
    province = core.create_organization(admin, kind.FEDERATION, None, name="基准省总工会", region_code="320000")
    county = core.create_organization(admin, kind.FEDERATION, province, name="基准县总工会", region_code="320102")
    enterprises = [core.create_organization(admin, kind.ENTERPRISE, county, name=f"基准企业{i}",
                                            credit_code=credit_code("320102", 70_000 + county.pk * 1000 + i)).pk
                   for i in range(ENTERPRISES)]
    treasurer = core.create_account(admin, f"bench-treasurer-{county.pk}", "x" * 16)
    core.grant_role(admin, treasurer, Role.TREASURER, county)
    treasurer = User.objects.get(pk=treasurer.pk)  # fresh: no cached scopes
    book = actions.open_book(admin, county, "基准县级池", code=f"bench-{county.pk}")
    return treasurer, book, enterprises


def contributions(n: int, enterprises: list[int], start: int = 0, seed: int = 2026) -> Iterator[Draft]:
    """A year of contributions as they arrive: an invoice (receivable / income, with the union's
    subsidy as a third leg on one in four), or a payment of it into the bank; now and then a
    benefit paid out or an administration cost. Every entry names its enterprise."""
    rng = random.Random(seed + start)
    first = date(2025, 1, 1)
    for i in range(start, start + n):
        org = enterprises[rng.randrange(len(enterprises))]
        day = first + timedelta(days=i * 365 // max(n + start, 1))
        fen = rng.randrange(2_000, 500_000)
        kind = rng.random()
        if kind < 0.45:
            subsidy = fen // 3 if rng.random() < 0.25 else 0
            legs = [debit(chart.RECEIVABLE, fen + subsidy, org), credit(chart.CONTRIBUTIONS, fen, org)]
            if subsidy:
                legs.append(credit(chart.SUBSIDIES, subsidy, org))
            memo = "缴费通知"
        elif kind < 0.9:
            legs, memo = [debit(chart.BANK, fen, org), credit(chart.RECEIVABLE, fen, org)], "企业缴费到账"
        elif kind < 0.97:
            legs, memo = [debit(chart.BENEFITS, fen // 4, org), credit(chart.BANK, fen // 4, org)], "支付互助金"
        else:
            legs, memo = [debit(chart.ADMINISTRATION, fen // 10), credit(chart.BANK, fen // 10)], "管理费用"
        yield Draft(day, memo, legs, key=f"c{i}")


# --- Measurements -------------------------------------------------------------------------------

def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def best(repeats: int, work: Callable[[], object]) -> tuple[float, object]:
    runs = [timed(work) for _ in range(repeats)]
    return min(t for t, _r in runs), runs[-1][1]


def time_post_many(treasurer: User, book: Book, enterprises: list[int], n: int) -> float:
    """Wall time of post_many alone: each call's drafts are made before its clock starts."""
    elapsed = 0.0
    for start in range(0, n, CALL):
        drafts = list(contributions(min(CALL, n - start), enterprises, start))
        started = time.perf_counter()
        batch = actions.post_many(treasurer, book, drafts)
        elapsed += time.perf_counter() - started
        assert batch.posted == len(drafts), batch
    return elapsed


def time_single_posts(treasurer: User, county: Organization, enterprises: list[int]) -> float:
    """post() one entry per transaction (trail event each) into a book of its own."""
    book = actions.open_book(User.objects.get(username="bench-admin"), county, "基准单笔", code=f"single-{county.pk}")
    drafts = list(contributions(SINGLE_SAMPLE, enterprises, seed=7))
    started = time.perf_counter()
    for d in drafts:
        actions.post(treasurer, book, d.day, d.memo, d.legs, key=d.key)
    return time.perf_counter() - started


def trial_balance(book: Book) -> dict[str, int]:
    trial = queries.trial_balance(book)
    assert trial.balanced
    return {account.code: dr - cr for account, dr, cr in trial.rows if dr - cr}


def export_journal(book: Book, path: Path) -> None:
    """The book's postings as a journal both hledger and ledger-cli read: one transaction per
    entry, accounts named by code, amounts in yuan with two decimals."""
    sql = ("SELECT e.id, e.day, e.memo, a.code, l.amount_fen FROM ledger_leg l "
           "JOIN ledger_entry e ON e.id = l.entry_id JOIN ledger_account a ON a.id = l.account_id "
           "WHERE l.book_id = %s ORDER BY e.id, l.id")
    with path.open("w", encoding="utf-8") as out, connection.chunked_cursor() as cursor:
        cursor.execute(sql, [book.pk])
        current = None
        while rows := cursor.fetchmany(20_000):
            lines = []
            for entry_id, day, memo, code, fen in rows:
                if entry_id != current:
                    current = entry_id
                    lines.append(f"\n{day} {memo} #{entry_id}\n")
                sign = "-" if fen < 0 else ""
                lines.append(f"    a{code}    {sign}{abs(fen) // 100}.{abs(fen) % 100:02d}\n")
            out.write("".join(lines))


def run_tool(name: str, journal: Path, repeats: int) -> tuple[float, dict[str, int], int]:
    """Wall seconds (best of `repeats`), the balances it printed, its peak memory in KiB (the
    child's own maximum resident set, from wait4)."""
    if name == "hledger":
        command = ["hledger", "-f", str(journal), "balance", "--flat", "--no-total", "-O", "csv"]
    else:
        command = ["ledger", "-f", str(journal), "balance", "--flat", "--no-total",
                   "--balance-format", "%(account)\t%(quantity(display_total))\n"]
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err)
            _pid, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if process.returncode:
                raise SystemExit(f"bench_ledger: {name} failed: {err.read().decode()[:500]}")
            runs.append((elapsed, out.read().decode(), usage.ru_maxrss))
    return min(t for t, _o, _m in runs), parse_balances(name, runs[-1][1]), max(m for _t, _o, m in runs)


def parse_balances(name: str, text: str) -> dict[str, int]:
    found = {}
    for line in text.splitlines():
        if name == "hledger":
            parts = [p.strip('"') for p in line.split('","')]
            if len(parts) != 2 or parts[0] == "account":
                continue
            account, amount = parts
        else:
            if "\t" not in line:
                continue
            account, amount = line.split("\t", 1)
        fen = int(Decimal(amount.replace(",", "").strip() or "0") * 100)
        if fen:
            found[account.strip().removeprefix("a")] = fen
    return found


# --- Tables -------------------------------------------------------------------------------------

def posting_table(n: int, legs: int, posting: float, single: float, theirs: dict) -> Table:
    rows = [
        ["zhigong post_many (bulk, one trail event per 100,000)", posting, n / posting, 1.0],
        [f"zhigong post() one by one ({SINGLE_SAMPLE:,}, a trail event each)", single * n / SINGLE_SAMPLE,
         SINGLE_SAMPLE / single, (SINGLE_SAMPLE / single) / (n / posting)],
    ]
    for name, (elapsed, _balances, _memory) in theirs.items():
        rows.append([f"{name}: read the same journal file (no database, no checks)", elapsed, n / elapsed,
                     (n / elapsed) / (n / posting)])
    notes = [f"database: {connection.vendor}; {n:,} entries, {legs:,} legs; every entry checked (balanced, accounts, "
             "parties, open month, key) and trailed; PostgreSQL's triggers check them again (legs on INSERT, "
             "balance at COMMIT).",
             f"one-by-one time extrapolated from its sample; load average when done: {os.getloadavg()[0]:.1f} "
             f"on {os.cpu_count()} CPUs."]
    return Table(f"Ledger: posting {n:,} contribution entries", ["what", "wall s", "entries/s", "× post_many"],
                 rows, notes)


def balance_table(n, ours_time, ours, theirs, agree, export_time, size) -> Table:
    rows = [["zhigong trial_balance() (SQL aggregate)", ours_time, 1.0, "-"]]
    for name, (elapsed, _balances, memory) in theirs.items():
        rows.append([f"{name} balance", elapsed, elapsed / ours_time, f"{memory / 1024:,.0f} MiB"])
    notes = [f"journal exported from the database in {export_time:.1f} s ({size / 2**20:,.0f} MiB), not counted above.",
             "hledger and ledger-cli parse the journal on every run; we read the balances from the indexed table. "
             "Both are what each tool does to answer 'what is the trial balance now'.",
             "balances agree to the fen: " + ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in agree.items()),
             f"accounts with a balance: {len(ours)}."]
    if not all(agree.values()):
        raise SystemExit("bench_ledger: the balances disagree\n" + "\n".join(
            f"{name}: {theirs[name][1]}" for name in theirs) + f"\nzhigong: {ours}")
    return Table(f"Ledger: trial balance over {n:,} entries", ["what", "wall s", "× zhigong", "peak memory"], rows,
                 notes)


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for table in run("quick" if "--quick" in sys.argv else "full"):
        print(table.render())


if __name__ == "__main__":
    main()
