"""The disclosure rule rows for a region on a day (migration 0002 seeds the national ones)."""

from dataclasses import dataclass
from datetime import date

from zhigong.core import rulebook

KEYS = ["disclosure.default_matters", "disclosure.grace_days", "disclosure.vote_lead_days", "disclosure.remind_days"]


@dataclass(frozen=True)
class DisclosureRules:
    default_matters: list[dict]
    default_row: int
    grace: dict[str, int]
    lead_days: int
    remind_days: list[int]
    used: list[dict]


def load(region_code: str, day: date) -> DisclosureRules:
    v = rulebook.lookup_many(KEYS, region_code, day)
    return DisclosureRules(
        default_matters=list(v["disclosure.default_matters"].value),
        default_row=v["disclosure.default_matters"].row_id,
        grace={k: int(n) for k, n in v["disclosure.grace_days"].value.items()},
        lead_days=int(v["disclosure.vote_lead_days"].value),
        remind_days=[int(n) for n in v["disclosure.remind_days"].value],
        used=[value.cite() for value in v.values()],
    )
