"""The roster import done with django-import-export 4 (benchmark peer of bench_roster): the same
xlsx read by its XLSX format into a tablib Dataset, then two ModelResources in bulk mode, people
first and their cover second, with the same checks per row through the same rules the platform
uses (zhigong.core.rules for the ID number and mobile, rules_roster for dates, wages, shares,
eligibility and the coverage dates) and the same encryption and blind index of ID numbers.

Bulk mode as django-import-export documents it for creating many rows: use_bulk=True with
batch_size=1000, force_init_instance=True (no per-row lookup of an existing instance; the cover
resource finds people and cover held elsewhere through one query each in before_import instead),
skip_diff=True."""

import time
from datetime import date

from import_export import fields, resources
from import_export.formats.base_formats import XLSX

from zhigong.core import actions as core_actions
from zhigong.core import crypto
from zhigong.core import rules as core_rules
from zhigong.core.models import Organization, Person, Region
from zhigong.mutualaid import queries_roster
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.models import Coverage, Enrolment


class Context:
    """What both resources check against: the plan's terms, the regions, the enterprise, the
    enrolment (made before the import, as ours makes it on the first row)."""

    def __init__(self, starts_on: date, today: date) -> None:
        self.enterprise = Organization.objects.get(kind=Organization.Kind.ENTERPRISE, name="玄武机械有限公司")
        plans = queries_roster.plan_terms(self.enterprise, starts_on)
        self.plans = {}
        for code, (terms, where) in plans.items():
            if terms.has_pool:
                self.plans[code] = self.plans[terms.name] = (terms, where)
        self.regions = frozenset(Region.objects.values_list("code", flat=True))
        self.starts_on, self.today = starts_on, today
        self.seen: set[tuple[str, str]] = set()


def check(context: Context, row) -> dict:
    """Every check of rules_roster for one row, the way a resource's hook would make them."""
    facts = core_rules.parse_id_number(str(row["身份证号"]), context.regions, context.today)
    name = str(row["姓名"] or "").strip()
    if not name or len(name) > rules.MAX_NAME:
        raise ValueError("name")
    mobile = core_rules.validate_mobile(str(row["手机号"])) if row["手机号"] else ""
    started = rules.parse_date(row["入职日期"])
    wage = None if rules.blank(row["月工资（元）"]) else rules.parse_yuan(row["月工资（元）"])
    terms, where = context.plans[str(row["保障计划"]).strip()]
    shares = rules.parse_shares(row["份数"])
    if not 1 <= shares <= terms.max_shares:
        raise ValueError("shares")
    insured = rules.parse_yes_no(row["参加职工医保"])
    if not insured and terms.requires_medical_insurance:
        raise ValueError("medical_insurance")
    start = rules.coverage_start(terms, context.starts_on, started)
    if start is None or rules.eligibility_problem(facts.birth_date, facts.sex == "M", start, terms):
        raise ValueError("eligibility")
    key = (facts.number, terms.code)
    if key in context.seen:
        raise ValueError("duplicate")
    context.seen.add(key)
    return {"facts": facts, "name": name, "mobile": mobile, "started": started, "wage": wage, "terms": terms,
            "where": where, "shares": shares, "start": start, "insured": insured}


class PersonResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="姓名")

    class Meta:
        model = Person
        fields = ("name",)
        import_id_fields = ()
        use_bulk = True
        batch_size = 1000
        force_init_instance = True
        skip_diff = True

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.indexes: set[str] = set(Person.objects.values_list("id_number_index", flat=True))

    def before_import_row(self, row, **kwargs):
        row["_checked"] = check(self.context, row)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        index = core_actions.id_index(row["_checked"]["facts"].number)
        row["_index"] = index
        if index in self.indexes:  # registered already (or earlier in the file for another plan)
            return True
        self.indexes.add(index)
        return False

    def before_save_instance(self, instance, row, **kwargs):
        checked, enterprise = row["_checked"], self.context.enterprise
        number = checked["facts"].number
        instance.id_number_encrypted = crypto.encrypt(number, core_actions.ID_PURPOSE)
        instance.id_number_index = row["_index"]
        instance.id_masked = core_rules.mask_id_number(number)
        instance.id_last4 = number[-4:]
        instance.birth_date, instance.sex = checked["facts"].birth_date, checked["facts"].sex
        instance.mobile = checked["mobile"]
        instance.region_id, instance.scope_path = enterprise.region_id, enterprise.path


class CoverageResource(resources.ModelResource):
    shares = fields.Field(attribute="shares", column_name="份数")

    class Meta:
        model = Coverage
        fields = ("shares",)
        import_id_fields = ()
        use_bulk = True
        batch_size = 1000
        force_init_instance = True
        skip_diff = True

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def before_import(self, dataset, **kwargs):
        self.people = dict(Person.objects.values_list("id_number_index", "id"))
        codes = {terms.code for terms, _where in self.context.plans.values()}
        self.held = queries_roster.coverage_records(list(self.people.values()), codes, self.context.starts_on)
        self.context.seen.clear()

    def before_import_row(self, row, **kwargs):
        row["_checked"] = check(self.context, row)

    def before_save_instance(self, instance, row, **kwargs):
        checked, enterprise = row["_checked"], self.context.enterprise
        terms, where = checked["terms"], checked["where"]
        person = self.people[core_actions.id_index(checked["facts"].number)]
        enrolment = where["enrolment"]
        placement, problem = rules.place(person, self.held.get(person, ()), terms, checked["start"], enterprise.pk,
                                         enrolment.pk)
        if problem or placement.already:
            raise ValueError(problem)
        instance.enrolment, instance.person_id, instance.enterprise = enrolment, person, enterprise
        instance.version_id, instance.shares = enrolment.version_id, checked["shares"]
        instance.monthly_wage_fen, instance.employment_start = checked["wage"], checked["started"]
        instance.starts_on, instance.ends_on = checked["start"], terms.period_end
        instance.waiting_ends_on = placement.waiting_ends_on
        instance.renewed_from_id = placement.continues_from
        instance.region_code = enterprise.region_id
        instance.medical_insured = checked["insured"]


def run_import(path, starts_on: date, today: date) -> dict:
    started = time.perf_counter()
    dataset = XLSX().create_dataset(path.read_bytes())
    loaded = time.perf_counter()
    context = Context(starts_on, today)
    for terms, where in list(context.plans.values()):
        if where["enrolment"] is None:
            where["enrolment"] = Enrolment.objects.create(
                enterprise=context.enterprise, version=where["version"], pool=where["pool"],
                starts_on=terms.period_start, ends_on=terms.period_end, region_code=context.enterprise.region_id)
    people = PersonResource(context).import_data(dataset, dry_run=False, raise_errors=True)
    assert not people.has_errors() and not people.has_validation_errors()
    context.seen.clear()
    between = time.perf_counter()
    cover = CoverageResource(context).import_data(dataset, dry_run=False, raise_errors=True)
    assert not cover.has_errors() and not cover.has_validation_errors()
    done = time.perf_counter()
    return {"rows": len(dataset), "seconds": done - started, "load_seconds": loaded - started,
            "people_seconds": between - loaded, "cover_seconds": done - between}
