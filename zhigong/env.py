"""Settings from the environment only (the Healthchecks way), with development secrets kept
under var/ so that `make run` needs nothing configured."""

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _default_var_dir() -> Path:
    """var/ of the checkout when running from one (make install installs it editable), so that
    the database and the keys do not depend on the current directory; else ./var."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").exists():
        return checkout / "var"
    return Path.cwd() / "var"


VAR_DIR = Path(os.environ.get("ZHIGONG_VAR_DIR") or _default_var_dir()).resolve()


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def secret(name: str, debug: bool, make_default) -> str:
    """A secret from NAME, or from the file named by NAME_FILE; in development, generated
    once and kept in var/<name>. Production refuses to start without it."""
    if os.environ.get(name):
        return os.environ[name]
    if os.environ.get(name + "_FILE"):
        return Path(os.environ[name + "_FILE"]).read_text().strip()
    if not debug:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set when ZHIGONG_DEBUG=0")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make_default())
        path.chmod(0o600)
    return path.read_text().strip()


def random_key_b64(size: int = 32) -> str:
    return base64.b64encode(secrets.token_bytes(size)).decode()


def random_secret_key() -> str:
    return secrets.token_urlsafe(50)
