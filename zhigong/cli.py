"""The `zhigong` console script: Django's management commands under one name
(`zhigong serve`, `zhigong demo`, `zhigong trail verify`, `zhigong migrate`, …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhigong", *sys.argv[1:]])


if __name__ == "__main__":
    main()
