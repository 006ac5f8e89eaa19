"""The roster writer's faster row building (ciphertexts made in the read-ahead thread, cover rows
built with what is fixed per plan looked up once, digests taken while PostgreSQL works, the
people looked up with one text parameter) writes exactly what the row-by-row writer wrote: the
same people and cover, and the same rows_sha256 in the trail event, on good files and on a file
with bad rows imported clean-rows-only. The row-by-row writer is restated here as the oracle."""

import hashlib
import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhigong.core import crypto
from zhigong.core import rules as core_rules
from zhigong.core.actions import ID_PURPOSE, id_index, reveal_number
from zhigong.core.batch import digest_rows
from zhigong.core.models import Person
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.batch_roster import COVERAGE_FIELDS
from zhigong.mutualaid.models import Coverage, Enrolment, RosterUpload
from zhigong.mutualaid.tests.roster_fixtures import START, TODAY, build, person_id, row, upload, xlsx
from zhigong.trail.models import Event

PERSON_COLUMNS = ("id", "name", "id_number_index", "id_masked", "id_last4", "birth_date", "sex", "mobile",
                  "region_id", "scope_path")


@pytest.fixture
def rw(world):
    return build(world)


def _import(rw, rows, only_clean_rows=False) -> RosterUpload:
    found = actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(xlsx(rows)), START,
                                 today=TODAY)
    return actions.import_roster(rw.world.enterprise_admin, found, only_clean_rows=only_clean_rows, today=TODAY)


def _row_by_row(rw, rows: list[list], before: set[int]) -> tuple[list[tuple], list[tuple]]:
    """What the row-by-row writer wrote for these rows, in its order: one person per new ID
    number (a registered one is linked), then one cover row per clean row, each built from the
    row's own values and the rules' functions."""
    enterprise = rw.world.enterprise_a
    people, cover, made = [], [], {}
    new_people = Person.objects.exclude(pk__in=before).order_by("id")
    ids = iter(new_people.values_list("id", flat=True))
    for values in rows:
        cells = dict(zip(rules.HEADERS, values, strict=True))
        number = cells["身份证号"]
        registered = Person.objects.filter(pk__in=before, id_number_index=id_index(number)).first()
        if registered is not None:
            pk = registered.pk
        elif number in made:
            pk = made[number]
        else:
            pk = made[number] = next(ids)
            facts = core_rules.parse_id_number(number, {"320102"}, TODAY)
            people.append((pk, cells["姓名"], id_index(number), core_rules.mask_id_number(number), number[-4:],
                           facts.birth_date, facts.sex, cells["手机号"], enterprise.region_id, enterprise.path))
        enrolment = Enrolment.objects.get(enterprise=enterprise)
        cover.append((enrolment.pk, pk, enterprise.pk, enrolment.version_id, rules.parse_shares(cells["份数"]),
                      rules.parse_yuan(cells["月工资（元）"]), cells["入职日期"], False, START,
                      rules.waiting_ends(START, rw.version.waiting_days, False), date(2026, 12, 31),
                      Coverage.State.ACTIVE.value, None, None, "", enterprise.region_id, True))
    return people, cover


def _written(before: set[int]) -> tuple[list[tuple], list[tuple]]:
    people = list(Person.objects.exclude(pk__in=before).order_by("id").values_list(*PERSON_COLUMNS))
    cover = list(Coverage.objects.order_by("id").values_list(*COVERAGE_FIELDS))
    return people, cover


def _sha256(people: list[tuple], cover: list[tuple]) -> str:
    hasher = hashlib.sha256()
    digest_rows(hasher, people)  # the writer's person rows without the ciphertext
    digest_rows(hasher, cover)
    return hasher.hexdigest()


def _event(verb: str) -> dict:
    return json.loads(bytes(Event.objects.filter(verb=verb).order_by("-id").first().leaf))["data"]


def test_a_clean_file_writes_what_the_row_by_row_writer_wrote(rw):
    before = set(Person.objects.values_list("id", flat=True))
    registered = reveal_number(rw.world.worker_person)
    rows = [row(1), row(2, shares=2), row(3, 手机号=""), row(4, name="张伟", 身份证号=registered),
            row(5, 份数=3, **{"月工资（元）": "7,000.25"})]
    done = _import(rw, rows)
    assert done.state == RosterUpload.State.IMPORTED and done.imported_rows == 5
    people, cover = _written(before)
    expected_people, expected_cover = _row_by_row(rw, rows, before)
    assert people == expected_people and cover == expected_cover
    for person in Person.objects.exclude(pk__in=before):
        assert crypto.decrypt(person.id_number_encrypted, ID_PURPOSE) == reveal_number(person)
        assert id_index(reveal_number(person)) == person.id_number_index
    assert _event("roster.import")["rows_sha256"] == _sha256(expected_people, expected_cover)


def test_clean_rows_only_writes_what_the_row_by_row_writer_wrote_for_them(rw):
    before = set(Person.objects.values_list("id", flat=True))
    good = [row(1), row(3, shares=3), row(6)]
    bad = [row(2, 份数=9), row(4, 身份证号="32010219880314101"), row(5, 入职日期="2015-13-01")]
    done = _import(rw, [good[0], bad[0], good[1], bad[1], bad[2], good[2]], only_clean_rows=True)
    assert done.state == RosterUpload.State.PARTIAL and (done.imported_rows, done.error_rows) == (3, 3)
    people, cover = _written(before)
    expected_people, expected_cover = _row_by_row(rw, good, before)
    assert people == expected_people and cover == expected_cover
    assert _event("roster.import")["rows_sha256"] == _sha256(expected_people, expected_cover)


def test_a_file_with_bad_rows_still_writes_nothing(rw):
    before = (Person.objects.count(), Coverage.objects.count())
    found = actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a,
                                 upload(xlsx([row(1), row(2, 份数=9)])), START, today=TODAY)
    with pytest.raises(Exception, match="未导入任何数据"):
        actions.import_roster(rw.world.enterprise_admin, found, today=TODAY)
    assert (Person.objects.count(), Coverage.objects.count()) == before


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=40), st.binary(max_size=16))
def test_encrypt_many_is_encrypt_over_a_list(values, context):
    sealed = crypto.encrypt_many(values, context)
    assert [crypto.decrypt(blob, context) for blob in sealed] == values
    assert [len(blob) for blob in sealed] == [len(crypto.encrypt(v, context)) for v in values]
    nonces = [blob[:crypto.NONCE_BYTES] for blob in sealed]
    assert len(set(nonces)) == len(nonces)


PLANS = [rules.PlanTerms(code=f"p{n}", name=f"计划{n}", min_age=16, max_age=60, max_shares=3, women_only=False,
                         waiting_days=days, period_start=START, period_end=date(2026, 12, 31))
         for n, days in enumerate((0, 30, 90, 180))]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 300), st.booleans()), min_size=1, max_size=60))
def test_placements_of_new_people_are_the_row_by_row_ones(rows):
    """check_against_records keeps one waiting end per (start, waiting days): each new row gets
    exactly what waiting_ends gives for it alone; refused rows stay without a placement."""
    n = len(rows)
    starts = [START + timedelta(days=d) for _p, d, _ok in rows]
    checked = rules.Checked(
        numbers=list(range(2, n + 2)), ok=np.array([ok for *_r, ok in rows]), issues=[],
        names=["职工"] * n, id_numbers=[person_id(i) for i in range(n)], birth=[date(1988, 3, 14)] * n,
        male=np.zeros(n, dtype=bool), mobiles=[""] * n, employment_start=[None] * n,
        wages_fen=[None] * n, plans=[PLANS[p] for p, _d, _ok in rows], shares=[1] * n, starts_on=starts)
    placements = rules.check_against_records(checked, {}, 1, {})
    for i, (p, _d, ok) in enumerate(rows):
        if not ok:
            assert placements[i] is None
            continue
        alone = rules.Placement(None, False, None, rules.waiting_ends(starts[i], PLANS[p].waiting_days, False))
        assert placements[i] == alone
