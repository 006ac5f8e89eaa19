"""Reads of 厂务公开, always scoped by the policy: who reads which publication (by audience),
the catalogue as it stands, the calendar and compliance of one enterprise."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Department, Employment, Organization
from zhigong.democracy.models import AgendaItem, Delegate
from zhigong.disclosure import rules
from zhigong.disclosure.models import Acknowledgement, Matter, Publication, Question
from zhigong.disclosure.rulebook import load as load_rules


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


# --- Who reads what -----------------------------------------------------------------------------

def capacities(user, enterprise: Organization) -> set[str]:
    """In which capacities the user reads the enterprise's disclosures: "full" (runs or oversees
    it), "worker" (works there, or holds any grant over it), "delegate" (a serving delegate of
    its congress), "manager" (a member of one of its departments, or a delegate counted among
    the managers)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    found = set()
    if policy.may_organization(user, "read_all_disclosures", enterprise):
        found |= {"full", "worker"}
    elif policy.may_organization(user, "view", enterprise):
        found.add("worker")
    person_id = getattr(user, "person_id", None)
    if person_id:
        if Employment.objects.filter(person_id=person_id, enterprise=enterprise, end_date__isnull=True).exists():
            found.add("worker")
        today = timezone.localdate()
        for manager in Delegate.objects.filter(person_id=person_id, status=Delegate.Status.ACTIVE,
                                               term__congress__enterprise=enterprise,
                                               term__end_date__gte=today).values_list("manager", flat=True):
            found |= {"delegate", "worker"} | ({"manager"} if manager else set())
    if Department.objects.filter(enterprise=enterprise, members=user).exists():
        found |= {"manager", "worker"}
    return found


def audiences_for(user, enterprise: Organization) -> set[str]:
    return rules.audiences(capacities(user, enterprise))


def _enterprise(user, enterprise_id) -> Organization:
    org = policy.access_organization(user, enterprise_id)
    if org.kind != Organization.Kind.ENTERPRISE:
        raise NotFound("enterprise")
    return org


def access_enterprise(user, enterprise_id, action: str = "view") -> Organization:
    """An enterprise whose disclosures the user may see (404 otherwise); with action "change",
    one they may publish for (403 when they may only see it)."""
    return policy.access_organization(user, _enterprise(user, enterprise_id).pk, action)


def access_publication(user, pk) -> Publication:
    """A publication the user may read: for an audience they belong to in its enterprise (the
    capacities come from the policy's grants, employment, delegacy and department membership).
    Otherwise 404, so that a worker does not learn what the managers were told."""
    found = Publication.objects.select_related("enterprise", "matter", "previous", "session").filter(
        pk=_as_int(pk)).first()
    if found is None or found.audience not in audiences_for(user, found.enterprise):
        raise NotFound("publication")
    return found


def access_reader_enterprise(user, enterprise_id) -> Organization:
    """An enterprise whose disclosures the user reads in some capacity (a department's office
    account holds no grant, yet reads as a manager); 404 otherwise."""
    org = Organization.objects.filter(pk=_as_int(enterprise_id), kind=Organization.Kind.ENTERPRISE).first()
    if org is None or not capacities(user, org):
        raise NotFound("enterprise")
    return org


def publications(user, enterprise: Organization, matter_id: int | None = None) -> QuerySet:
    """The enterprise's publications the user may read, newest first, with acknowledgement
    counts and whether a later version corrects each."""
    qs = Publication.objects.filter(enterprise=enterprise, audience__in=audiences_for(user, enterprise))
    if matter_id:
        qs = qs.filter(matter_id=matter_id)
    return (qs.select_related("matter").annotate(
        acknowledged=Count("acknowledgements", distinct=True),
        corrected=Exists(Publication.objects.filter(previous=OuterRef("pk"))))
        .order_by("-published_at", "-id"))


def reader_enterprises(user) -> list[Organization]:
    """The enterprises where the user reads as a worker, a delegate or a department member."""
    person_id = getattr(user, "person_id", None) or -1
    q = (Q(pk__in=Employment.objects.filter(person_id=person_id, end_date__isnull=True).values("enterprise"))
         | Q(pk__in=Delegate.objects.filter(person_id=person_id, status=Delegate.Status.ACTIVE)
             .values("term__congress__enterprise"))
         | Q(pk__in=Department.objects.filter(members=getattr(user, "pk", None) or -1).values("enterprise")))
    return list(Organization.objects.filter(q, kind=Organization.Kind.ENTERPRISE).order_by("name"))


def feed(user) -> list[Publication]:
    """What the user may read in their own enterprises, newest first, with "acknowledged by me"."""
    rows: list[Publication] = []
    for enterprise in reader_enterprises(user):
        rows += list(publications(user, enterprise).annotate(
            mine=Exists(Acknowledgement.objects.filter(publication=OuterRef("pk"), user=user)))[:50])
    return sorted(rows, key=lambda p: p.published_at, reverse=True)


def managed_enterprises(user, limit: int = 50) -> list[Organization]:
    rows = policy.visible_organizations(user).filter(kind=Organization.Kind.ENTERPRISE).order_by("name")
    return [org for org in rows[: limit * 4] if policy.may_organization(user, "change", org)][:limit]


def questions(user, publication: Publication, may_answer: bool) -> QuerySet:
    """Everyone's questions for those who answer them; one's own for a reader."""
    qs = publication.questions.select_related("asker")
    return qs if may_answer else qs.filter(asker=user)


def question_queue(user) -> QuerySet:
    """Unanswered questions the user answers: their departments' matters, and every matter of
    the enterprises they run."""
    mine = Q(publication__matter__department__members=user)
    ran = [e.pk for e in managed_enterprises(user, limit=200)]
    return (Question.objects.filter(answered_at__isnull=True).filter(mine | Q(publication__enterprise_id__in=ran))
            .select_related("publication", "asker").distinct().order_by("asked_at"))


def access_question(user, pk) -> Question:
    question = Question.objects.select_related("publication__matter__department", "publication__enterprise").filter(
        pk=_as_int(pk)).first()
    if question is None:
        raise NotFound("question")
    from zhigong.disclosure.actions import may_answer

    if question.asker_id != getattr(user, "pk", None) and not may_answer(user, question):
        raise NotFound("question")
    return question


# --- The catalogue as it stands -----------------------------------------------------------------

def catalogue(enterprise: Organization, day: date | None = None) -> list[Matter]:
    """The enterprise's matters; before it adopted any, the defaults of its region as unsaved
    rows (pk None), which is what adopt_defaults would write."""
    rows = list(Matter.objects.filter(enterprise=enterprise).select_related("department").order_by("id"))
    if rows:
        return rows
    r = load_rules(enterprise.region_id, day or timezone.localdate())
    return [Matter(enterprise=enterprise, code=m["code"], name=m["name"], category=m["category"],
                   frequency=m["frequency"], audience=m["audience"], mandatory=bool(m["mandatory"]), default=True,
                   congress_matter=m.get("congress_matter", "")) for m in r.default_matters]


def matter_for_agenda(matters: list[Matter], agenda_matter: str) -> Matter | None:
    """The catalogue matter an approve item of this agenda matter must be disclosed under: the
    one mapped to it, else the catalogue's matter for "other" approve items."""
    mapped = {m.congress_matter: m for m in matters if m.congress_matter}
    return mapped.get(agenda_matter) or mapped.get(AgendaItem.Matter.OTHER)


# --- Calendar and compliance of one enterprise ------------------------------------------------

@dataclass
class Due:
    obligation: rules.Obligation
    matter: Matter
    status: str
    publication_id: int | None


def _votes(enterprise: Organization, matters: list[Matter], year: int) -> list[tuple[str, date]]:
    items = AgendaItem.objects.filter(session__term__congress__enterprise=enterprise, kind=AgendaItem.Kind.APPROVE,
                                      session__starts_at__year__in=[year - 1, year, year + 1])
    out = []
    for matter, starts_at in items.values_list("matter", "session__starts_at"):
        target = matter_for_agenda(matters, matter)
        if target is not None:
            out.append((target.code, timezone.localdate(starts_at)))
    return out


def obligations(enterprise: Organization, year: int, today: date | None = None
                ) -> tuple[list[rules.Obligation], list[Matter], dict]:
    """The enterprise's obligations of the year by rules.obligations, the matters, and the first
    versions' ids by (code, period) for links."""
    today = today or timezone.localdate()
    matters = catalogue(enterprise, today)
    r = load_rules(enterprise.region_id, today)
    firsts = list(Publication.objects.filter(enterprise=enterprise, previous__isnull=True)
                  .values_list("id", "matter__code", "kind", "period", "published_on"))
    published = {(code, period): day for _pk, code, kind, period, day in firsts if kind != Publication.Kind.EVENT}
    events = [(code, date.fromisoformat(period[len("event-"):]), day)
              for _pk, code, kind, period, day in firsts if kind == Publication.Kind.EVENT]
    ids = {(code, period): pk for pk, code, _kind, period, _day in firsts}
    facts = [rules.MatterFacts(m.code, m.frequency, m.mandatory) for m in matters]
    found = rules.obligations(facts, year, r.grace, published, _votes(enterprise, matters, year), r.lead_days, events)
    return found, matters, ids


def calendar(enterprise: Organization, year: int, today: date | None = None) -> list[Due]:
    """What is due when: every obligation of the year, soonest due first, with its state."""
    today = today or timezone.localdate()
    found, matters, ids = obligations(enterprise, year, today)
    by_code = {m.code: m for m in matters}
    rows = [Due(o, by_code[o.matter], rules.status(o.period, o.published_on, today),
                ids.get((o.matter, o.period.label))) for o in found]
    return sorted(rows, key=lambda d: (d.obligation.period.due, d.matter.pk or 0, d.matter.code))


def compliance(enterprise: Organization, year: int, today: date | None = None) -> dict:
    """Counts and rate over the mandatory obligations (rules.compliance), the rate per quarter,
    the months for the heat map and the mandatory obligations that are missing or late."""
    today = today or timezone.localdate()
    rows = calendar(enterprise, year, today)
    found = [d.obligation for d in rows]
    result = rules.compliance(found, today)
    return {**result, "by_quarter": rules.on_time_by_quarter([o for o in found if o.mandatory], today),
            "by_month": rules.by_month(found, today),
            "missing_items": [d for d in rows if d.matter.mandatory and d.status == rules.MISSING],
            "late_items": [d for d in rows if d.matter.mandatory and d.status == rules.LATE],
            "soon_items": [d for d in rows
                           if d.status == rules.NOT_DUE and (d.obligation.period.due - today).days <= 30],
            "green": result["missing"] == 0}


# --- Federations ------------------------------------------------------------------------------

def access_federation(user, pk) -> Organization:
    org = policy.access_organization(user, pk)
    if org.kind != Organization.Kind.FEDERATION:
        raise NotFound("federation")
    return org


def ranking(user, federation: Organization, year: int, today: date | None = None) -> list[dict]:
    """The federation's enterprises (those the user sees) by on-time rate, best first; those
    with nothing due yet last. Computed by batch.on_time_rates over all of them at once."""
    from zhigong.disclosure import batch

    today = today or timezone.localdate()
    names = dict(policy.visible_organizations(user).filter(
        kind=Organization.Kind.ENTERPRISE, path__startswith=federation.path).values_list("pk", "name"))
    rates = batch.on_time_rates(list(names), year, today)
    rows = [{"enterprise_id": pk, "name": names[pk], "due": due, "on_time": on_time,
             "rate": round(on_time / due, 4) if due else None} for pk, (due, on_time) in rates.items()]
    return sorted(rows, key=lambda r: (r["rate"] is None, -(r["rate"] or 0), r["name"], r["enterprise_id"]))


def heat(rows: list[dict], year: int, today: date | None = None) -> list[list[int | None]]:
    """Per enterprise of `rows`, per month: the on-time rate in % of what fell due (None: nothing)."""
    from zhigong.disclosure import batch

    cells = batch.months([r["enterprise_id"] for r in rows], year, today or timezone.localdate())
    return [[round(100 * on_time / due) if due else None for due, on_time in cells[r["enterprise_id"]]]
            for r in rows]
