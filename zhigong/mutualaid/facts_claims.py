"""What adjudication needs, read from the database as plain values and turned into the
dataclasses of rules_claims.py. One claim at a time for the actions (`load`), many at once by
columns for batch.py (`load_many`); both go through the same converters, so they cannot
disagree on what a claim's facts are."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from zhigong.core.models import Employment, Membership
from zhigong.mutualaid import rules_claims as rules
from zhigong.mutualaid.models import BenefitRule, Claim, Coverage, PlanVersion

# Claims whose approved amounts count against the caps of later claims of the same coverage.
COUNTED_STATES = ("approved", "in_batch", "paid", "payment_failed")

VERSION_FIELDS = ("id", "plan__kind", "waiting_days", "min_age", "max_age", "requires_membership",
                  "requires_medical_insurance", "employment_forms", "women_only")
RULE_FIELDS = ("version_id", "code", "key", "amount_fen", "params")
CLAIM_FIELDS = ("id", "number", "person_id", "coverage_id", "version_id", "enterprise_id", "event_on", "admitted_on",
                "discharged_on", "hospital_grade", "disease_key", "is_accident", "family_member", "cost_lines",
                "coverage__starts_on", "coverage__waiting_ends_on", "coverage__ends_on", "coverage__state",
                "coverage__renewed_from_id", "coverage__shares", "coverage__medical_insured",
                "coverage__enrolment__state",
                "person__birth_date", "person__sex")
PRIOR_FIELDS = ("coverage_id", "id", "number", "components", "fixed_key")


# --- Converters (plain values in, dataclasses out) --------------------------------------------------

def rule_value(row: dict) -> rules.BenefitRuleValue:
    return rules.BenefitRuleValue(row["code"], row["key"] or "", row["amount_fen"],
                                  tuple(sorted((k, _frozen(v)) for k, v in (row["params"] or {}).items())))


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def plan_terms(version: dict, rule_rows: Iterable[dict]) -> rules.PlanTerms:
    return rules.PlanTerms(
        kind=version["plan__kind"], waiting_days=version["waiting_days"], min_age=version["min_age"],
        max_age=version["max_age"], requires_membership=version["requires_membership"],
        requires_medical_insurance=version["requires_medical_insurance"],
        employment_forms=tuple(version["employment_forms"] or ()), women_only=version["women_only"],
        rules=tuple(rule_value(row) for row in rule_rows))


def coverage_facts(claim: dict, member: bool, employment_form: str) -> rules.CoverageFacts:
    suspended = "suspended" in (claim["coverage__state"], claim["coverage__enrolment__state"])
    return rules.CoverageFacts(
        starts_on=claim["coverage__starts_on"], waiting_ends_on=claim["coverage__waiting_ends_on"],
        ends_on=claim["coverage__ends_on"], state="suspended" if suspended else claim["coverage__state"],
        renewed=claim["coverage__renewed_from_id"] is not None, shares=claim["coverage__shares"],
        birth_date=claim["person__birth_date"], sex=claim["person__sex"], member=member,
        # 参加职工医保 as the roster recorded it on this cover (rules_roster; blank counts as 是).
        medical_insured=claim["coverage__medical_insured"], employment_form=employment_form)


def cost_lines(lines: Iterable[dict]) -> tuple[rules.CostLine, ...]:
    return tuple(rules.CostLine(str(line.get("invoice_no", "")), int(line.get("total_fen", 0)),
                                int(line.get("self_paid_fen", 0))) for line in lines or ())


def claim_event(claim: dict) -> rules.ClaimEvent:
    return rules.ClaimEvent(
        event_on=claim["event_on"], admitted_on=claim["admitted_on"], discharged_on=claim["discharged_on"],
        hospital_grade=claim["hospital_grade"] or "", disease_key=claim["disease_key"] or "",
        is_accident=claim["is_accident"], family_member=claim["family_member"],
        lines=cost_lines(claim["cost_lines"]))


def prior_payment(row: dict) -> rules.PriorPayment:
    return rules.PriorPayment(row["number"], tuple(sorted((row["components"] or {}).items())),
                              (row["fixed_key"],) if row["fixed_key"] else ())


def member_on(memberships: Sequence[dict], day: date) -> bool:
    return any(m["joined_on"] <= day and (m["left_on"] is None or m["left_on"] >= day) for m in memberships)


def employment_form_on(jobs: Sequence[dict], enterprise_id: int, day: date) -> str:
    """The form of the job at the claim's enterprise held on the day (else the latest there)."""
    there = sorted((j for j in jobs if j["enterprise_id"] == enterprise_id), key=lambda j: (j["start_date"], j["id"]))
    held = [j for j in there if j["start_date"] <= day and (j["end_date"] is None or j["end_date"] >= day)]
    chosen = held or there
    return chosen[-1]["form"] if chosen else ""


# --- Loading --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    claim_id: int
    number: str
    plan: rules.PlanTerms
    cover: rules.CoverageFacts
    event: rules.ClaimEvent
    prior: tuple[rules.PriorPayment, ...]


CHUNK = 2000


def load(claim_id: int) -> Facts:
    return load_many([claim_id])[claim_id]


def load_many(claim_ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of many claims in a handful of queries per chunk, by columns."""
    found: dict[int, Facts] = {}
    ids = list(claim_ids)
    for start in range(0, len(ids), CHUNK):
        found.update(_load_chunk(ids[start:start + CHUNK]))
    return found


def _load_chunk(ids: list[int]) -> dict[int, Facts]:
    claims = list(Claim.objects.filter(pk__in=ids).values(*CLAIM_FIELDS))
    plans = _plans({c["version_id"] for c in claims})
    people = {c["person_id"] for c in claims}
    memberships = _by("person_id", Membership.objects.filter(person_id__in=people)
                      .values("person_id", "joined_on", "left_on"))
    jobs = _by("person_id", Employment.objects.filter(person_id__in=people)
               .values("id", "person_id", "enterprise_id", "start_date", "end_date", "form"))
    chains = move_chains({c["coverage_id"] for c in claims})
    prior = _by("coverage_id", Claim.objects.filter(coverage_id__in=set().union(*chains.values()),
                                                    state__in=COUNTED_STATES).values(*PRIOR_FIELDS))
    result = {}
    for c in claims:
        day = c["event_on"]
        cover = coverage_facts(c, member_on(memberships[c["person_id"]], day),
                               employment_form_on(jobs[c["person_id"]], c["enterprise_id"], day))
        earlier = tuple(prior_payment(p) for cover_id in sorted(chains[c["coverage_id"]])
                        for p in prior[cover_id] if p["id"] != c["id"])
        result[c["id"]] = Facts(c["id"], c["number"], plans[c["version_id"]], cover, claim_event(c), earlier)
    return result


def move_chains(coverage_ids: set[int]) -> dict[int, frozenset[int]]:
    """Each coverage with those it continues or is continued by through a move to another
    enterprise (转移接续: Coverage.renewed_from with end_reason "moved"): one coverage year, one
    set of caps. A renewal into the next period starts a new year and is not joined."""
    rows: dict[int, dict] = {}
    explored: set[int] = set()
    frontier = set(coverage_ids)
    while frontier:  # a person's chain is short: a query or two
        explored |= frontier
        for r in Coverage.objects.filter(Q(pk__in=frontier) | Q(renewed_from__in=frontier)).values(
                "id", "renewed_from_id", "end_reason"):
            rows[r["id"]] = r
        linked = {r["renewed_from_id"] for r in rows.values() if r["renewed_from_id"]}
        frontier = (set(rows) | linked) - explored
    moved = [(r["renewed_from_id"], r["id"]) for r in rows.values()
             if r["renewed_from_id"] in rows and rows[r["renewed_from_id"]]["end_reason"] == "moved"]
    return {cover_id: _component(cover_id, moved) for cover_id in coverage_ids}


def _component(start: int, edges: list[tuple[int, int]]) -> frozenset[int]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for a, b in edges:
            for there in ((b,) if a == here else (a,) if b == here else ()):
                if there not in seen:
                    seen.add(there)
                    todo.append(there)
    return frozenset(seen)


def _plans(version_ids: set[int]) -> dict[int, rules.PlanTerms]:
    rows = _by("version_id", BenefitRule.objects.filter(version_id__in=version_ids).values(*RULE_FIELDS))
    return {v["id"]: plan_terms(v, rows[v["id"]])
            for v in PlanVersion.objects.filter(pk__in=version_ids).values(*VERSION_FIELDS)}


def _by(field: str, rows) -> defaultdict[int, list[dict]]:
    grouped: defaultdict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[field]].append(row)
    return grouped


def adjudicate(facts: Facts) -> rules.Adjudication:
    return rules.adjudicate(facts.plan, facts.cover, facts.event, facts.prior)
