"""The three-party evaluation (三位一体评价) of democratic management as pure functions:
automatic indicators from the facts of a year, scores of the three parties, weighting and
grading. No Django, no database.

Every indicator ends as a rate (done, due): the share of its weight it earns is done/due, and
due == 0 means there was nothing to judge (no proposal fell due, say). The share is rounded to
whole per mille, the total to hundredths of a point, both half up, in integers, so one
enterprise's grade and a federation's 10,000 grades computed column-wise with numpy are the
same numbers (score_hundredths takes a scalar row or a matrix alike)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

AUTO, SCORED = "auto", "scored"
FEDERATION, WORKERS, ASSESSOR = "federation", "workers", "assessor"
PARTIES = (FEDERATION, WORKERS, ASSESSOR)

# Automatic indicators and the facts each is computed from: (done key, due key).
AUTO_FACTS: dict[str, tuple[str, str]] = {
    "congress_on_time": ("meetings_counted", "meetings_required"),
    "quorum_reached": ("sessions_with_quorum", "sessions_due"),
    "composition_compliant": ("composition_passed", "composition_checks"),
    "proposals_on_time": ("proposals_answered_on_time", "proposals_due"),
    "proposal_satisfaction": ("proposals_satisfied", "proposals_rated"),
    "box_on_time": ("box_answered_on_time", "box_due"),
    "disclosure_on_time": ("disclosures_on_time", "disclosures_due"),
    "resolutions_carried_out": ("resolutions_done", "resolutions_due"),
}
SCORE_SCALE = 1000  # scores are kept in tenths of a point out of 100


@dataclass(frozen=True)
class Indicator:
    code: str
    weight: int           # points of 100
    kind: str             # AUTO or SCORED
    party: str = ""       # for scored: FEDERATION / WORKERS / ASSESSOR


@dataclass(frozen=True)
class Rate:
    done: int
    due: int              # 0: nothing to judge

    @property
    def judged(self) -> bool:
        return self.due > 0


# --- Automatic indicators ----------------------------------------------------------------------

def meetings_counted(held: int, required: int) -> int:
    """Meetings beyond the required number earn nothing more (企业民主管理规定: at least once
    a year)."""
    return min(held, required)


def auto_rate(code: str, facts: Mapping[str, int]) -> Rate:
    """An automatic indicator's rate from the facts of the year."""
    done_key, due_key = AUTO_FACTS[code]
    return Rate(int(facts[done_key]), int(facts[due_key]))


def score_rate(tenths: int | None) -> Rate:
    """A party's score (tenths of a point out of 100); None: not scored yet."""
    return Rate(0, 0) if tenths is None else Rate(int(tenths), SCORE_SCALE)


def survey_rate(points: int, answers: int, questions: int, scale: int, minimum: int) -> Rate:
    """The workers' survey: each answer rates every question 1..scale; `points` is the sum of
    (rating - 1) over all answers. Below `minimum` answers the survey judges nothing, so that a
    handful of answers cannot be traced back to the few who gave them."""
    if answers < minimum or questions <= 0:
        return Rate(0, 0)
    return Rate(points, answers * questions * (scale - 1))


# --- Weighting and grading ---------------------------------------------------------------------

def _half_up(numerator, denominator):
    """Integer division rounded half up, for ints and numpy integer arrays (denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def permille(done, due):
    """Share in whole per mille, half up; -1 where nothing was judged (due == 0). Works on
    ints and on numpy arrays."""
    done, due = np.asarray(done, dtype=np.int64), np.asarray(due, dtype=np.int64)
    safe = np.where(due > 0, due, 1)
    return np.where(due > 0, _half_up(1000 * done, safe), -1)


def score_hundredths(weights: Sequence[int], done, due):
    """Score out of 100 in hundredths of a point, per row of `done` / `due` (one column per
    indicator, in the order of `weights`). An indicator with nothing to judge gives its weight
    to the others in proportion, so an enterprise is not punished for having had no proposals.
    Returns (scores, per-mille shares)."""
    shares = permille(done, due)
    w = np.asarray(weights, dtype=np.int64)
    judged = shares >= 0
    weight = (w * judged).sum(axis=-1)
    earned = (w * np.where(judged, shares, 0)).sum(axis=-1)
    safe = np.where(weight > 0, weight, 1)
    # score = 100 * Σ w·(p/1000) / W; in hundredths: 10 · Σ w·p / W
    return np.where(weight > 0, _half_up(10 * earned, safe), 0), shares


def points_hundredths(weight: int, share_permille: int, judged_weight: int) -> int:
    """What one indicator adds to the score, in hundredths (its weight scaled up by the weight
    of unjudged indicators): shown beside each indicator."""
    if share_permille < 0 or judged_weight <= 0:
        return 0
    return int(_half_up(10 * weight * share_permille, judged_weight))


def grade(hundredths: int, bands: Sequence[tuple[int, str]]) -> str:
    """bands: (minimum score, grade) from the highest down, e.g. (90, 优秀), (80, 良好),
    (60, 合格), (0, 不合格)."""
    for minimum, name in bands:
        if hundredths >= minimum * 100:
            return name
    return bands[-1][1]


def to_improve(indicators: Sequence[Indicator], shares: Mapping[str, int], limit: int = 3) -> list[str]:
    """The indicators that lose the most points (weight × missing share), worst first; those
    with nothing to judge or at full marks are left out."""
    lost = [(i.weight * (1000 - shares[i.code]), i.code) for i in indicators
            if shares.get(i.code, -1) >= 0 and shares[i.code] < 1000]
    return [code for _lost, code in sorted(lost, key=lambda x: (-x[0], x[1]))[:limit]]


# --- Bad input ---------------------------------------------------------------------------------

def score_error(value: object, maximum: int = 100) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        return "score.not_a_number"
    if not 0 <= value <= maximum:
        return "score.range"
    if round(value * 10) != value * 10:
        return "score.precision"
    return None


def score_tenths(value: int | float) -> int:
    """A checked score (score_error is None) in tenths of a point."""
    return int(round(value * 10))


def weights_error(indicators: Sequence[Indicator]) -> str | None:
    if any(i.weight <= 0 for i in indicators):
        return "indicators.weight_positive"
    if sum(i.weight for i in indicators) != 100:
        return "indicators.weights"
    if len({i.code for i in indicators}) != len(indicators):
        return "indicators.duplicate"
    for i in indicators:
        if i.kind == AUTO and i.code not in AUTO_FACTS:
            return "indicators.unknown_auto"
        if i.kind == SCORED and i.party not in PARTIES:
            return "indicators.party"
        if i.kind not in (AUTO, SCORED):
            return "indicators.kind"
    return None


def bands_error(bands: Sequence[tuple[int, str]]) -> str | None:
    """Minimums strictly falling, the last one 0, every grade named."""
    minimums = [m for m, _n in bands]
    if not bands or minimums[-1] != 0 or any(a <= b for a, b in zip(minimums, minimums[1:], strict=False)):
        return "bands.order"
    if any(not str(n).strip() for _m, n in bands) or any(not 0 <= m <= 100 for m in minimums):
        return "bands.values"
    return None


def ratings_error(ratings: Mapping[str, object], questions: Sequence[str], scale: int) -> str | None:
    """A survey answer rates every question once, each with a whole number 1..scale."""
    if set(ratings) != set(questions):
        return "survey.incomplete"
    for value in ratings.values():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= scale:
            return "survey.rating"
    return None


def answer_points(ratings: Mapping[str, int]) -> int:
    """What one answer adds to survey_rate's points."""
    return sum(v - 1 for v in ratings.values())


# --- From facts to outcomes ----------------------------------------------------------------------

def rates(indicators: Sequence[Indicator], facts: Mapping) -> list[Rate]:
    """Every indicator's rate from an enterprise's facts (rules.AUTO_FACTS keys, the survey's
    counts, and "scores": {code: tenths} of the federation and the assessor)."""
    out = []
    for i in indicators:
        if i.kind == AUTO:
            out.append(auto_rate(i.code, facts))
        elif i.party == WORKERS:
            out.append(survey_rate(int(facts["survey_points"]), int(facts["survey_answers"]),
                                   int(facts["survey_questions"]), int(facts["survey_scale"]),
                                   int(facts["survey_minimum"])))
        else:
            out.append(score_rate(facts["scores"].get(i.code)))
    return out


@dataclass(frozen=True)
class Outcome:
    score_hundredths: int
    grade: str
    shares: list[int]     # per mille, -1: nothing to judge
    points: list[int]     # hundredths each indicator adds


def outcomes(indicators: Sequence[Indicator], bands: Sequence[tuple[int, str]], done, due) -> list[Outcome]:
    """Scores, grades and each indicator's share and points for a matrix of rates (one row per
    enterprise): the one computation of both the single action and the batch."""
    weights = [i.weight for i in indicators]
    scores, shares = score_hundredths(weights, np.asarray(done, dtype=np.int64).reshape(-1, len(weights)),
                                      np.asarray(due, dtype=np.int64).reshape(-1, len(weights)))
    judged_weight = ((shares >= 0) * np.asarray(weights, dtype=np.int64)).sum(axis=1)
    result = []
    for score, row, judged in zip(scores.tolist(), shares.tolist(), judged_weight.tolist(), strict=True):
        points = [points_hundredths(w, s, judged) for w, s in zip(weights, row, strict=True)]
        result.append(Outcome(score, grade(score, bands), row, points))
    return result
