"""A production profile (ZHIGONG_DEBUG=0 with real secrets) passes `manage.py check --deploy`
with zero warnings, and production without its secrets refuses to start (issue 2, Settings).

Settings are read once per process, so each profile runs in a fresh Python process."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SECRET_NAMES = ("ZHIGONG_SECRET_KEY", "ZHIGONG_FIELD_KEY", "ZHIGONG_TRAIL_KEY")


def clean_env(var_dir: Path, **values: str) -> dict[str, str]:
    """The caller's environment without any Zhigong or database setting, plus VALUES."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ZHIGONG_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "ZHIGONG_VAR_DIR": str(var_dir), **values}


def production_secrets() -> dict[str, str]:
    return {
        "ZHIGONG_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHIGONG_FIELD_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ZHIGONG_TRAIL_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "django", *args, "--settings=zhigong.settings"]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_production_profile_passes_the_deploy_check_with_zero_warnings(tmp_path):
    env = clean_env(tmp_path, ZHIGONG_DEBUG="0", ZHIGONG_ALLOWED_HOSTS="zhigong.example.org",
                    **production_secrets())
    result = django(env, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (" not in output


def test_the_deploy_check_is_able_to_fail(tmp_path):
    # Guards the test above against passing for the wrong reason: a weak secret key must warn.
    weak = {**production_secrets(), "ZHIGONG_SECRET_KEY": "short"}
    env = clean_env(tmp_path, ZHIGONG_DEBUG="0", ZHIGONG_ALLOWED_HOSTS="zhigong.example.org",
                    **weak)
    result = django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_secrets_can_come_from_files(tmp_path):
    files = {}
    for name, value in production_secrets().items():
        path = tmp_path / name.lower()
        path.write_text(value + "\n")
        files[name + "_FILE"] = str(path)
    env = clean_env(tmp_path / "var", ZHIGONG_DEBUG="0",
                    ZHIGONG_ALLOWED_HOSTS="zhigong.example.org", **files)
    result = django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secrets_refuses_to_start(tmp_path):
    env = clean_env(tmp_path, ZHIGONG_DEBUG="0")
    result = django(env, "check")
    assert result.returncode != 0
    message = "ZHIGONG_SECRET_KEY (or ZHIGONG_SECRET_KEY_FILE) must be set when ZHIGONG_DEBUG=0"
    assert message in result.stderr
    assert not list(tmp_path.iterdir()), "production must not generate secrets of its own"


def test_production_names_each_missing_secret(tmp_path):
    for missing in SECRET_NAMES:
        present = {k: v for k, v in production_secrets().items() if k != missing}
        result = django(clean_env(tmp_path, ZHIGONG_DEBUG="0", **present), "check")
        assert result.returncode != 0
        assert f"{missing} (or {missing}_FILE) must be set" in result.stderr
