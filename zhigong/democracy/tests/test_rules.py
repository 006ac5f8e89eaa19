"""The congress's law, as tables a lawyer could read (DOMAIN.md, 'Enterprise democratic
management'): 三分之二以上 means >= ceil(2N/3); 过半数 means >= floor(N/2) + 1."""

import pytest

from zhigong.democracy import rules as r

TWO_THIRDS = r.Share(2, 3)
MORE_THAN_HALF = r.Share(1, 2, strictly_more=True)
ONE_THIRD = r.Share(1, 3)


@pytest.mark.parametrize("delegates,needed", [
    (30, 20), (31, 21), (99, 66), (100, 67), (101, 68), (3, 2), (1, 1),
])
def test_quorum_needed(delegates, needed):
    assert r.quorum_needed(delegates, TWO_THIRDS) == needed


@pytest.mark.parametrize("present,delegates,ok", [
    (20, 30, True),    # exactly 2N/3
    (19, 30, False),
    (21, 31, True),
    (20, 31, False),   # 20 < 20.67
    (67, 100, True),
    (66, 100, False),
    (68, 101, True),
    (67, 101, False),
    (0, 0, False),     # no delegates: never a quorum
])
def test_has_quorum(present, delegates, ok):
    assert r.has_quorum(present, delegates, TWO_THIRDS) is ok


@pytest.mark.parametrize("yes,delegates,ok", [
    (15, 30, False),   # exactly N/2 is not more than half
    (16, 30, True),
    (15, 31, False),
    (16, 31, True),
    (50, 100, False),
    (51, 100, True),
    (50, 101, False),
    (51, 101, True),
])
def test_majority_of_all_delegates(yes, delegates, ok):
    assert r.passes(yes, delegates, MORE_THAN_HALF) is ok


def test_majority_counts_all_delegates_not_those_present():
    # 70 of 100 present, 40 yes, 30 no: a majority of those present but not of all.
    tally = r.tally_choices(["yes"] * 40 + ["no"] * 30, delegates=100, present=70, majority=MORE_THAN_HALF)
    assert (tally.yes, tally.no, tally.threshold, tally.passed) == (40, 30, 51, False)


@pytest.mark.parametrize("delegates,needed", [(30, 10), (31, 11), (100, 34), (101, 34)])
def test_interim_session_requests(delegates, needed):
    assert r.interim_requests_needed(delegates, ONE_THIRD) == needed


@pytest.mark.parametrize("votes,workers,ok", [(11, 20, True), (10, 20, False), (11, 21, True), (10, 21, False)])
def test_recall_by_majority_of_constituency(votes, workers, ok):
    assert r.recall_passes(votes, workers, MORE_THAN_HALF) is ok


@pytest.mark.parametrize("workers,form", [(99, "general_assembly"), (100, "congress"), (2000, "congress")])
def test_body_form(workers, form):
    assert r.body_form(workers, 100) == form


LIMITS = r.CompositionLimits(min_share_permille=50, min_delegates=30,
                             max_managers=r.Share(1, 5), min_frontline=r.Share(1, 2))


def _checks(**kw):
    base = dict(delegates=30, managers=6, frontline=15, women=12, workers=400, women_workers=160)
    base.update(kw)
    return {c.code: c for c in r.composition_checks(r.Delegation(**base), LIMITS)}


@pytest.mark.parametrize("workers,delegates,ok,required", [
    (400, 30, True, 30),     # 5% = 20, minimum 30 wins
    (400, 29, False, 30),
    (1000, 50, True, 50),    # 5% = 50
    (1001, 50, False, 51),   # 5% = 50.05 -> 51
    (20, 20, True, 20),      # never more than the workers (general assembly)
])
def test_delegate_count(workers, delegates, ok, required):
    check = _checks(workers=workers, delegates=delegates, managers=0, women=0, women_workers=0,
                    frontline=delegates)["composition.delegate_count"]
    assert (check.ok, check.threshold, check.hard) == (ok, required, True)


@pytest.mark.parametrize("delegates,managers,ok", [(30, 6, True), (30, 7, False), (31, 6, True), (34, 6, True), (35, 7, True), (35, 8, False)])
def test_managers_at_most_a_fifth(delegates, managers, ok):
    assert _checks(delegates=delegates, managers=managers, frontline=delegates)["composition.managers"].ok is ok


def test_frontline_and_women_are_warnings():
    checks = _checks(frontline=14, women=11)
    assert not checks["composition.frontline"].ok and not checks["composition.frontline"].hard
    assert not checks["composition.women"].ok and not checks["composition.women"].hard
    assert checks["composition.women"].threshold == 12  # 30 * 160/400
    assert r.blocking(list(checks.values())) == []


# --- Elections -------------------------------------------------------------------------------

def test_top_candidates_over_threshold_are_elected():
    out = r.election_round({1: 80, 2: 70, 3: 60, 4: 40}, seats=2, threshold=51)
    assert out.elected == [1, 2] and not out.runoff and not out.next_round


def test_unfilled_seats_go_to_a_further_round():
    out = r.election_round({1: 80, 2: 50, 3: 45, 4: 20}, seats=3, threshold=51)
    assert out.elected == [1]
    assert (out.next_round, out.next_round_seats) == ([2, 3, 4], 2)


def test_tie_at_the_last_seat_goes_to_a_runoff():
    out = r.election_round({1: 80, 2: 60, 3: 60, 4: 55}, seats=2, threshold=51)
    assert out.elected == [1]
    assert (out.runoff, out.runoff_seats) == ([2, 3], 1)


def test_tie_that_fits_the_seats_elects_all_tied():
    out = r.election_round({1: 60, 2: 60, 3: 30}, seats=2, threshold=51)
    assert sorted(out.elected) == [1, 2] and not out.runoff


def test_exactly_half_is_not_elected():
    out = r.election_round({1: 50, 2: 49}, seats=1, threshold=r.pass_threshold(100, MORE_THAN_HALF))
    assert out.elected == [] and out.next_round == [1, 2]


@pytest.mark.parametrize("candidates,seats,allow_equal,ok", [(3, 2, False, True), (2, 2, False, False), (2, 2, True, True), (1, 2, True, False)])
def test_contested(candidates, seats, allow_equal, ok):
    assert r.election_is_contested_enough(candidates, seats, allow_equal) is ok


@pytest.mark.parametrize("approved,ok", [([1, 2], True), ([1], True), ([], True), ([1, 2, 3], False), ([1, 1], False), ([9], False)])
def test_ballot_validity(approved, ok):
    assert r.ballot_is_valid(approved, [1, 2, 3], seats=2) is ok


def test_tallies():
    assert r.tally_approvals([[1, 2], [2], []], [1, 2, 3]) == {1: 1, 2: 2, 3: 0}
    ratings = r.tally_ratings([{"7": "excellent"}, {"7": "incompetent"}], [7])
    assert ratings[7]["excellent"] == 1 and ratings[7]["incompetent"] == 1


# --- Company law ----------------------------------------------------------------------------

def _gov(**kw):
    base = dict(company_form="llc", workers=300, has_supervisory_board=False,
                audit_committee_replaces_board=False, supervisory_board_size=0,
                worker_directors=0, worker_supervisors=0)
    base.update(kw)
    return {c.code: c for c in r.governance_checks(r.Governance(**base), 300, ONE_THIRD)}


def test_worker_director_required_from_300_workers():
    assert not _gov()["governance.worker_director"].ok
    assert "governance.worker_director" not in _gov(workers=299)
    assert "governance.worker_director" not in _gov(has_supervisory_board=True, supervisory_board_size=3, worker_supervisors=1)
    assert not _gov(company_form="wholly_state_owned", workers=50)["governance.worker_director"].ok
    assert _gov(worker_directors=1)["governance.worker_director"].ok


@pytest.mark.parametrize("size,supervisors,ok", [(3, 1, True), (5, 1, False), (5, 2, True), (6, 2, True), (7, 2, False)])
def test_worker_supervisors_a_third(size, supervisors, ok):
    checks = _gov(workers=100, has_supervisory_board=True, supervisory_board_size=size, worker_supervisors=supervisors)
    assert checks["governance.worker_supervisors"].ok is ok


def test_audit_committee_replaces_supervisors():
    assert "governance.worker_supervisors" not in _gov(
        workers=100, has_supervisory_board=True, audit_committee_replaces_board=True, supervisory_board_size=5)


def test_receipt_code_is_short_and_stable():
    code = r.receipt_code("ab" * 32)
    assert len(code) == 10 and code == r.receipt_code("ab" * 32)
    assert code != r.receipt_code("ac" + "ab" * 31)
