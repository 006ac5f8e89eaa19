"""Compliance of many enterprises at once (a federation's heat map and ranking, the
evaluation's disclosure indicator, the reminders): the same rows queries.obligations reads for
one enterprise, read as columns (values_list) for all of them in chunks, and the same
rules.obligations over each. tests/test_batch.py proves both give the same figures."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from zhigong.core.models import Organization
from zhigong.democracy.models import AgendaItem
from zhigong.disclosure import rules
from zhigong.disclosure.models import Matter, Publication
from zhigong.disclosure.rulebook import DisclosureRules
from zhigong.disclosure.rulebook import load as load_rules

CHUNK = 900  # under SQLite's bound parameters per statement


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _catalogues(ids: list[int], regions: dict[int, str], settings: dict[str, DisclosureRules]
                ) -> dict[int, list[tuple[str, str, bool, str]]]:
    """(code, frequency, mandatory, congress matter) per enterprise; the region's defaults for an
    enterprise that has not adopted its catalogue yet (as queries.catalogue)."""
    found: dict[int, list] = defaultdict(list)
    rows = (Matter.objects.filter(enterprise_id__in=ids).order_by("id")
            .values_list("enterprise_id", "code", "frequency", "mandatory", "congress_matter"))
    for enterprise_id, *fields in rows:
        found[enterprise_id].append(tuple(fields))
    for enterprise_id in ids:
        if enterprise_id not in found:
            found[enterprise_id] = [(m["code"], m["frequency"], bool(m["mandatory"]), m.get("congress_matter", ""))
                                    for m in settings[regions[enterprise_id]].default_matters]
    return found


def _published(ids: list[int], year: int) -> tuple[dict, dict]:
    """First versions: {(enterprise): {(code, period): day}} and {(enterprise): [(code, event day, day)]}."""
    periods: dict[int, dict] = defaultdict(dict)
    events: dict[int, list] = defaultdict(list)
    of_year = Q(period__startswith=str(year)) | Q(period__startswith=f"vote-{year}") | Q(
        period__startswith=f"event-{year}")
    rows = (Publication.objects.filter(of_year, enterprise_id__in=ids, previous__isnull=True)
            .values_list("enterprise_id", "matter__code", "kind", "period", "published_on"))
    for enterprise_id, code, kind, period, day in rows:
        if kind == Publication.Kind.EVENT:
            events[enterprise_id].append((code, date.fromisoformat(period[len("event-"):]), day))
        else:
            periods[enterprise_id][(code, period)] = day
    return periods, events


def _votes(ids: list[int], year: int, catalogues: dict) -> dict[int, list[tuple[str, date]]]:
    found: dict[int, list] = defaultdict(list)
    rows = (AgendaItem.objects.filter(session__term__congress__enterprise_id__in=ids, kind=AgendaItem.Kind.APPROVE,
                                      session__starts_at__year__in=[year - 1, year, year + 1])
            .values_list("session__term__congress__enterprise_id", "matter", "session__starts_at"))
    for enterprise_id, matter, starts_at in rows:
        mapped = {cm: code for code, _f, _m, cm in catalogues[enterprise_id] if cm}
        code = mapped.get(matter) or mapped.get(AgendaItem.Matter.OTHER)
        if code:
            found[enterprise_id].append((code, timezone.localdate(starts_at)))
    return found


def obligations(enterprise_ids: list[int], year: int, today: date) -> dict[int, list[rules.Obligation]]:
    """Every enterprise's obligations of the year, by rules.obligations."""
    out: dict[int, list[rules.Obligation]] = {}
    settings: dict[str, DisclosureRules] = {}
    for ids in _chunks(sorted(set(enterprise_ids))):
        regions = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "region_id"))
        for region in set(regions.values()) - set(settings):
            settings[region] = load_rules(region, today)
        catalogues = _catalogues(list(regions), regions, settings)
        periods, events = _published(list(regions), year)
        votes = _votes(list(regions), year, catalogues)
        for enterprise_id, region in regions.items():
            r = settings[region]
            facts = [rules.MatterFacts(code, frequency, mandatory) for code, frequency, mandatory, _cm
                     in catalogues[enterprise_id]]
            out[enterprise_id] = rules.obligations(facts, year, r.grace, periods.get(enterprise_id, {}),
                                                   votes.get(enterprise_id, []), r.lead_days,
                                                   events.get(enterprise_id, []))
    return out


def on_time_rates(enterprise_ids: list[int], year: int, today: date) -> dict[int, tuple[int, int]]:
    """(due so far, published on time) of each enterprise's mandatory obligations of the year."""
    return {pk: rules.due_and_on_time(found, today) for pk, found in obligations(enterprise_ids, year, today).items()}


def months(enterprise_ids: list[int], year: int, today: date) -> dict[int, list[tuple[int, int]]]:
    """(due, on time) per month of the year per enterprise: the heat map's cells."""
    return {pk: rules.by_month(found, today) for pk, found in obligations(enterprise_ids, year, today).items()}
