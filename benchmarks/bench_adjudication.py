"""Claim adjudication: 100,000 claims (5,000 with --quick) adjudicated in one batch
(batch_claims.adjudicate_claims: facts read by columns, rules_claims.adjudicate, one executemany
per chunk, one trail event) against the single-claim action (actions_claims.adjudicate_claim:
policy check, the claim's facts, the same rules, a save and a trail event, one claim per
transaction) timed on a sample and extrapolated. The sample's amounts and explanations must be
identical on both paths. Goal: the batch ≥ 20× faster per claim.

The claims are spread over the five seeded example plans (hospital stays of 1–60 days, critical
illnesses in and after the waiting period, family members, women's classes), with earlier
approved claims on one coverage in ten so the yearly caps bite.

Runs on the default database, which the bench runner makes a throwaway one. Standalone:
`python -m benchmarks.bench_adjudication [--quick]` with DATABASE_URL pointing at a database
that may be written to.
"""

import os
import random
import sys
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
django.setup()

from django.db import connection  # noqa: E402

from benchmarks.report import Table  # noqa: E402
from zhigong.core import actions as core  # noqa: E402
from zhigong.core.identifiers import credit_code  # noqa: E402
from zhigong.core.models import Employment, Membership, Organization, Person, Role, User  # noqa: E402
from zhigong.mutualaid import actions_claims, batch_claims  # noqa: E402
from zhigong.mutualaid.actions_pools import create_pools  # noqa: E402
from zhigong.mutualaid.models import Claim, Coverage, Enrolment, Plan  # noqa: E402

SCALES = {"full": 100_000, "quick": 5_000}
SAMPLES = {"full": 1_000, "quick": 250}
CLAIMS_PER_PERSON = 2
REGION = "320102"
START, END = date(2026, 1, 1), date(2026, 12, 31)
DISEASES = ["malignant_tumour", "myocardial_infarction", "stroke_sequelae", "end_stage_renal", "liver_failure"]


def run(scale: str) -> list[Table]:
    n = SCALES[scale]
    officer, ids = world(n)
    sample = random.Random(7).sample(ids, SAMPLES[scale])
    single_time, single = time_single(officer, sample)
    batch_time, result = timed(lambda: batch_claims.adjudicate_claims(officer, ids))
    after = outcomes(sample)
    identical = after == single
    assert identical, "batch and single-claim results differ"
    per_single = single_time / len(sample)
    per_batch = batch_time / n
    ratio = per_single / per_batch
    table = Table(
        f"Claim adjudication: {n:,} claims, batch vs the single-claim action ({connection.vendor})",
        ["path", "claims timed", "seconds", "claims/s", "seconds for all (extrapolated)", "× single"],
        [["batch_claims.adjudicate_claims", n, batch_time, n / batch_time, batch_time, ratio],
         ["actions_claims.adjudicate_claim, one at a time", len(sample), single_time, len(sample) / single_time,
          per_single * n, 1.0]],
        [f"identical amounts and explanations on the {len(sample):,} sampled claims: {identical}",
         f"payable {result.payable:,} of {n:,}; total {result.total_fen / 100:,.2f} 元; digest {result.digest[:16]}…",
         f"goal: batch ≥ 20× faster per claim — {'met' if ratio >= 20 else 'NOT met'} ({ratio:.1f}×)"])
    return [table]


def timed(work):
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def outcomes(ids) -> dict[int, tuple]:
    return {pk: (fen, steps) for pk, fen, steps in
            Claim.objects.filter(pk__in=ids).values_list("pk", "computed_fen", "explanation")}


def time_single(officer: User, sample: list[int]) -> tuple[float, dict]:
    started = time.perf_counter()
    for pk in sample:
        actions_claims.adjudicate_claim(officer, Claim.objects.select_related("enterprise").get(pk=pk))
    elapsed = time.perf_counter() - started
    single = outcomes(sample)
    Claim.objects.filter(pk__in=sample).update(computed_fen=None, explanation=[])
    return elapsed, single


# --- Data ------------------------------------------------------------------------------------------

def world(n: int) -> tuple[User, list[int]]:
    admin = User.objects.filter(username="bench-admin").first() or core.create_platform_admin("bench-admin", "x" * 16)
    kind = Organization.Kind
    province = core.create_organization(admin, kind.FEDERATION, None, name="基准省总工会", region_code="320000")
    city = core.create_organization(admin, kind.FEDERATION, province, name="基准市总工会", region_code="320100")
    county = core.create_organization(admin, kind.FEDERATION, city, name="基准区总工会", region_code=REGION)
    enterprise = core.create_organization(admin, kind.ENTERPRISE, county, name="基准机械有限公司",
                                          credit_code=credit_code(REGION, 91_000 + county.pk))
    union = core.create_organization(admin, kind.ENTERPRISE_UNION, enterprise, name="基准机械有限公司工会")
    plans = {p.code: p for p in Plan.objects.all()}
    pool = create_pools(admin, county, list(plans.values()))[2]
    officer = core.create_account(admin, f"bench-reviewer-{county.pk}", "x" * 16)
    core.grant_role(admin, officer, Role.FUND_REVIEWER, county)
    enrolments = {code: Enrolment.objects.create(enterprise=enterprise, union=union, version=plan.versions.get(),
                                                 pool=pool, starts_on=START, ends_on=END, region_code=REGION)
                  for code, plan in plans.items()}
    people = make_people(n // CLAIMS_PER_PERSON, enterprise, union)
    ids = make_claims(n, admin, people, enrolments, enterprise, pool)
    return User.objects.get(pk=officer.pk), ids


def make_people(count: int, enterprise: Organization, union: Organization) -> list[Person]:
    base = Person.objects.count()
    people = Person.objects.bulk_create([
        Person(name=f"职工{i}", id_number_encrypted=b"-", id_number_index=f"bench-{base + i}", id_masked="3201**",
               id_last4=f"{i % 10000:04d}", birth_date=date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
               sex="F" if i % 3 == 0 else "M", region_id=REGION, scope_path=enterprise.path)
        for i in range(count)], batch_size=5000)
    Membership.objects.bulk_create([Membership(person=p, union=union, joined_on=date(2015, 1, 1), region_id=REGION)
                                    for p in people], batch_size=5000)
    Employment.objects.bulk_create([Employment(person=p, enterprise=enterprise, start_date=date(2014, 1, 1),
                                               form="labour_contract", monthly_wage_fen=600000, region_id=REGION)
                                    for p in people], batch_size=5000)
    return people


def make_claims(n, admin, people, enrolments, enterprise, pool) -> list[int]:
    rng = random.Random(2026)
    coverages = {}
    rows = []
    for i in range(n):
        person = people[i // CLAIMS_PER_PERSON]
        code, event = pick(rng, person)
        key = (person.pk, code)
        if key not in coverages:
            enrolment = enrolments[code]
            renewed = rng.random() < 0.3
            coverages[key] = Coverage(enrolment=enrolment, person=person, enterprise=enterprise,
                                      version=enrolment.version, starts_on=START, ends_on=END,
                                      waiting_ends_on=START + timedelta(days=0 if renewed else 90),
                                      region_code=REGION)
        rows.append((key, event, rng.random() < 0.1))
    Coverage.objects.bulk_create(coverages.values(), batch_size=5000)
    claims = [Claim(number=f"BENCH{i:08d}", person_id=key[0], coverage=coverages[key],
                    version_id=coverages[key].version_id, enterprise=enterprise, pool=pool, submitted_by=admin,
                    channel="union", bank_name="工商银行", account_holder="职工", account_cipher=b"-",
                    account_index="-", account_masked="6222 **** **** 0000", region_code=REGION,
                    state="approved" if earlier else "submitted", approved_fen=60000 if earlier else None,
                    components={"allowance": 60000} if earlier else {}, **event)
              for i, (key, event, earlier) in enumerate(rows)]
    Claim.objects.bulk_create(claims, batch_size=5000)
    # The approved ones stand for earlier payments; every claim is still adjudicated (a batch
    # run recomputes previews only, and counts the other approved claims of the coverage).
    return list(Claim.objects.filter(number__startswith="BENCH").values_list("pk", flat=True))


def pick(rng: random.Random, person: Person) -> tuple[str, dict]:
    day = START + timedelta(days=rng.randrange(0, 320))
    roll = rng.random()
    if roll < 0.5:
        days = rng.randrange(1, 61)
        grade = rng.choice("123")
        lines = [{"invoice_no": f"FP{rng.randrange(10**9)}", "total_fen": rng.randrange(10**5, 10**7),
                  "self_paid_fen": 0} for _ in range(rng.randrange(1, 4))]
        return "zgbx-zhuyuan", _stay(day, days, grade, lines)
    if roll < 0.65:
        return "zgbx-zhuyuan", _illness(day, rng.choice(DISEASES))
    if roll < 0.8:
        return "cq-zhongji", _illness(day, rng.choice(DISEASES), family=rng.random() < 0.3)
    if roll < 0.9 or person.sex != "F":
        return "sh-huiyuan", _stay(day, rng.randrange(1, 45), rng.choice("123"), [])
    return "np-nvzhigong", _illness(day, rng.choice(["1", "2", "3", "4", "breast_cancer"]))


def _stay(day, days, grade, lines) -> dict:
    return {"event_on": day, "admitted_on": day, "discharged_on": day + timedelta(days=days),
            "hospital_grade": grade, "cost_lines": lines}


def _illness(day, disease, family=False) -> dict:
    return {"event_on": day, "disease_key": disease, "family_member": family}


if __name__ == "__main__":
    for t in run("quick" if "--quick" in sys.argv else "full"):
        print(t.render())
