"""Settings come from the environment only; development secrets are generated once under
ZHIGONG_VAR_DIR and reused, never in the repository (issue 2, Settings)."""

import base64
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhigong import env
from zhigong.core.tests.test_deploy_check import ROOT, SECRET_NAMES, clean_env

PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"secret": settings.SECRET_KEY, "field": settings.FIELD_KEY,
                  "trail": settings.TRAIL_KEY, "debug": settings.DEBUG,
                  "hosts": settings.ALLOWED_HOSTS, "engine": db["ENGINE"],
                  "name": str(db["NAME"]), "cache": settings.CACHES["default"],
                  "prepare": db.get("OPTIONS", {}).get("prepare_threshold", "unset")}))
"""


def settings_in_fresh_process(environ: dict[str, str], cwd: Path) -> dict:
    environ = {**environ, "DJANGO_SETTINGS_MODULE": "zhigong.settings",
               "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PRINT_SETTINGS], cwd=cwd, env=environ,
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("raw, expected", [
    ("1", True), ("true", True), ("Yes", True), (" on ", True),
    ("0", False), ("false", False), ("no", False), ("off", False),
])
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ZHIGONG_TEST_FLAG", raw)
    assert env.envbool("ZHIGONG_TEST_FLAG", not expected) is expected


def test_unset_or_empty_variables_take_the_default(monkeypatch):
    monkeypatch.delenv("ZHIGONG_TEST_FLAG", raising=False)
    assert env.envbool("ZHIGONG_TEST_FLAG", True) is True
    assert env.envint("ZHIGONG_TEST_FLAG", 7) == 7
    assert env.envlist("ZHIGONG_TEST_FLAG", ["a"]) == ["a"]
    monkeypatch.setenv("ZHIGONG_TEST_FLAG", "")
    assert env.envbool("ZHIGONG_TEST_FLAG", False) is False
    assert env.envint("ZHIGONG_TEST_FLAG", 7) == 7


def test_envint_and_envlist_parse_values(monkeypatch):
    monkeypatch.setenv("ZHIGONG_TEST_NUMBER", "42")
    monkeypatch.setenv("ZHIGONG_TEST_HOSTS", " zhigong.example.org, ,10.0.0.1 ")
    assert env.envint("ZHIGONG_TEST_NUMBER", 0) == 42
    assert env.envlist("ZHIGONG_TEST_HOSTS", []) == ["zhigong.example.org", "10.0.0.1"]


def test_envint_refuses_garbage(monkeypatch):
    monkeypatch.setenv("ZHIGONG_TEST_NUMBER", "forty")
    with pytest.raises(ValueError):
        env.envint("ZHIGONG_TEST_NUMBER", 0)


def test_secret_prefers_the_variable_then_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path / "var")
    key_file = tmp_path / "key"
    key_file.write_text("from-file\n")
    monkeypatch.setenv("ZHIGONG_TEST_SECRET_FILE", str(key_file))
    assert env.secret("ZHIGONG_TEST_SECRET", False, lambda: "generated") == "from-file"
    monkeypatch.setenv("ZHIGONG_TEST_SECRET", "from-variable")
    assert env.secret("ZHIGONG_TEST_SECRET", False, lambda: "generated") == "from-variable"
    assert not (tmp_path / "var").exists()


def test_development_secret_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    monkeypatch.delenv("ZHIGONG_TEST_SECRET", raising=False)
    monkeypatch.delenv("ZHIGONG_TEST_SECRET_FILE", raising=False)
    first = env.secret("ZHIGONG_TEST_SECRET", True, env.random_secret_key)
    again = env.secret("ZHIGONG_TEST_SECRET", True, env.random_secret_key)
    path = tmp_path / "zhigong_test_secret"
    assert first == again == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_production_secret_is_never_generated(monkeypatch, tmp_path):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    monkeypatch.delenv("ZHIGONG_TEST_SECRET", raising=False)
    monkeypatch.delenv("ZHIGONG_TEST_SECRET_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ZHIGONG_TEST_SECRET"):
        env.secret("ZHIGONG_TEST_SECRET", False, env.random_secret_key)
    assert not list(tmp_path.iterdir())


def test_generated_keys_have_the_right_size():
    assert len(base64.b64decode(env.random_key_b64())) == 32
    assert len(env.random_secret_key()) >= 50  # Django's deploy check wants 50 characters


def test_development_settings_generate_secrets_under_var_dir_and_reuse_them(tmp_path):
    workdir, var_dir = tmp_path / "elsewhere", tmp_path / "state"
    workdir.mkdir()
    environ = clean_env(var_dir)
    first = settings_in_fresh_process(environ, workdir)
    second = settings_in_fresh_process(environ, workdir)
    assert first == second and first["debug"] is True
    assert len({first["secret"], first["field"], first["trail"]}) == 3
    kept = sorted(p.name for p in var_dir.iterdir() if p.is_file())
    assert kept == sorted(name.lower() for name in SECRET_NAMES)
    assert not (workdir / "var").exists()
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["name"] == str(var_dir / "zhigong.sqlite3")


def test_database_url_and_allowed_hosts_come_from_the_environment(tmp_path):
    environ = clean_env(tmp_path, DATABASE_URL="postgresql://zg@db.example.org:5433/zhigong",
                        ZHIGONG_ALLOWED_HOSTS="zhigong.example.org,127.0.0.1")
    seen = settings_in_fresh_process(environ, tmp_path)
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["name"] == "zhigong"
    assert seen["hosts"] == ["zhigong.example.org", "127.0.0.1"]


def test_postgresql_prepares_the_hand_written_statements_unless_told_not_to(tmp_path):
    url = "postgresql://zg@db.example.org:5433/zhigong"
    assert settings_in_fresh_process(clean_env(tmp_path, DATABASE_URL=url), tmp_path)["prepare"] == 0
    off = clean_env(tmp_path, DATABASE_URL=url, ZHIGONG_DB_PREPARE="0")
    assert settings_in_fresh_process(off, tmp_path)["prepare"] == "unset"  # Django's default: never


def test_cache_is_local_unless_redis_is_named(tmp_path):
    local = settings_in_fresh_process(clean_env(tmp_path), tmp_path)["cache"]
    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    shared = settings_in_fresh_process(clean_env(tmp_path, ZHIGONG_REDIS_URL="redis://cache.example.org:6379/1"),
                                       tmp_path)["cache"]
    assert shared == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": "redis://cache.example.org:6379/1"}


def test_var_dir_is_kept_out_of_the_repository():
    # "var/" without a leading slash ignores a var directory at any depth, so secrets generated
    # by a command started from a subdirectory are not committed either.
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "var/" in ignored


def test_the_wsgi_application_freezes_what_it_loaded(tmp_path):
    """zhigong.wsgi moves everything loaded at boot out of the collector's way (gc.freeze)."""
    environ = {**clean_env(tmp_path), "DJANGO_SETTINGS_MODULE": "zhigong.settings", "PYTHONPATH": str(ROOT)}
    script = "import gc, zhigong.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environ,
                            capture_output=True, text=True, timeout=120, check=True)
    assert int(result.stdout.strip()) > 100_000
