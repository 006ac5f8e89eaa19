"""Proposal state machine, co-signing, due dates and the box's limits, as readable tables."""

from datetime import date

import pytest

from zhigong.participation import rules as r

LEGAL = [
    ("draft", "edit", "draft"),
    ("draft", "submit", "submitted"),
    ("draft", "withdraw", "closed"),
    ("submitted", "withdraw", "closed"),
    ("submitted", "start_review", "under_review"),
    ("under_review", "accept", "accepted"),
    ("under_review", "convert", "converted"),
    ("submitted", "merge", "merged"),
    ("under_review", "merge", "merged"),
    ("accepted", "assign", "assigned"),
    ("assigned", "answer", "answered"),
    ("answered", "report_progress", "carrying_out"),
    ("carrying_out", "report_progress", "carrying_out"),
    ("answered", "complete", "carried_out"),
    ("carrying_out", "complete", "carried_out"),
    ("carried_out", "rate", "closed"),
    ("converted", "archive", "closed"),
    ("closed", "reopen", "assigned"),
]


@pytest.mark.parametrize("state,verb,target", LEGAL)
def test_legal_transitions(state, verb, target):
    assert r.next_state(state, verb) == target


ILLEGAL = [
    (state, verb)
    for state in r.STATES
    for verb in r.TRANSITIONS
    if (state, verb) not in {(s, v) for s, v, _t in LEGAL}
]


@pytest.mark.parametrize("state,verb", ILLEGAL)
def test_every_other_transition_is_refused(state, verb):
    with pytest.raises(r.TransitionError) as err:
        r.next_state(state, verb)
    assert err.value.code == "proposal.illegal_transition"


def test_the_tables_cover_every_pair():
    assert len(LEGAL) + len(ILLEGAL) == len(r.STATES) * len(r.TRANSITIONS)


@pytest.mark.parametrize("rating,used,expected", [
    ("satisfied", False, ("closed", False)),
    ("basically_satisfied", False, ("closed", False)),
    ("not_satisfied", False, ("assigned", True)),   # back for a second answer, once
    ("not_satisfied", True, ("closed", True)),      # the second time it closes
])
def test_after_rating(rating, used, expected):
    assert r.after_rating(rating, used) == expected


def test_bad_rating():
    with pytest.raises(r.TransitionError):
        r.after_rating("meh", False)


@pytest.mark.parametrize("signer,cosigners,expected", [
    (1, [], "cosign.own_proposal"),
    (2, [2], "cosign.twice"),
    (9, [], "cosign.not_delegate"),
    (2, [3], None),
])
def test_cosign(signer, cosigners, expected):
    assert r.cosign_error(signer, proposer=1, cosigners=cosigners, delegates=[1, 2, 3, 4]) == expected


@pytest.mark.parametrize("count,required,ok", [(1, 2, False), (2, 2, True), (3, 2, True), (0, 0, True)])
def test_can_submit(count, required, ok):
    assert r.can_submit(count, required) is ok


@pytest.mark.parametrize("today,ok", [(date(2026, 3, 1), True), (date(2026, 3, 31), True),
                                      (date(2026, 2, 28), False), (date(2026, 4, 1), False)])
def test_window(today, ok):
    assert r.window_open(today, date(2026, 3, 1), date(2026, 3, 31)) is ok
    assert r.window_open(today, None, None) is False


@pytest.mark.parametrize("due,done,today,overdue", [
    (date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 10), False),  # on the due day: on time
    (date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 10), True),
    (date(2026, 3, 31), None, date(2026, 3, 31), False),
    (date(2026, 3, 31), None, date(2026, 4, 1), True),
    (None, None, date(2030, 1, 1), False),
])
def test_overdue(due, done, today, overdue):
    assert r.is_overdue(due, done, today) is overdue


def test_due_date_crosses_months_and_leap_days():
    assert r.due_date(date(2028, 2, 14), 15) == date(2028, 2, 29)
    assert r.due_date(date(2026, 12, 20), 15) == date(2027, 1, 4)


def test_rates():
    today = date(2026, 6, 1)
    pairs = [(date(2026, 5, 1), date(2026, 4, 30)), (date(2026, 5, 1), date(2026, 5, 2)),
             (date(2026, 5, 1), None), (date(2026, 7, 1), None)]
    assert r.on_time_rate(pairs, today) == (1, 3)  # the last is not due yet
    assert r.satisfaction_rate(["satisfied", "basically_satisfied", "not_satisfied"]) == (2, 3)


LIMITS = r.BoxLimits(answer_days=15, max_chars=2000, max_photos=3, max_photo_bytes=5_000_000,
                     window_seconds=600, max_per_window=5)


@pytest.mark.parametrize("text,photos,error", [
    ("", 0, "box.empty"), ("   ", 0, "box.empty"), ("字" * 2001, 0, "box.too_long"),
    ("字" * 2000, 0, None), ("食堂太贵", 4, "box.too_many_photos"), ("食堂太贵", 3, None),
])
def test_box_message(text, photos, error):
    assert r.box_message_error(text, photos, LIMITS) == error


def test_box_due_and_codes():
    assert r.box_due(date(2026, 11, 23), LIMITS) == date(2026, 12, 8)
    assert r.follow_up_code_ok("ABCD-EFGH-JKMN-PQRS")
    assert r.follow_up_code_ok("abcd efgh jkmn pqrs")
    assert r.normalise_follow_up_code("0oIl") == "0011"
    assert not r.follow_up_code_ok("ABCD-EFGH-JKMN-PQR")
    assert not r.follow_up_code_ok("ABCD-EFGH-JKMN-PQRU")  # U is not Crockford


@pytest.mark.parametrize("text,grams", [
    ("高温津贴", ["高温", "温津", "津贴"]),
    ("高温，津贴！", ["高温", "温津", "津贴"]),
    ("ＡＢ班", ["ab", "b班"]),
    ("热", ["热"]),
    ("", []),
])
def test_bigrams(text, grams):
    assert r.bigrams(text) == grams


@pytest.mark.parametrize("state,verb,target", [("draft", "submit", "submitted"), ("submitted", "adopt", "adopted"),
                                               ("submitted", "reject", "rejected"),
                                               ("adopted", "implement", "implemented"),
                                               ("implemented", "reward", "rewarded")])
def test_suggestion_flow(state, verb, target):
    assert r.suggestion_next(state, verb) == target


def test_suggestion_illegal():
    with pytest.raises(r.TransitionError):
        r.suggestion_next("rejected", "reward")
