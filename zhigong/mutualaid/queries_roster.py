"""Reads of the roster (电子基础台账): enrolments, coverages and uploads, always scoped by the
policy through the enterprise that owns them; and what an upload is checked against (the
plans an enterprise may join, the lowest pool, the records of the people in a chunk)."""

from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhigong.core import policy, rulebook
from zhigong.core.batch import path_ids
from zhigong.core.models import Membership, Organization, Person, Region
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.models import Coverage, Enrolment, Plan, PlanVersion, Pool, RosterUpload

MIN_PARTICIPATION = "mutualaid.min_participation_percent"


# --- Access -------------------------------------------------------------------------------------

def visible_enrolments(user) -> QuerySet[Enrolment]:
    return policy.scoped(user, Enrolment.objects.all(), "enterprise")


def visible_coverages(user) -> QuerySet[Coverage]:
    return policy.scoped(user, Coverage.objects.all(), "enterprise")


def visible_uploads(user) -> QuerySet[RosterUpload]:
    return policy.scoped(user, RosterUpload.objects.all(), "enterprise")


def access_enterprise(user, pk, action: str = "view") -> Organization:
    enterprise = policy.access_organization(user, pk, action)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        from zhigong.core.errors import NotFound

        raise NotFound("enterprise")
    return enterprise


def access_enrolment(user, pk, action: str = "view") -> Enrolment:
    return policy.access_scoped(user, visible_enrolments(user).select_related("version__plan", "enterprise", "pool"),
                                pk, "enterprise", action, "enrolment")


def access_coverage(user, pk, action: str = "view") -> Coverage:
    qs = visible_coverages(user).select_related("person", "enterprise", "version__plan", "enrolment")
    return policy.access_scoped(user, qs, pk, "enterprise", action, "coverage")


def access_upload(user, pk, action: str = "view") -> RosterUpload:
    return policy.access_scoped(user, visible_uploads(user).select_related("enterprise"), pk, "enterprise",
                                action, "roster_upload")


def my_coverages(user) -> QuerySet[Coverage]:
    """A worker's own cover, through their account's person."""
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    return Coverage.objects.filter(person_id=person_id or -1).select_related("enterprise", "version__plan")


# --- Lists ----------------------------------------------------------------------------------------

def roster(user, enterprise: Organization, search: str = "", plan: str = "", state: str = "",
           on: date | None = None) -> QuerySet[Coverage]:
    """The enterprise's roster: cover of its workers, newest period first; search by name, the
    last characters of the ID number, or the mobile number."""
    qs = visible_coverages(user).filter(enterprise=enterprise).select_related("person", "version__plan")
    search = (search or "").strip().upper().lstrip("*")
    if search:
        if search.isdigit() and len(search) == 11:
            qs = qs.filter(person__mobile=search)
        elif len(search) <= 4 and search and (search[:-1].isdigit() or search.isdigit()):
            qs = qs.filter(person__id_last4__endswith=search)
        elif len(search) == 18:
            from zhigong.core.actions import id_index

            qs = qs.filter(person__id_number_index=id_index(search))
        else:
            qs = qs.filter(person__name__contains=search)
    if plan:
        qs = qs.filter(version__plan__code=plan)
    if state:
        qs = qs.filter(state=state)
    if on is not None:
        qs = qs.filter(starts_on__lte=on, ends_on__gte=on)
    return qs.order_by("-starts_on", "person__name", "id")


def enrolments_of(user, enterprise: Organization) -> QuerySet[Enrolment]:
    return (visible_enrolments(user).filter(enterprise=enterprise)
            .select_related("version__plan", "pool").order_by("-starts_on", "id"))


def uploads_of(user, enterprise: Organization) -> QuerySet[RosterUpload]:
    return visible_uploads(user).filter(enterprise=enterprise).order_by("-created_at", "-id")


# --- What an upload is checked against ---------------------------------------------------------------

def union_of(enterprise: Organization) -> Organization | None:
    return enterprise.children.filter(kind=Organization.Kind.ENTERPRISE_UNION).order_by("id").first()


def lowest_pool(enterprise: Organization, plan: Plan) -> Pool | None:
    """The pool of the federation nearest above the enterprise that carries the plan (the
    county's, else the city's, else the province's)."""
    above = path_ids(enterprise.path)[:-1]
    pools = Pool.objects.filter(plans=plan, federation_id__in=above).select_related("federation")
    return max(pools, key=lambda p: len(p.federation.path), default=None)


def version_on(plan: Plan, day: date) -> PlanVersion | None:
    """The published version of a plan for cover starting on `day`."""
    return (plan.versions.filter(effective_from__lte=day, published_at__isnull=False)
            .order_by("-effective_from").first())


def current_enrolment(enterprise: Organization, plan: Plan, day: date) -> Enrolment | None:
    return (Enrolment.objects.filter(enterprise=enterprise, version__plan=plan, starts_on__lte=day, ends_on__gte=day)
            .exclude(state=Enrolment.State.ENDED).select_related("version", "pool").order_by("-starts_on").first())


def offered_plans(enterprise: Organization) -> QuerySet[Plan]:
    above = path_ids(enterprise.path)[:-1]
    return Plan.objects.filter(Q(owner__isnull=True) | Q(owner_id__in=above)).order_by("code")


def plan_terms(enterprise: Organization, starts_on: date) -> dict[str, tuple[rules.PlanTerms, dict]]:
    """For each plan the enterprise may join: its terms for cover asked from `starts_on` and
    where rows would go ({plan, version, enrolment, pool}). Keyed by plan code."""
    found = {}
    for plan in offered_plans(enterprise):
        enrolment = current_enrolment(enterprise, plan, starts_on)
        version = enrolment.version if enrolment else version_on(plan, starts_on)
        if version is None:
            continue
        pool = enrolment.pool if enrolment else lowest_pool(enterprise, plan)
        first = enrolment.starts_on if enrolment else starts_on
        last = enrolment.ends_on if enrolment else rules.period_end(starts_on, version.period_months)
        terms = rules.PlanTerms(
            code=plan.code, name=plan.name, min_age=version.min_age, max_age=version.max_age,
            max_shares=version.max_shares, women_only=version.women_only, waiting_days=version.waiting_days,
            period_start=first, period_end=last, has_pool=pool is not None,
            requires_medical_insurance=version.requires_medical_insurance,
        )
        found[plan.code] = (terms, {"plan": plan, "version": version, "enrolment": enrolment, "pool": pool})
    return found


def known_regions() -> frozenset[str]:
    return frozenset(Region.objects.values_list("code", flat=True))


def records_for(indexes: dict[str, str], plan_codes: set[str], since: date) -> dict[str, rules.Existing]:
    """What the records hold on the people of a chunk: {ID number: Existing}, for ID numbers
    given with their blind index. Cover under the plans that ends on or after `since`."""
    by_index = {index: number for number, index in indexes.items()}
    found = {pk: (by_index[index], name) for pk, index, name in _people_by_index(list(by_index))}
    held = coverage_records(list(found), plan_codes, since)
    return {number: rules.Existing(pk, name, tuple(held.get(pk, ()))) for pk, (number, name) in found.items()}


def _people_by_index(indexes: list[str]) -> list[tuple[int, str, str]]:
    if connection.vendor == "postgresql":
        # One text parameter split by the server: ten thousand placeholders cost more to build and
        # parse than the lookup, and psycopg's list adapter quotes element by element (a regular
        # expression each), 40 ms for a chunk of 10,000. Blind indexes are hex: no commas.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, id_number_index, name FROM {Person._meta.db_table} "
                           "WHERE id_number_index = ANY(string_to_array(%s, ','))", [",".join(indexes)])
            return cursor.fetchall()
    return list(Person.objects.filter(id_number_index__in=indexes).values_list("id", "id_number_index", "name"))


def coverage_records(person_ids: list[int], plan_codes: set[str], since: date) -> dict[int, list[tuple]]:
    """{person id: [(plan code, enterprise id, starts, ends, coverage id, enrolment id, renewed)]}
    for cover under the plans ending on or after `since` (rules_roster.place reads these)."""
    if not person_ids:
        return {}
    renewed = Coverage.objects.filter(renewed_from=OuterRef("pk"))
    cover = (Coverage.objects.filter(person_id__in=person_ids, version__plan__code__in=plan_codes, ends_on__gte=since)
             .annotate(renewed=Exists(renewed))
             .values_list("person_id", "version__plan__code", "enterprise_id", "starts_on", "ends_on", "id",
                          "enrolment_id", "renewed"))
    held: dict[int, list] = {}
    for person_id, *rest in cover:
        held.setdefault(person_id, []).append(tuple(rest))
    return held


# --- Participation --------------------------------------------------------------------------------

def current_members(enterprise: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(union__parent=enterprise, union__kind=Organization.Kind.ENTERPRISE_UNION,
                                     left_on__isnull=True)


def participation(enrolment: Enrolment, day: date | None = None) -> dict:
    """Covered members against the union's current members, and the rule row's minimum."""
    day = day or timezone.localdate()
    members = current_members(enrolment.enterprise)
    on = max(day, enrolment.starts_on)
    covered = enrolment.coverages.filter(person_id__in=members.values("person_id"), starts_on__lte=on,
                                         ends_on__gte=on).count()
    minimum = rulebook.lookup(MIN_PARTICIPATION, enrolment.region_code, enrolment.starts_on)
    rate, below = rules.participation(covered, members.count(), int(minimum.value))
    return {"covered": covered, "members": members.count(), "rate": rate, "minimum": int(minimum.value),
            "below": below, "rule": minimum.cite()}


def export_rows(qs: QuerySet[Coverage]):
    """Rows of the roster export, streamed from the database in chunks (ID numbers masked)."""
    states = dict(Coverage.State.choices)
    fields = ("person__name", "person__id_masked", "person__mobile", "version__plan__name", "shares", "starts_on",
              "waiting_ends_on", "ends_on", "state")
    for row in qs.values_list(*fields).iterator(chunk_size=5000):
        yield (*row[:5], *(d.isoformat() for d in row[5:8]), str(states.get(row[8], row[8])))
