"""Proposals (提案), improvement suggestions (合理化建议) and the anonymous suggestion box
(意见箱) as pure functions: the proposal state machine, co-signing, due dates, overdue, and the
box's answer limits. No Django, no database."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# --- The proposal state machine ----------------------------------------------------------------

DRAFT, SUBMITTED, UNDER_REVIEW = "draft", "submitted", "under_review"
ACCEPTED, CONVERTED, ASSIGNED = "accepted", "converted", "assigned"
ANSWERED, CARRYING_OUT, CARRIED_OUT = "answered", "carrying_out", "carried_out"
CLOSED, MERGED = "closed", "merged"

STATES = (DRAFT, SUBMITTED, UNDER_REVIEW, ACCEPTED, CONVERTED, ASSIGNED, ANSWERED, CARRYING_OUT,
          CARRIED_OUT, CLOSED, MERGED)

# verb -> (states it may start from, state it leads to, who may do it)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "edit": (frozenset({DRAFT}), DRAFT, "proposer"),
    "submit": (frozenset({DRAFT}), SUBMITTED, "proposer"),
    "withdraw": (frozenset({DRAFT, SUBMITTED}), CLOSED, "proposer"),
    "start_review": (frozenset({SUBMITTED}), UNDER_REVIEW, "committee"),
    "accept": (frozenset({UNDER_REVIEW}), ACCEPTED, "committee"),
    "convert": (frozenset({UNDER_REVIEW}), CONVERTED, "committee"),
    "merge": (frozenset({SUBMITTED, UNDER_REVIEW}), MERGED, "committee"),
    "assign": (frozenset({ACCEPTED}), ASSIGNED, "committee"),
    "answer": (frozenset({ASSIGNED}), ANSWERED, "department"),
    "report_progress": (frozenset({ANSWERED, CARRYING_OUT}), CARRYING_OUT, "department"),
    "complete": (frozenset({ANSWERED, CARRYING_OUT}), CARRIED_OUT, "department"),
    "rate": (frozenset({CARRIED_OUT}), CLOSED, "proposer"),  # or back to ASSIGNED, see rate()
    "archive": (frozenset({CONVERTED}), CLOSED, "committee"),
    "reopen": (frozenset({CLOSED}), ASSIGNED, "committee"),
}

SATISFIED, BASICALLY_SATISFIED, NOT_SATISFIED = "satisfied", "basically_satisfied", "not_satisfied"
RATINGS = (SATISFIED, BASICALLY_SATISFIED, NOT_SATISFIED)


class TransitionError(ValueError):
    def __init__(self, code: str, **details) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def next_state(state: str, verb: str) -> str:
    """The state after `verb`, or TransitionError("proposal.illegal_transition")."""
    if verb not in TRANSITIONS:
        raise TransitionError("proposal.unknown_verb", verb=verb)
    sources, target, _who = TRANSITIONS[verb]
    if state not in sources:
        raise TransitionError("proposal.illegal_transition", state=state, verb=verb)
    return target


def who_may(verb: str) -> str:
    return TRANSITIONS[verb][2]


def after_rating(rating: str, second_answer_used: bool) -> tuple[str, bool]:
    """(next state, whether this rating uses up the second answer). "Not satisfied" sends the
    proposal back to its departments for a second answer, once; after that it closes."""
    if rating not in RATINGS:
        raise TransitionError("proposal.rating")
    if rating == NOT_SATISFIED and not second_answer_used:
        return ASSIGNED, True
    return CLOSED, second_answer_used


def legal_verbs(state: str) -> list[str]:
    return [verb for verb, (sources, _t, _w) in TRANSITIONS.items() if state in sources]


# --- Co-signing --------------------------------------------------------------------------------

def cosign_error(signer: int, proposer: int, cosigners: Sequence[int], delegates: Sequence[int]) -> str | None:
    """Why `signer` may not co-sign, or None. Co-signers are other delegates of the same term,
    each once."""
    if signer == proposer:
        return "cosign.own_proposal"
    if signer in cosigners:
        return "cosign.twice"
    if signer not in delegates:
        return "cosign.not_delegate"
    return None


def can_submit(cosigners: int, required: int) -> bool:
    return cosigners >= required


def window_open(today: date, opens: date | None, closes: date | None) -> bool:
    """The collection window set by the congress; both ends included."""
    return opens is not None and closes is not None and opens <= today <= closes


# --- Due dates ---------------------------------------------------------------------------------

def due_date(assigned_on: date, days: int) -> date:
    return assigned_on + timedelta(days=days)


def is_overdue(due: date | None, done_on: date | None, today: date) -> bool:
    """Overdue when not done by the end of the due day (a thing done on the due day is on
    time)."""
    if due is None:
        return False
    return (done_on or today) > due


def on_time_rate(pairs: Sequence[tuple[date, date | None]], today: date) -> tuple[int, int]:
    """(answered on time, due so far) over (due date, answered on) pairs; a proposal counts
    once its due date has passed or it has been answered."""
    due_so_far = [(d, a) for d, a in pairs if a is not None or d < today]
    on_time = sum(1 for d, a in due_so_far if a is not None and a <= d)
    return on_time, len(due_so_far)


def satisfaction_rate(ratings: Sequence[str]) -> tuple[int, int]:
    """(satisfied or basically satisfied, rated)."""
    return sum(1 for r in ratings if r in (SATISFIED, BASICALLY_SATISFIED)), len(ratings)


# --- Suggestion box ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BoxLimits:
    answer_days: int        # management answers within this many days (default 15)
    max_chars: int          # longest message
    max_photos: int
    max_photo_bytes: int
    window_seconds: int     # rate limit window
    max_per_window: int     # submissions per window from one network address hash


def box_due(received_on: date, limits: BoxLimits) -> date:
    return received_on + timedelta(days=limits.answer_days)


def box_message_error(text: str, photos: int, limits: BoxLimits) -> str | None:
    text = (text or "").strip()
    if not text:
        return "box.empty"
    if len(text) > limits.max_chars:
        return "box.too_long"
    if photos > limits.max_photos:
        return "box.too_many_photos"
    return None


def follow_up_code_ok(code: str) -> bool:
    """Codes are 16 characters of Crockford base32 shown in groups of four."""
    clean = normalise_follow_up_code(code)
    return len(clean) == 16 and all(c in CROCKFORD for c in clean)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def normalise_follow_up_code(code: str) -> str:
    table = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
    return (code or "").upper().translate(table)


# --- Chinese text: n-grams for search and similarity ------------------------------------------

def normalise_text(text: str) -> str:
    """Full-width to half-width, lower case, punctuation and spaces dropped: what the n-grams
    are taken from."""
    out = []
    for ch in text or "":
        code = ord(ch)
        if code == 0x3000:
            continue
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def bigrams(text: str) -> list[str]:
    """Character bigrams: Chinese has no spaces between words, and two characters are the most
    common word length, so bigrams find words without a segmenter."""
    clean = normalise_text(text)
    if len(clean) == 1:
        return [clean]
    return [clean[i : i + 2] for i in range(len(clean) - 1)]


def query_grams(query: str) -> list[str]:
    """Distinct bigrams of a search query, each of which a match must contain."""
    return sorted(set(bigrams(query)))


# --- Improvement suggestions -------------------------------------------------------------------

SUGGESTION_FLOW = {
    "submit": (frozenset({"draft"}), "submitted"),
    "adopt": (frozenset({"submitted"}), "adopted"),
    "reject": (frozenset({"submitted"}), "rejected"),
    "implement": (frozenset({"adopted"}), "implemented"),
    "reward": (frozenset({"implemented"}), "rewarded"),
}


def suggestion_next(state: str, verb: str) -> str:
    if verb not in SUGGESTION_FLOW or state not in SUGGESTION_FLOW[verb][0]:
        raise TransitionError("suggestion.illegal_transition", state=state, verb=verb)
    return SUGGESTION_FLOW[verb][1]
