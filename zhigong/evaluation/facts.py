"""The facts of one enterprise's year, read object by object through the models and rules of
the apps that own them (democracy, participation, disclosure, tracking) and the scores of the
three parties. batch.py reads the same facts for a whole federation column by column; a test
proves both give the same numbers.

Facts are a flat dict of counts (the keys of rules.AUTO_FACTS and the survey's), the scores
by indicator code, and the rule rows used: what an evaluation stores to show how each score
came about."""

import importlib
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone

from zhigong.core import rulebook
from zhigong.core.models import Organization
from zhigong.democracy import rules as congress_rules
from zhigong.democracy.models import Congress, Delegate, Session, Term
from zhigong.democracy.rulebook import load as load_congress_rules
from zhigong.evaluation import rules
from zhigong.evaluation.models import IndicatorSet, PartyScore, Survey
from zhigong.participation import rules as voice_rules
from zhigong.participation.models import BoxMessage, Proposal

# Counts another app computes for many enterprises at once: (module, function, done key, due key).
# Each function is (enterprise_ids, year, today) -> {id: (due, done)}.
PROVIDERS = {
    "disclosure": ("zhigong.disclosure.batch", "on_time_rates", "disclosures_on_time", "disclosures_due"),
    "tracking": ("zhigong.tracking.batch", "carried_out_rates", "resolutions_done", "resolutions_due"),
}


def reference_day(year: int, today: date) -> date:
    """The day the year is judged on: its last day once it is over, else today."""
    return min(today, date(year, 12, 31))


def provider(name: str):
    """The other app's batch function, or None while that app does not provide it yet."""
    module, function, _done, _due = PROVIDERS[name]
    try:
        return getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return None


def provided(name: str, enterprise_ids: list[int], year: int, today: date) -> dict[int, tuple[int, int]] | None:
    found = provider(name)
    return None if found is None else found(enterprise_ids, year, today)


def meetings_required(region_code: str, day: date) -> rulebook.RuleValue:
    return rulebook.lookup("congress.meetings_per_year", region_code, day)


def congress_facts(enterprise: Organization, year: int, today: date) -> dict:
    """Meetings held, sessions that reached their quorum, and the composition checks of the term
    in force on the reference day."""
    day = reference_day(year, today)
    required = meetings_required(enterprise.region_id, day)
    facts = {"meetings_required": int(required.value), "meetings_held": 0, "sessions_due": 0,
             "sessions_with_quorum": 0, "composition_passed": 0, "composition_checks": 0}
    congress = Congress.objects.filter(enterprise=enterprise).first()
    if congress is not None:
        for session in Session.objects.filter(term__congress=congress, starts_at__year=year):
            opened = session.opened_at is not None
            facts["meetings_held"] += opened
            facts["sessions_with_quorum"] += opened
            # A convened session whose day has passed without opening failed its quorum.
            facts["sessions_due"] += opened or (session.status == Session.Status.CONVENED
                                                and timezone.localdate(session.starts_at) < today)
        term = (Term.objects.filter(congress=congress, start_date__lte=day, end_date__gte=day)
                .order_by("-number").first())
        if term is not None and congress.form == Congress.Form.CONGRESS:
            checks = composition(term, day)
            facts["composition_passed"] = sum(c.ok for c in checks)
            facts["composition_checks"] = len(checks)
    facts["meetings_counted"] = rules.meetings_counted(facts["meetings_held"], facts["meetings_required"])
    return {**facts, "rules": [required.cite()]}


def composition(term: Term, day: date) -> list[congress_rules.Check]:
    delegates = term.delegates.filter(status=Delegate.Status.ACTIVE)
    counts = congress_rules.Delegation(
        delegates=delegates.count(), managers=delegates.filter(manager=True).count(),
        frontline=delegates.filter(frontline=True).count(), women=delegates.filter(woman=True).count(),
        workers=term.workers, women_workers=term.women_workers)
    limits = load_congress_rules(term.congress.region_id, day).limits
    return congress_rules.composition_checks(counts, limits)


def voice_facts(enterprise: Organization, year: int, today: date) -> dict:
    """Proposals due in the year answered on time and rated satisfied; suggestion-box messages
    due in the year answered on time (participation.rules)."""
    proposals = Proposal.objects.filter(congress__enterprise=enterprise, due_on__year=year)
    on_time, due = voice_rules.on_time_rate(list(proposals.values_list("due_on", "answered_on")), today)
    ratings = list(proposals.exclude(rating="").values_list("rating", flat=True))
    satisfied, rated = voice_rules.satisfaction_rate(ratings)
    messages = BoxMessage.objects.filter(box__enterprise=enterprise, due_on__year=year)
    pairs = [(d, a if s == BoxMessage.State.ANSWERED else None) for d, a, s in
             messages.values_list("due_on", "answered_on", "state")]
    box_on_time, box_due = voice_rules.on_time_rate(pairs, today)
    return {"proposals_answered_on_time": on_time, "proposals_due": due, "proposals_satisfied": satisfied,
            "proposals_rated": rated, "box_answered_on_time": box_on_time, "box_due": box_due}


def provided_facts(enterprise_ids: list[int], year: int, today: date) -> dict[int, dict]:
    """Disclosure on-time and resolutions carried out, from their apps' batch functions;
    nothing to judge (0 due) while an app does not provide them."""
    out: dict[int, dict] = {pk: {"sources": {}} for pk in enterprise_ids}
    for name, (_module, _function, done_key, due_key) in PROVIDERS.items():
        rates = provided(name, enterprise_ids, year, today)
        for pk in enterprise_ids:
            due, done = (rates or {}).get(pk, (0, 0))
            out[pk][done_key], out[pk][due_key] = int(done), int(due)
            out[pk]["sources"][name] = rates is not None
    return out


def party_facts(enterprise: Organization, year: int, indicator_set: IndicatorSet) -> dict:
    scores = dict(PartyScore.objects.filter(enterprise=enterprise, year=year).values_list("code", "value_tenths"))
    survey = Survey.objects.filter(enterprise=enterprise, year=year).first()
    facts = survey_defaults(indicator_set)
    if survey is not None:
        totals = survey.answers.aggregate(points=Sum("points"))
        facts.update(survey_questions=len(survey.questions), survey_scale=survey.scale,
                     survey_minimum=survey.minimum, survey_answers=survey.answers.count(),
                     survey_points=totals["points"] or 0)
    return {"scores": scores, **facts}


def survey_defaults(indicator_set: IndicatorSet) -> dict:
    return {"survey_answers": 0, "survey_points": 0, "survey_questions": len(indicator_set.survey_questions),
            "survey_scale": indicator_set.survey_scale, "survey_minimum": indicator_set.survey_minimum}


def enterprise_facts(enterprise: Organization, year: int, today: date, indicator_set: IndicatorSet) -> dict:
    facts = {**congress_facts(enterprise, year, today), **voice_facts(enterprise, year, today),
             **provided_facts([enterprise.pk], year, today)[enterprise.pk],
             **party_facts(enterprise, year, indicator_set)}
    return facts


def indicator_set_for(region_code: str, year: int) -> IndicatorSet | None:
    """The most specific region's set, latest year on or before `year` (like rule rows)."""
    prefixes = ["", region_code[:2] + "0000", region_code[:4] + "00", region_code]
    found = IndicatorSet.objects.filter(Q(region_code__in=prefixes), year__lte=year)
    best = sorted(found, key=lambda s: (prefixes.index(s.region_code) if s.region_code in prefixes else -1, s.year))
    return best[-1] if best else None
