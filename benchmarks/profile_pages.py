"""CPU and Python calls per request in the server's own process, for the pages bench_pages
measures: /healthz, the home pages of a worker, a county and a province cadre, and the cadres'
organization lists, through the WSGI application as gunicorn calls it, without the network.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<demo database> ZHIGONG_DEBUG=0 \\
        ZHIGONG_SECRET_KEY=... ZHIGONG_FIELD_KEY=<the demo's> ZHIGONG_ALLOWED_HOSTS=127.0.0.1 \\
        python -m benchmarks.profile_pages [--requests 200] [--rounds 2] [--profile "worker home"]

The database is one built by `zhigong demo` (its personas log in with the demo password); run
`zhigong collectstatic` first under ZHIGONG_DEBUG=0. Reported per page: CPU per request
(time.process_time, best of the rounds), Python calls per request (cProfile's count: the same on
a busy machine as on a quiet one, which makes it the figure to compare changes by while other
work runs) and statements per request. With --profile LABEL, the cProfile of that page's
requests by cumulative time."""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

PASSWORD = "zhigong-demo"  # the demo's persona password (core/management/commands/demo.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    app = get_wsgi_application()
    client = Client(app)
    home, orgs = reverse("home"), reverse("org-list")
    targets = [("healthz", "", reverse("healthz")), ("worker home", "worker", home),
               ("county home", "county_cadre", home), ("province home", "province_cadre", home),
               ("county orgs", "county_cadre", orgs), ("province orgs", "province_cadre", orgs)]
    jars = {who: client.log_in(reverse("login"), who) for who in {w for _l, w, _p in targets if w}}
    cpu: dict[str, float] = {}
    for _round in range(args.rounds):
        for label, who, path in targets:
            jar = jars.get(who, {})
            for _ in range(10):
                client.get(path, jar)
            started = time.process_time()
            for _ in range(args.requests):
                client.get(path, jar)
            cpu[label] = min(cpu.get(label, float("inf")), (time.process_time() - started) / args.requests)
    print(f"{'page':15s} {'CPU ms':>8s} {'× healthz':>10s} {'calls':>8s} {'statements':>11s}")
    for label, who, path in targets:
        jar = jars.get(who, {})
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            client.get(path, jar)
        profile.disable()
        calls = pstats.Stats(profile).total_calls / 20
        with CaptureQueriesContext(connection) as queries:
            client.get(path, jar)
        ratio = cpu[label] / cpu["healthz"]
        print(f"{label:15s} {cpu[label] * 1000:8.2f} {ratio:10.2f} {calls:8.0f} {len(queries):11d}")
        if label == args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(path, jar)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(60)


class Client:
    """Raw WSGI environs, cookies kept by hand (production cookies are Secure: the requests say
    https)."""

    def __init__(self, app) -> None:
        self.app = app

    def call(self, path: str, jar: dict, method: str = "GET", body: bytes = b"", extra: dict | None = None):
        env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(body),
               "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
               "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in jar.items()), **(extra or {})}
        answer = {}

        def start_response(status, headers):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        b"".join(self.app(env, start_response))
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                jar.update({key: morsel.value for key, morsel in cookie.items()})
        return answer["status"]

    def get(self, path: str, jar: dict) -> None:
        status = self.call(path, jar)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")

    def log_in(self, path: str, who: str) -> dict:
        jar: dict = {}
        self.call(path, jar)
        form = urlencode({"username": who, "password": PASSWORD, "csrfmiddlewaretoken": jar["csrftoken"]}).encode()
        status = self.call(path, jar, "POST", form, {"CONTENT_TYPE": "application/x-www-form-urlencoded",
                                                      "HTTP_REFERER": "https://127.0.0.1/"})
        if status not in (302, 303):
            raise SystemExit(f"{who} could not log in ({status})")
        return jar


if __name__ == "__main__":
    main()
