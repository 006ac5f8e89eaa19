"""How the congress's figures read on a page.

Checks: what is checked, the rule behind it (the source of the rule row in force), the figure,
the threshold, and what a failure means; hard composition failures block convening, soft ones
only warn. Results: a closed round's stored result with names in place of candidate ids."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong.core.models import RuleRow
from zhigong.democracy.rulebook import load
from zhigong.democracy.rules import GRADES, Check

# check code -> (what is checked, rule key whose source is cited, "at most" instead of "at least")
LABELS = {
    "composition.delegate_count": (gettext_lazy("代表人数"), "congress.min_delegates", False),
    "composition.managers": (gettext_lazy("中层以上管理人员代表"), "congress.max_managers", True),
    "composition.frontline": (gettext_lazy("一线职工代表"), "congress.min_frontline", False),
    "composition.women": (gettext_lazy("女职工代表"), "", False),
    "governance.worker_director": (gettext_lazy("职工董事"), "governance.director_from_workers", False),
    "governance.worker_supervisors": (gettext_lazy("职工监事"), "governance.supervisor_share", False),
}
# Checks whose rule is not a row of its own: the law they come from.
FIXED_SOURCES = {
    "composition.women": gettext_lazy(
        "全民所有制工业企业职工代表大会条例(1986) 第12条：女职工代表比例与女职工在职工中的比例相当"),
}


@dataclass(frozen=True)
class ShownCheck:
    code: str
    label: str
    rule: str
    figure: int | str
    threshold: int | str
    at_most: bool
    ok: bool
    hard: bool

    @property
    def verdict(self) -> str:
        if self.ok:
            return _("符合")
        if self.code.startswith("governance."):
            return _("不符合公司法")
        return _("阻止召开") if self.hard else _("提示")

    @property
    def level(self) -> str:
        """CSS class: ok, block (red) or warn (amber)."""
        return "ok" if self.ok else ("block" if self.hard else "warn")

    @property
    def requirement(self) -> str:
        if self.at_most:
            return _("不超过%(n)s人") % {"n": self.threshold}
        return _("不少于%(n)s人") % {"n": self.threshold}


def present_checks(checks: list[Check], region_code: str) -> list[ShownCheck]:
    sources = _sources(region_code)
    shown = []
    for check in checks:
        label, key, at_most = LABELS.get(check.code, (check.code, "", False))
        rule = FIXED_SOURCES.get(check.code) or sources.get(key) or check.rule
        shown.append(ShownCheck(check.code, str(label), str(rule), check.figure, check.threshold, at_most,
                                check.ok, check.hard))
    return shown


def _sources(region_code: str) -> dict[str, str]:
    """The source text of each rule row in force for the region today."""
    rows = {cite["key"]: cite["row"] for cite in load(region_code, timezone.localdate()).used}
    return {key: source for key, source in RuleRow.objects.filter(pk__in=rows.values()).values_list(
        "key", "source")}


@dataclass(frozen=True)
class CandidateRow:
    name: str
    votes: int
    outcome: str  # elected / runoff / next_round / ""


def election_rows(result: dict, names: dict[int, str]) -> list[CandidateRow]:
    """Candidates of an election round, most votes first, with what the round did for them."""
    rows = []
    for key, votes in sorted(result.get("votes", {}).items(), key=lambda pair: (-pair[1], int(pair[0]))):
        cid = int(key)
        outcome = next((name for name in ("elected", "runoff", "next_round") if cid in result.get(name, [])), "")
        rows.append(CandidateRow(names.get(cid, key), votes, outcome))
    return rows


def rating_rows(result: dict, names: dict[int, str]) -> list[tuple[str, list[int]]]:
    """Appraisal counts per subject, in the order of the grades (优秀 … 不称职)."""
    return [(names.get(int(key), key), [grades.get(g, 0) for g in GRADES])
            for key, grades in sorted(result.get("ratings", {}).items(), key=lambda pair: int(pair[0]))]
