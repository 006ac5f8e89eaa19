"""The roster import over columns: read an xlsx a chunk at a time (python-calamine), check the
chunk with rules_roster (the same functions a single enrolment uses), look up the chunk's people
in the records, and, when writing, insert the new people and their cover with the bulk path of
zhigong.core.batch (COPY on PostgreSQL, one prepared INSERT elsewhere) inside one transaction
that the caller holds.

Memory stays bounded: one chunk of rows exists in Python at a time, plus one small integer per
(person, plan) seen, to find duplicates across the whole file. (python-calamine keeps the sheet's
cells in its own compact form while it is read.)"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection

from zhigong.core import actions as core_actions
from zhigong.core import batch, crypto
from zhigong.core.errors import DomainError
from zhigong.core.models import Organization, Person
from zhigong.mutualaid import messages_roster, queries_roster, xlsx_roster
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.models import Coverage

CHUNK = 10_000
ERRORS_KEPT = 2_000
COVERAGE_FIELDS = (
    "enrolment_id", "person_id", "enterprise_id", "version_id", "shares", "monthly_wage_fen", "employment_start",
    "hardship", "starts_on", "waiting_ends_on", "ends_on", "state", "renewed_from_id", "left_on", "end_reason",
    "region_code", "medical_insured",
)


@dataclass
class Outcome:
    """What a pass over a roster found, and (when it wrote) what it wrote."""

    rows: int = 0
    error_rows: int = 0
    issues: list[dict] = field(default_factory=list)
    written: int = 0
    already: int = 0
    new_people: int = 0
    linked_people: int = 0
    continued: int = 0
    by_plan: Counter = field(default_factory=Counter)
    sha256: str = ""

    def keep(self, issues: list[rules.Issue]) -> None:
        room = ERRORS_KEPT - len(self.issues)
        if room > 0:
            self.issues += [messages_roster.as_dict(i) for i in issues[:room]]

    @property
    def clean(self) -> bool:
        return self.error_rows == 0

    def summary(self) -> dict:
        return {"written": self.written, "already": self.already, "new_people": self.new_people,
                "linked_people": self.linked_people, "continued": self.continued, "by_plan": dict(self.by_plan)}


@dataclass
class Target:
    """Where the rows of one upload go: the enterprise, the asked start, each plan's terms and
    its enrolment (made on the first clean row of the plan when writing)."""

    enterprise: Organization
    starts_on: date
    today: date
    plans: dict  # code -> (PlanTerms, {plan, version, enrolment, pool})
    regions: frozenset[str]
    make_enrolment: Callable | None = None  # (code) -> Enrolment, when writing

    def terms(self) -> rules.Terms:
        by_key = {}
        for code, (terms, _where) in self.plans.items():
            by_key[code] = terms
            by_key.setdefault(terms.name, terms)
        return rules.Terms(by_key, self.regions, self.starts_on, self.today)

    def enrolment_ids(self) -> dict[str, int | None]:
        return {code: (where["enrolment"].pk if where["enrolment"] else None)
                for code, (_t, where) in self.plans.items()}


def header_positions(sheet: xlsx_roster.Sheet) -> dict[str, int]:
    match = rules.match_header(sheet.header)
    if match.issues:
        details = [messages_roster.as_dict(i) for i in match.issues]
        text = "；".join(d["message"] for d in details)
        raise DomainError("roster.columns", text, field="file", issues=details)
    return match.positions


def run(source, target: Target, write: bool, progress: Callable[[int], None] | None = None) -> Outcome:
    """One pass over the roster. With write=True the caller holds the transaction (and has
    taken the database's write lock on SQLite): new people and cover are inserted chunk by
    chunk; rows with issues are never written and the caller decides whether to keep the rest."""
    sheet = xlsx_roster.open_sheet(source)
    positions = header_positions(sheet)
    return run_chunks(xlsx_roster.chunks(sheet, CHUNK), positions, target, write, progress)


def run_chunks(chunks, positions: dict[str, int], target: Target, write: bool,
               progress: Callable[[int], None] | None = None) -> Outcome:
    """The same over chunks of (Excel row numbers, raw rows): a file, or a single row typed in.
    Reading and checking the next chunk (pure work) runs in a thread while this one looks the
    current chunk up in the records and writes it: the database driver lets go of the
    interpreter while it waits, so on two cores the two overlap."""
    terms, seen = target.terms(), rules.Seen()
    outcome, hasher = Outcome(), hashlib.sha256()
    prepared = (_prepare(numbers, raw, positions, terms, seen, write) for numbers, raw in chunks)
    for checked, indexes, sealed in batch.read_ahead(prepared):
        placements = _against_records(checked, target, indexes)
        outcome.rows += len(checked.numbers)
        outcome.error_rows += len(checked.numbers) - int(checked.ok.sum())
        outcome.keep(sorted(checked.issues, key=lambda i: i.row))
        if write:
            _write(checked, placements, target, outcome, hasher, sealed)
        if progress:
            progress(len(checked.numbers))
    if outcome.rows == 0:
        raise DomainError("roster.no_rows", messages_roster.MESSAGES["file.no_rows"], field="file")
    outcome.sha256 = hasher.hexdigest()
    return outcome


def _prepare(numbers: list[int], raw: list[list], positions: dict[str, int], terms: rules.Terms,
             seen: rules.Seen, write: bool = False) -> tuple[rules.Checked, dict[str, str], dict[str, bytes]]:
    """A chunk checked on its own and against the file so far, with the blind index of each
    clean row's ID number and, when writing, its ciphertext (used only if the person turns out
    to be new): no database here, it runs in the read-ahead thread while the main thread
    waits for PostgreSQL."""
    checked = rules.check_rows(rules.rows_from_cells(numbers, raw, positions), terms)
    rules.check_duplicates(checked, seen)
    clean = list({checked.id_numbers[i] for i in checked.clean_rows()})
    indexes = dict(zip(clean, crypto.blind_indexes(clean, core_actions.ID_PURPOSE), strict=True))
    sealed = dict(zip(clean, crypto.encrypt_many(clean, core_actions.ID_PURPOSE), strict=True)) if write else {}
    return checked, indexes, sealed


def _against_records(checked: rules.Checked, target: Target, indexes: dict[str, str]) -> list[rules.Placement | None]:
    clean = checked.clean_rows()
    if not clean:
        return [None] * len(checked.numbers)
    codes = {checked.plans[i].code for i in clean}
    since = min(checked.starts_on[i] for i in clean) - timedelta(days=1)
    existing = queries_roster.records_for(indexes, codes, since)
    placements = rules.check_against_records(checked, existing, target.enterprise.pk, target.enrolment_ids())
    for i, placement in enumerate(placements):
        if placement is not None and placement.person_id is None:
            placement.index = indexes[checked.id_numbers[i]]
    return placements


# --- Writing -----------------------------------------------------------------------------------------

def _write(checked: rules.Checked, placements: list, target: Target, outcome: Outcome, hasher,
           sealed: dict[str, bytes]) -> None:
    rows = [i for i in checked.clean_rows() if placements[i] is not None]
    outcome.already += sum(1 for i in rows if placements[i].already)
    rows = [i for i in rows if not placements[i].already]
    if not rows:
        return
    people = _new_people(checked, placements, rows, target.enterprise, sealed)
    # Each digest is taken while PostgreSQL works through the COPY just sent (same order as
    # before: people, then cover). Ciphertexts are left out: they carry random nonces.
    batch.insert_rows(Person, batch.PERSON_FIELDS, people,
                      meanwhile=lambda: batch.digest_rows(hasher, [p[:2] + p[3:] for p in people]))
    cover = _coverage_rows(checked, placements, rows, target)
    batch.insert_rows(Coverage, COVERAGE_FIELDS, cover, meanwhile=lambda: batch.digest_rows(hasher, cover))
    outcome.written += len(cover)
    outcome.new_people += len(people)
    outcome.linked_people += len({placements[i].person_id for i in rows}) - len(people)
    outcome.continued += sum(1 for i in rows if placements[i].continues_from)
    outcome.by_plan.update(checked.plans[i].code for i in rows)


def _new_people(checked: rules.Checked, placements: list, rows: list[int], enterprise: Organization,
                sealed: dict[str, bytes]) -> list[tuple]:
    """Rows of the people not yet registered (once each, though they may join several plans),
    encrypted and indexed by the functions register_person uses. `sealed`: the ciphertexts of
    the chunk's clean ID numbers, made in the read-ahead thread."""
    fresh: dict[str, list[int]] = {}
    for i in rows:
        if placements[i].person_id is None:
            fresh.setdefault(checked.id_numbers[i], []).append(i)
    ids = reserve_ids(Person, len(fresh))
    mask, names, birth, male, mobiles = (core_actions.rules.mask_id_number, checked.names, checked.birth,
                                         checked.male.tolist(), checked.mobiles)
    region, path = enterprise.region_id, enterprise.path
    people = []
    for pk, (number, where) in zip(ids, fresh.items(), strict=True):
        i = where[0]
        for j in where:
            placements[j].person_id = pk
        people.append((pk, names[i], sealed[number], placements[i].index, mask(number), number[-4:], birth[i],
                       "M" if male[i] else "F", mobiles[i], region, path))
    return people


def _coverage_rows(checked: rules.Checked, placements: list, rows: list[int], target: Target) -> list[tuple]:
    """The cover rows, in `rows` order; what is the same for every row of a plan (its
    enrolment, made on the plan's first row, version and period end) is looked up once."""
    by_code: dict[str, tuple] = {}
    enterprise_id, region = target.enterprise.pk, target.enterprise.region_id
    active = Coverage.State.ACTIVE.value
    plans, shares, wages, employed, starts, insured = (checked.plans, checked.shares, checked.wages_fen,
                                                       checked.employment_start, checked.starts_on,
                                                       checked.medical_insured)
    cover = []
    for i in rows:
        code = plans[i].code
        fixed = by_code.get(code)
        if fixed is None:
            terms, where = target.plans[code]
            if where["enrolment"] is None:
                where["enrolment"] = target.make_enrolment(terms.code)
            enrolment = where["enrolment"]
            fixed = by_code[code] = (enrolment.pk, enrolment.version_id, terms.period_end)
        placement = placements[i]
        cover.append((
            fixed[0], placement.person_id, enterprise_id, fixed[1], shares[i], wages[i], employed[i], False, starts[i],
            placement.waiting_ends_on, fixed[2], active, placement.continues_from, None, "", region, insured[i],
        ))
    return cover


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows inserted with explicit ids. PostgreSQL hands them out from the
    table's sequence, so concurrent inserts never collide; SQLite serialises writers, and the
    caller already holds the write lock."""
    if count == 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
    first = batch.next_id(model)
    return list(range(first, first + count))
