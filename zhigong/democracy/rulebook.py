"""The congress's rule rows for an enterprise's region on a day."""

from dataclasses import dataclass
from datetime import date

from zhigong.core import rulebook
from zhigong.democracy import rules


@dataclass(frozen=True)
class CongressRules:
    quorum: rules.Share
    majority: rules.Share
    interim_share: rules.Share
    recall_majority: rules.Share
    limits: rules.CompositionLimits
    form_threshold: int
    term_years: dict
    allow_equal: bool
    important_matters: list
    director_from_workers: int
    supervisor_share: rules.Share
    used: list[dict]


KEYS = [
    "congress.quorum", "congress.majority", "congress.interim_share", "congress.recall_majority",
    "congress.min_delegates", "congress.max_managers", "congress.min_frontline",
    "congress.form_threshold", "congress.term_years", "congress.election_allow_equal",
    "congress.important_matters", "governance.director_from_workers", "governance.supervisor_share",
]


def load(region_code: str, day: date) -> CongressRules:
    v = rulebook.lookup_many(KEYS, region_code, day)
    minimum = v["congress.min_delegates"].value
    return CongressRules(
        quorum=rules.Share.of(v["congress.quorum"].value),
        majority=rules.Share.of(v["congress.majority"].value),
        interim_share=rules.Share.of(v["congress.interim_share"].value),
        recall_majority=rules.Share.of(v["congress.recall_majority"].value),
        limits=rules.CompositionLimits(
            min_share_permille=int(minimum["share_permille"]), min_delegates=int(minimum["minimum"]),
            max_managers=rules.Share.of(v["congress.max_managers"].value),
            min_frontline=rules.Share.of(v["congress.min_frontline"].value),
        ),
        form_threshold=int(v["congress.form_threshold"].value),
        term_years=v["congress.term_years"].value,
        allow_equal=bool(v["congress.election_allow_equal"].value),
        important_matters=list(v["congress.important_matters"].value),
        director_from_workers=int(v["governance.director_from_workers"].value),
        supervisor_share=rules.Share.of(v["governance.supervisor_share"].value),
        used=[value.cite() for value in v.values()],
    )
