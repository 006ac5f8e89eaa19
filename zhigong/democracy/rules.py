"""The law of the workers' congress as pure functions. Numbers come in as arguments (from
rule rows); nothing here touches Django or the database.

Counting words (民法典 art. 1259): "以上" includes the number itself, "过半数" means more than
half. So "三分之二以上" is present >= ceil(2N/3) and "过半数" is yes >= floor(N/2) + 1.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor


@dataclass(frozen=True)
class Share:
    """A share of a whole, as a fraction, and whether the count must exceed it (过半数) or
    only reach it (以上)."""

    numerator: int
    denominator: int
    strictly_more: bool = False

    @classmethod
    def of(cls, value: Mapping) -> "Share":
        return cls(int(value["numerator"]), int(value["denominator"]), bool(value.get("strictly_more")))

    def needed(self, whole: int) -> int:
        """The smallest count that satisfies the share of `whole`."""
        exact = Fraction(whole * self.numerator, self.denominator)
        if self.strictly_more:
            return floor(exact) + 1
        return ceil(exact)


# --- Quorum and majority ---------------------------------------------------------------------

def quorum_needed(delegates: int, quorum: Share) -> int:
    """1986 条例 art. 18 / 2012 规定: a session opens with >= 2/3 of ALL delegates present."""
    return quorum.needed(delegates)


def has_quorum(present: int, delegates: int, quorum: Share) -> bool:
    return delegates > 0 and present >= quorum_needed(delegates, quorum)


def pass_threshold(delegates: int, majority: Share) -> int:
    """2012 规定 art. 20: passed with more than half of ALL delegates, not of those present."""
    return majority.needed(delegates)


def passes(yes: int, delegates: int, majority: Share) -> bool:
    return yes >= pass_threshold(delegates, majority)


def interim_requests_needed(delegates: int, share: Share) -> int:
    """An interim session on request of >= 1/3 of delegates."""
    return share.needed(delegates)


def recall_passes(votes_for_recall: int, constituency_workers: int, majority: Share) -> bool:
    """A delegate is recalled by a majority of ALL workers of the constituency (Shaanxi)."""
    return votes_for_recall >= majority.needed(constituency_workers)


# --- Form of the body and its composition ----------------------------------------------------

def body_form(workers: int, congress_from: int) -> str:
    """>= 100 workers: a congress of delegates; fewer: a general assembly of all workers."""
    return "congress" if workers >= congress_from else "general_assembly"


@dataclass(frozen=True)
class Delegation:
    """Counts of the delegates of a term and of the workforce they represent."""

    delegates: int
    managers: int
    frontline: int
    women: int
    workers: int
    women_workers: int


@dataclass(frozen=True)
class CompositionLimits:
    min_share_permille: int     # delegates >= this per mille of workers ...
    min_delegates: int          # ... and at least this many (never more than the workers)
    max_managers: Share         # managers <= this share of delegates (hard)
    min_frontline: Share        # front-line >= this share (soft: a warning)


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    hard: bool
    figure: int | str
    threshold: int | str
    rule: str = ""


def composition_checks(d: Delegation, limits: CompositionLimits) -> list[Check]:
    """Every check says which rule, the figure and the threshold. Hard checks block convening;
    soft ones warn."""
    required = min(max(ceil(d.workers * limits.min_share_permille / 1000), limits.min_delegates), d.workers)
    max_managers = floor(Fraction(d.delegates * limits.max_managers.numerator, limits.max_managers.denominator))
    min_frontline = limits.min_frontline.needed(d.delegates) if d.delegates else 0
    # Women delegates in proportion to women in the workforce (1986 art. 12): at least the
    # share of the workforce, rounded down, so a rounding step never fails a fair delegation.
    women_needed = floor(Fraction(d.delegates * d.women_workers, d.workers)) if d.workers else 0
    return [
        Check("composition.delegate_count", d.delegates >= required, True, d.delegates, required),
        Check("composition.managers", d.managers <= max_managers, True, d.managers, max_managers),
        Check("composition.frontline", d.frontline >= min_frontline, False, d.frontline, min_frontline),
        Check("composition.women", d.women >= women_needed, False, d.women, women_needed),
    ]


def blocking(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if c.hard and not c.ok]


# --- Tallies ---------------------------------------------------------------------------------

CHOICES = ("yes", "no", "abstain")


@dataclass(frozen=True)
class Tally:
    delegates: int
    present: int
    yes: int
    no: int
    abstain: int
    threshold: int
    passed: bool


def tally_choices(choices: Sequence[str], delegates: int, present: int, majority: Share) -> Tally:
    counts = {c: 0 for c in CHOICES}
    for choice in choices:
        counts[choice] += 1
    threshold = pass_threshold(delegates, majority)
    return Tally(delegates, present, counts["yes"], counts["no"], counts["abstain"], threshold,
                 counts["yes"] >= threshold)


# --- Elections -------------------------------------------------------------------------------

def ballot_is_valid(approved: Sequence[int], candidates: Sequence[int], seats: int) -> bool:
    """A ballot approves up to `seats` distinct candidates of the round."""
    return len(approved) <= seats and len(set(approved)) == len(approved) and set(approved) <= set(candidates)


def election_is_contested_enough(candidates: int, seats: int, allow_equal: bool) -> bool:
    """差额选举: more candidates than seats; the rule row may allow as many as seats."""
    return candidates > seats or (allow_equal and candidates == seats and seats > 0)


@dataclass(frozen=True)
class RoundOutcome:
    elected: list[int]
    runoff: list[int] = field(default_factory=list)   # tied at the last seat
    runoff_seats: int = 0
    next_round: list[int] = field(default_factory=list)  # candidates for unfilled seats
    next_round_seats: int = 0


def election_round(votes: Mapping[int, int], seats: int, threshold: int) -> RoundOutcome:
    """Elected: the top candidates with votes >= threshold (more than half of ALL delegates).
    A tie at the last seat sends the tied to a runoff for the seats they tie for; seats no
    one filled go to a further round among the candidates not elected."""
    qualified = sorted((c for c, v in votes.items() if v >= threshold), key=lambda c: (-votes[c], c))
    if len(qualified) <= seats:
        elected = qualified
        remaining = sorted(c for c in votes if c not in elected)
        left = seats - len(elected)
        return RoundOutcome(elected, next_round=remaining if left else [], next_round_seats=left)
    cut = votes[qualified[seats - 1]]
    above = [c for c in qualified if votes[c] > cut]
    tied = [c for c in qualified if votes[c] == cut]
    if len(above) + len(tied) == seats:
        return RoundOutcome(above + tied)
    return RoundOutcome(above, runoff=sorted(tied), runoff_seats=seats - len(above))


def tally_approvals(ballots: Sequence[Sequence[int]], candidates: Sequence[int]) -> dict[int, int]:
    votes = {c: 0 for c in candidates}
    for approved in ballots:
        for c in approved:
            votes[c] += 1
    return votes


# --- Appraisal (民主评议) --------------------------------------------------------------------

GRADES = ("excellent", "competent", "basically_competent", "incompetent")


def tally_ratings(ballots: Sequence[Mapping[str, str]], subjects: Sequence[int]) -> dict[int, dict[str, int]]:
    result = {s: {g: 0 for g in GRADES} for s in subjects}
    for ratings in ballots:
        for subject, grade in ratings.items():
            result[int(subject)][grade] += 1
    return result


# --- Company law: worker directors and supervisors --------------------------------------------

@dataclass(frozen=True)
class Governance:
    company_form: str            # llc / joint_stock / wholly_state_owned / other
    workers: int
    has_supervisory_board: bool  # with worker members
    audit_committee_replaces_board: bool
    supervisory_board_size: int
    worker_directors: int
    worker_supervisors: int


def governance_checks(g: Governance, director_from_workers: int, supervisor_share: Share) -> list[Check]:
    """公司法 (2023) art. 68/120: an LLC or joint-stock company with >= 300 workers and no
    supervisory board with worker members has a worker director; art. 173: a wholly
    state-owned company has worker directors; art. 76/130: worker supervisors >= 1/3 of the
    supervisory board, none needed where an audit committee replaces it (art. 69/121/176)."""
    checks = []
    needs_director = g.company_form == "wholly_state_owned" or (
        g.company_form in ("llc", "joint_stock") and g.workers >= director_from_workers
        and not g.has_supervisory_board
    )
    if needs_director:
        checks.append(Check("governance.worker_director", g.worker_directors >= 1, True,
                            g.worker_directors, 1, "公司法 art. 68/120/173"))
    if g.has_supervisory_board and not g.audit_committee_replaces_board:
        needed = supervisor_share.needed(g.supervisory_board_size)
        checks.append(Check("governance.worker_supervisors", g.worker_supervisors >= needed, True,
                            g.worker_supervisors, needed, "公司法 art. 76/130"))
    return checks


# --- Receipts --------------------------------------------------------------------------------

def receipt_code(commitment_hex: str) -> str:
    """The short code shown to the voter: the first 50 bits of their commitment
    (SHA-256 of item, choice and a salt only their phone knows), in Crockford base32."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    value = int(commitment_hex[:13], 16) >> 2  # 52 bits -> 50 bits
    return "".join(alphabet[(value >> shift) & 31] for shift in range(45, -1, -5))
