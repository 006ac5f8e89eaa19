"""The three-party evaluation (三位一体评价) of democratic management as pure functions:
automatic indicators, weighting and grading. No Django, no database."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

# --- Three-party evaluation --------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    code: str
    weight: int           # points of 100
    kind: str             # "auto" or "scored"
    party: str = ""       # for scored: federation / workers / assessor


def auto_score(code: str, facts: Mapping[str, object]) -> Fraction | None:
    """An automatic indicator as a share 0..1 of its weight, from the facts of the year; None
    when there is nothing to judge (e.g. no proposal was due)."""
    f = facts
    if code == "congress_on_time":
        needed = int(f["meetings_required"])
        return Fraction(min(int(f["meetings_held"]), needed), needed) if needed else None
    if code == "quorum_reached":
        opened = int(f["sessions_opened"])
        return Fraction(int(f["sessions_with_quorum"]), opened) if opened else None
    if code == "composition_compliant":
        return Fraction(1) if f["composition_ok"] else Fraction(0)
    rate_keys = {
        "proposals_on_time": ("proposals_answered_on_time", "proposals_due"),
        "proposal_satisfaction": ("proposals_satisfied", "proposals_rated"),
        "disclosure_on_time": ("disclosures_on_time", "disclosures_due"),
        "box_on_time": ("box_answered_on_time", "box_due"),
    }
    if code in rate_keys:
        done, due = (int(f[k]) for k in rate_keys[code])
        return Fraction(done, due) if due else None
    if code == "resolutions_carried_out":
        progress = list(f["resolution_progress"])
        return Fraction(sum(progress), 100 * len(progress)) if progress else None
    raise KeyError(code)


def combine(indicators: Sequence[Indicator], shares: Mapping[str, Fraction | None]) -> Fraction:
    """Weighted score out of 100. An indicator with nothing to judge gives its weight to the
    others in proportion, so an enterprise is not punished for having had no proposals."""
    judged = [(i, shares[i.code]) for i in indicators if shares.get(i.code) is not None]
    weight = sum(i.weight for i, _s in judged)
    if weight == 0:
        return Fraction(0)
    return Fraction(100) * sum(i.weight * s for i, s in judged) / weight


def grade(score: Fraction, bands: Sequence[tuple[int, str]]) -> str:
    """bands: (minimum score, grade) from the highest down, e.g. (90, 优秀), (80, 良好), (60, 合格), (0, 不合格)."""
    for minimum, name in bands:
        if score >= minimum:
            return name
    return bands[-1][1]


def score_error(value: object, maximum: int = 100) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "score.not_a_number"
    if not 0 <= value <= maximum:
        return "score.range"
    return None


def weights_error(indicators: Sequence[Indicator]) -> str | None:
    if sum(i.weight for i in indicators) != 100:
        return "indicators.weights"
    if len({i.code for i in indicators}) != len(indicators):
        return "indicators.duplicate"
    return None
