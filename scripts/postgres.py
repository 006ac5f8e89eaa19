"""Find or start a PostgreSQL for `make test` and `make bench`.

Order (issue 2, set-up contract): DATABASE_URL if set; else the server on 127.0.0.1:5432 if it
answers; else a throwaway cluster from Debian's PostgreSQL binaries on a temporary directory and
a free port, stopped and deleted afterwards. When none can be had, the caller fails with a
message that names PostgreSQL: never a silent skip.

As a command: `python scripts/postgres.py [--database NAME] [--create] -- CMD ...` runs CMD with
DATABASE_URL pointing at that PostgreSQL and returns CMD's exit status.
"""

import argparse
import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


class Unavailable(RuntimeError):
    """PostgreSQL cannot be had; the message says why and what to do."""


def say(message: str) -> None:
    print(f"[postgres] {message}", file=sys.stderr, flush=True)


def default_database() -> str:
    # One name per checkout, so that two checkouts testing on one server do not drop each
    # other's test database (pytest-django creates and drops test_<name>).
    digest = hashlib.sha1(str(Path.cwd().resolve()).encode()).hexdigest()[:6]
    return f"zhigong_{digest}"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def answers(url: str) -> str | None:
    """None when a connection succeeds, else the reason it did not."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def create_database(url: str) -> None:
    """CREATE DATABASE for the bench, which migrates into it (tests let pytest-django do it)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin_url = with_database(url, "postgres")
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"created database {name}")


def is_root() -> bool:
    return os.geteuid() == 0


def find_bindir() -> Path | None:
    def version(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in Path(path).parts[-3].split(".") if p.isdigit())

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    return Path(found[-1]).parent if found else None


def install_postgres() -> None:
    say("Debian's PostgreSQL binaries are missing; installing the postgresql package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)


def ensure_bindir() -> Path:
    bindir = find_bindir()
    if bindir is None and is_root() and shutil.which("apt-get"):
        install_postgres()
        bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "PostgreSQL is not available: DATABASE_URL is not set, nothing answers on "
            "127.0.0.1:5432, and Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin/initdb) "
            "are not installed. Install them (apt-get install postgresql) or run as root so "
            "that make can, or set DATABASE_URL=postgresql://user@host:port/name."
        )
    return bindir


def cluster_user() -> str | None:
    """initdb refuses to run as root: use the postgres account (or nobody) when we are root."""
    if not is_root():
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise Unavailable(
        "PostgreSQL: running as root and no 'postgres' or 'nobody' account to run initdb as")


def as_user(user: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if user else argv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A cluster in a temporary directory, trust auth on 127.0.0.1 only, durability off (it is
    thrown away), stopped and deleted on the way out."""
    bindir, user = ensure_bindir(), cluster_user()
    root = Path(tempfile.mkdtemp(prefix="zhigong-pg-"))
    if user:
        shutil.chown(root, user)
    data, port = root / "data", free_port()

    def run(argv: list[str]) -> None:
        subprocess.run(as_user(user, argv), check=True, stdout=subprocess.DEVNULL)

    try:
        say(f"starting a throwaway cluster ({bindir.parent.name}) in {root} on port {port}")
        run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C", "--no-sync"])
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
             "-o", options, "start"])
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        message = f"PostgreSQL: the throwaway cluster did not start ({exc}).\n{tail}"
        raise Unavailable(message) from exc
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(as_user(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                          "-w", "stop"]), check=False, stdout=subprocess.DEVNULL)
            say("throwaway cluster stopped")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[str]:
    """The URL of a PostgreSQL server (database part to be replaced by the caller)."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        url = os.environ["DATABASE_URL"]
        problem = answers(url) if urlsplit(url).path.strip("/") else None
        if problem and "does not exist" not in problem:
            raise Unavailable(f"PostgreSQL at DATABASE_URL does not answer: {problem}")
        say(f"using DATABASE_URL ({_safe(url)})")
        yield url
        return
    if os.environ.get("DATABASE_URL"):
        url = _safe(os.environ["DATABASE_URL"])
        raise Unavailable(f"PostgreSQL: DATABASE_URL is set but not to PostgreSQL ({url})")
    problem = answers(LOCAL_SERVER)
    if problem is None:
        say("using the server on 127.0.0.1:5432")
        yield LOCAL_SERVER
        return
    say(f"nothing usable on 127.0.0.1:5432 ({problem})")
    with throwaway_cluster() as url:
        yield url


def _safe(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="database name (default: one per checkout)")
    parser.add_argument("--create", action="store_true", help="create the database if missing")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("a command to run is required")
    # Turn SIGTERM into an exception so that the throwaway cluster is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with server() as url:
            if not os.environ.get("DATABASE_URL"):
                url = with_database(url, args.database or default_database())
            if args.create:
                create_database(url)
            env = {**os.environ, "DATABASE_URL": url}
            return subprocess.run(command, check=False, env=env).returncode
    except Unavailable as exc:
        print(f"\nFAILED: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
