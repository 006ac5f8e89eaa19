"""Looking up rule rows (see rules.pick_rule) and seeding national defaults."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from zhigong.core import rules
from zhigong.core.errors import DomainError
from zhigong.core.models import RuleRow


@dataclass(frozen=True)
class RuleValue:
    """A value together with the row it came from, so results can say which rows they used."""

    key: str
    value: object
    row_id: int
    region_code: str
    effective_from: date

    def cite(self) -> dict:
        return {"key": self.key, "row": self.row_id, "region": self.region_code or "national",
                "from": self.effective_from.isoformat(), "value": self.value}


def lookup(key: str, region_code: str, day: date) -> RuleValue:
    prefixes = {"", region_code[:2] + "0000", region_code[:4] + "00", region_code} if region_code else {""}
    rows = [
        rules.RuleRowData(r.id, r.key, r.region_code, r.effective_from, r.value)
        for r in RuleRow.objects.filter(key=key, region_code__in=prefixes, effective_from__lte=day)
    ]
    row = rules.pick_rule(rows, region_code, day)
    if row is None:
        raise DomainError("rule.missing", _("缺少规则参数：%(key)s。请平台管理员补充。") % {"key": key}, key=key)
    return RuleValue(key, row.value, row.id, row.region_code, row.effective_from)


def lookup_many(keys: list[str], region_code: str, day: date) -> dict[str, RuleValue]:
    return {key: lookup(key, region_code, day) for key in keys}


def seed(apps, defaults: list[tuple[str, object, str, bool]], since: date = date(2000, 1, 1)) -> None:
    """For data migrations: national default rows (key, value, source, verified)."""
    Row = apps.get_model("core", "RuleRow")
    for key, value, source, verified in defaults:
        Row.objects.get_or_create(
            key=key, region_code="", effective_from=since,
            defaults={"value": value, "source": source, "verified": verified},
        )
