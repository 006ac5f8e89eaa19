"""zhigong serve [--host H] [--port P]: Django's development server when ZHIGONG_DEBUG=1,
gunicorn with WhiteNoise-served static files otherwise."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Zhigong (development server in debug mode, gunicorn otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ZHIGONG_WORKERS", "3")))

    def handle(self, *args, host, port, workers, **options):
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable, "-m", "gunicorn", "zhigong.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
            "--logger-class", "zhigong.gunicorn_logging.AccessLogger",
        ]
        os.execv(sys.executable, argv)
