"""Decision tracking (决策可追踪) as pure functions: progress roll-up from weighted measures and
the check that progress does not go backwards. No Django, no database."""

from collections.abc import Sequence
from fractions import Fraction


def rolled_up_progress(measures: Sequence[tuple[int, int]]) -> int:
    """Weighted progress of a resolution from its measures: (weight, percent) pairs; whole
    percent, rounded down so that 100 means every measure is done."""
    total = sum(w for w, _p in measures)
    if total <= 0:
        return 0
    return int(Fraction(sum(w * p for w, p in measures), total))


def progress_error(percent: object, previous: int) -> str | None:
    if not isinstance(percent, int) or isinstance(percent, bool):
        return "progress.not_a_number"
    if not 0 <= percent <= 100:
        return "progress.range"
    if percent < previous:
        return "progress.backwards"
    return None
