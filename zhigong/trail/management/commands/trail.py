"""`zhigong trail verify | head | prove EVENT_ID`."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from zhigong.core.errors import DomainError
from zhigong.trail import queries
from zhigong.trail.heads import latest_head
from zhigong.trail.verify import VerifyResult, verify


class Command(BaseCommand):
    help = "Tamper-evident trail: verify everything, print the signed head, prove an event."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("verify", help="recompute every leaf, root and head")
        check.add_argument("--no-progress", action="store_true", help="no progress bar")
        actions.add_parser("head", help="print the signed tree head as JSON")
        prove = actions.add_parser("prove", help="print an inclusion proof as JSON")
        prove.add_argument("event_id", type=int)

    def handle(self, *args, action: str, **options) -> None:
        if action == "verify":
            self._verify(show_progress=not options["no_progress"])
        elif action == "head":
            self._print_json(queries.head_payload(latest_head()))
        else:
            self._prove(options["event_id"])

    def _verify(self, show_progress: bool) -> None:
        total = queries.tree_size()
        with tqdm(total=total, unit="ev", disable=not show_progress, file=sys.stderr) as bar:
            result = verify(progress=bar.update)
        if not result.ok:
            for line in _both_languages(_failure, result):
                self.stderr.write(line)
            sys.exit(1)
        for line in _both_languages(_success, result):
            self.stdout.write(line)

    def _prove(self, event_id: int) -> None:
        try:
            self._print_json(queries.inclusion(event_id))
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from None

    def _print_json(self, payload: dict | None) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))


def _both_languages(sentence, result: VerifyResult) -> list[str]:
    """The operator may read either language; an auditor's report quotes both."""
    lines = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lines.append(sentence(result))
    return lines


def _failure(result: VerifyResult) -> str:
    return _("留痕校验失败：%(problem)s") % {"problem": result.problem.message()}


def _success(result: VerifyResult) -> str:
    return _("留痕校验通过：%(size)s 个事件，%(heads)s 个签名树头，根哈希 %(root)s。") % {
        "size": result.size, "heads": result.heads, "root": result.root_hash.hex(),
    }
