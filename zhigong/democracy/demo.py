"""The congress of a demo enterprise (`zhigong demo`), built through the congress actions so
that every step is trailed and every figure is the one the rules compute.

For one enterprise: a congress with a current term (workers and women as employed), its
constituencies, delegates chosen among its employees so that the composition checks pass, a
proposal committee and the company-law facts; a closed session with resolutions (a secret
collective-contract vote, a business report, a contested election of a worker director, an
open vote), every ballot cast through cast_ballot by the delegate's own account; and a convened
session about to begin, with an agenda, a check-in code and all but one of the delegates needed
for the quorum already checked in, so that the persona delegate's check-in lets the chair open it.

Reproducible from the seed: the same seed picks the same delegates and casts the same votes.
Check-in codes and ballot salts stay random: they are secrets, not scenery."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhigong.core import actions as core
from zhigong.core import rules as core_rules
from zhigong.core.models import Employment, Organization, Person, User
from zhigong.democracy import actions, rules
from zhigong.democracy.models import AgendaItem, Committee, Congress, Delegate, Session, Term
from zhigong.democracy.rulebook import load as load_rules
from zhigong.disclosure import demo_congress as disclosure_demo

Kind, Matter = AgendaItem.Kind, AgendaItem.Matter
HALL = "职工之家大会议室"
# Below this many workers there is no one to elect or appraise: the enterprise gets no congress.
SMALLEST = 6
YOUNG_BEFORE_AGE = 35  # 青年职工: 35 and under, as the youth leagues count


@dataclass
class Member:
    """An employee who becomes a delegate, with the attributes the composition counts."""

    person: Person
    woman: bool
    young: bool
    dispatched: bool
    manager: bool = False
    frontline: bool = False
    account: User | None = None


@dataclass
class DemoCongress:
    congress: Congress
    term: Term
    delegates: list[Delegate]
    accounts: list[User]  # accounts[i] is the login of delegates[i]
    committee: Committee
    chair: User
    persona: Delegate | None = None
    past: Session | None = None
    upcoming: Session | None = None
    elected: list[str] = field(default_factory=list)

    def account_of(self, delegate: Delegate) -> User:
        return self.accounts[self.delegates.index(delegate)]


def build(chair: User, admin: User, enterprise: Organization, seed: int, persona: User | None = None,
          ) -> DemoCongress | None:
    """The whole congress of one enterprise; None when it has too few workers for one.
    `chair` runs the congress (the enterprise admin, else the platform admin); `admin` creates
    the delegates' accounts; `persona` (an account of an employee) is made a delegate."""
    staff = _workforce(enterprise)
    if len(staff) < SMALLEST:
        return None
    rng = random.Random(f"zhigong-demo-congress|{seed}|{enterprise.pk}")
    congress = actions.create_congress(chair, enterprise)
    term = _start_term(chair, congress, staff)
    members = _choose_members(term, staff, rng, getattr(persona, "person", None))
    delegates = _elect(chair, term, members, rng)
    accounts = _accounts(admin, enterprise, members, persona)
    committee = actions.create_committee(chair, term, Committee.Kind.PROPOSAL, "提案工作委员会",
                                         _committee_members(delegates, members))
    actions.set_governance(chair, enterprise, "llc", has_supervisory_board=False,
                           audit_committee_replaces_board=True, supervisory_board_size=0)
    mine = next((d for d in delegates if persona is not None and d.person_id == persona.person_id), None)
    built = DemoCongress(congress, term, delegates, accounts, committee, chair, mine)
    built.past = _past_session(built, staff, rng)
    built.upcoming = _upcoming_session(built, staff, rng)
    return built


# --- The body, its term and its delegates --------------------------------------------------------

def _workforce(enterprise: Organization) -> list[tuple[Person, str]]:
    jobs = (Employment.objects.filter(enterprise=enterprise, end_date__isnull=True)
            .select_related("person").order_by("person_id"))
    return [(job.person, job.form) for job in jobs]


def _start_term(chair: User, congress: Congress, staff: list[tuple[Person, str]]) -> Term:
    """Term 1 began about fourteen months ago and runs five years less a day (3–5 years)."""
    start = (timezone.localdate() - timedelta(days=420)).replace(day=1)
    end = date(start.year + 5, start.month, 1) - timedelta(days=1)
    women = sum(1 for person, _form in staff if person.sex == Person.Sex.FEMALE)
    return actions.start_term(chair, congress, 1, start, end, workers=len(staff), women_workers=women)


def delegate_count(term: Term) -> int:
    """Enough delegates for the composition rules (5 % of the workers, at least 30) and a few
    more, so that an absence or a recall does not break them; a general assembly seats everyone."""
    if term.congress.form == Congress.Form.GENERAL_ASSEMBLY:
        return term.workers
    limits = load_rules(term.congress.region_id, term.start_date).limits
    empty = rules.Delegation(0, 0, 0, 0, term.workers, term.women_workers)
    required = int(rules.composition_checks(empty, limits)[0].threshold)
    return min(term.workers, required + max(2, required // 8))


def _choose_members(term: Term, staff: list[tuple[Person, str]], rng: random.Random,
                    persona: Person | None) -> list[Member]:
    """Delegates in proportion to the women of the workforce (rounded up), the persona first;
    then who among them are managers (15 %, the rule allows 20 %) and front-line (most others)."""
    today = timezone.localdate()
    pool = [Member(p, p.sex == Person.Sex.FEMALE, core_rules.age_on(p.birth_date, today) <= YOUNG_BEFORE_AGE,
                   form == Employment.Form.DISPATCHED) for p, form in staff]
    count = delegate_count(term)
    women_wanted = -(-count * term.women_workers // term.workers)
    first = [m for m in pool if persona is not None and m.person.pk == persona.pk]
    rest = [m for m in pool if m not in first]
    rng.shuffle(rest)
    women = [m for m in rest if m.woman][: max(0, women_wanted - sum(m.woman for m in first))]
    men = [m for m in rest if not m.woman]
    chosen = first + women
    chosen += (men + [m for m in rest if m.woman and m not in chosen])[: count - len(chosen)]
    _assign_roles(chosen, rng)
    return chosen


def _assign_roles(chosen: list[Member], rng: random.Random) -> None:
    order = list(range(1, len(chosen)))  # the persona (or the first pick) stays on the shop floor
    rng.shuffle(order)
    managers = len(chosen) * 15 // 100
    for n, index in enumerate(order):
        chosen[index].manager = n < managers
    for n, member in enumerate(chosen):
        member.frontline = not member.manager and (n == 0 or rng.random() < 0.8)


CONSTITUENCIES = (("一车间", "workshop"), ("二车间", "workshop"), ("三车间", "workshop"),
                  ("设备维修工段", "section"), ("质检班组", "team"))
OFFICE = ("机关科室", "office")


def _elect(chair: User, term: Term, members: list[Member], rng: random.Random) -> list[Delegate]:
    """Managers stand in the office constituency, everyone else in the workshops; each
    constituency's workers are its share of the workforce by delegates."""
    shops = CONSTITUENCIES[: max(1, min(len(CONSTITUENCIES), len(members) // 8))]
    seats = [[m for m in members if m.manager]] if any(m.manager for m in members) else []
    places = [OFFICE] if seats else []
    floor = [m for m in members if not m.manager]
    seats += [floor[i:: len(shops)] for i in range(len(shops))]
    places += list(shops)
    workers = _split(term.workers, [len(s) for s in seats])
    delegates = []
    for (name, kind), group, count in zip(places, seats, workers, strict=True):
        place = actions.add_constituency(chair, term, name, kind, count)
        delegates += [_elect_one(chair, place, m, rng) for m in group]
    by_person = {d.person_id: d for d in delegates}
    return [by_person[m.person.pk] for m in members]


def _split(total: int, weights: list[int]) -> list[int]:
    """`total` in integer parts proportional to the weights, each at least its weight."""
    parts = [max(w, total * w // sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _elect_one(chair: User, place, member: Member, rng: random.Random) -> Delegate:
    # More than half of ALL the constituency's workers voted for the delegate (2012 规定 art. 24).
    voters = place.workers - rng.randint(0, place.workers // 10)
    votes = min(voters, place.workers // 2 + 1 + rng.randint(0, place.workers // 3))
    return actions.elect_delegate(chair, place, member.person, place.term.start_date - timedelta(days=14),
                                  votes, voters, frontline=member.frontline, manager=member.manager,
                                  young=member.young, dispatched=member.dispatched)


def _accounts(admin: User, enterprise: Organization, members: list[Member], persona: User | None) -> list[User]:
    """A login per delegate. Theirs have no usable password (hashing one costs a quarter of a
    second each; the union hands out passwords): only the persona signs in with the demo's."""
    existing = {u.person_id: u for u in User.objects.filter(person_id__in=[m.person.pk for m in members])}
    accounts = []
    for n, member in enumerate(members, start=1):
        account = existing.get(member.person.pk)
        if account is None:
            account = core.create_account(admin, f"e{enterprise.pk}d{n:03d}", None, person=member.person)
        accounts.append(account)
    return accounts


def _committee_members(delegates: list[Delegate], members: list[Member]) -> list[Delegate]:
    """Five delegates, one of them a manager; not the persona, who meets the committee as a proposer."""
    managers = [d for d, m in zip(delegates, members, strict=True) if m.manager][:1]
    others = [d for d, m in zip(delegates[1:], members[1:], strict=True) if not m.manager]
    return managers + others[: 5 - len(managers)]


# --- The closed session ---------------------------------------------------------------------------

def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _past_session(built: DemoCongress, staff, rng: random.Random) -> Session:
    chair, term = built.chair, built.term
    day = timezone.localdate() - timedelta(days=75)
    session = actions.schedule_session(chair, term, "", _at(day, 9), HALL)
    year = day.year
    contract = actions.add_agenda_item(
        chair, session, f"审议《{year}—{year + 2}年度集体合同（草案）》", Kind.APPROVE, Matter.COLLECTIVE_CONTRACT,
        "经工资集体协商形成的集体合同草案，涉及劳动报酬、工作时间、休息休假、劳动安全卫生和保险福利。")
    report = actions.add_agenda_item(
        chair, session, f"听取和审议《{year - 1}年度生产经营情况报告》", Kind.ADVISE, Matter.BUSINESS_REPORT,
        "总经理作生产经营情况报告，代表分组审议并提出意见建议。")
    election = actions.add_agenda_item(
        chair, session, "选举职工董事", Kind.ELECT, Matter.WORKER_DIRECTOR,
        "差额选举，应选1名，候选人3名；得票超过全体代表半数方可当选。", seats=1)
    rules_item = actions.add_agenda_item(
        chair, session, "审议《职工代表大会提案工作细则（修订）》", Kind.APPROVE, Matter.OTHER,
        "举手表决事项：细则规定提案的征集、审查、立案、交办、答复和督办。")
    candidates = _candidates(chair, election, built)
    disclosure_demo.disclose_for_session(chair, session)  # before the vote (厂务公开)
    actions.convene_session(chair, session)
    session.refresh_from_db()
    present = _check_in_most(built, session, rng)
    session = actions.open_session(chair, session)
    _vote_approve(built, contract, present, rng, yes_share=0.86)
    actions.close_advise_item(chair, report, _REPORT_SUMMARY)
    built.elected = _vote_election(built, election, candidates, present, rng)
    _vote_approve(built, rules_item, present, rng, yes_share=0.9)
    return actions.close_session(chair, session)


_REPORT_SUMMARY = (
    "代表分组审议认为，报告实事求是，全年经营目标基本完成。代表建议：一是工资增长与效益增长同步；"
    "二是加大设备更新和安全投入；三是改善一线职工就餐、通勤和住宿条件。以上意见由经营层研究办理，"
    "办理情况向下次职代会报告。")

CANDIDATE_NOTES = ("工会副主席，从事生产管理工作十八年", "设备维修工段班长，省级技术能手", "质检班组技术员")


def _candidates(chair: User, item: AgendaItem, built: DemoCongress) -> list:
    """Three delegates, none of them the persona (who should find the ballot open to them)."""
    eligible = [d for d in built.delegates if d != built.persona][:3]
    return [actions.add_candidate(chair, item, d.person, note)
            for d, note in zip(eligible, CANDIDATE_NOTES, strict=False)]


def _check_in_most(built: DemoCongress, session: Session, rng: random.Random) -> list[int]:
    """About nine in ten present (never fewer than the quorum), the persona among them; most
    check in with the hall's code, a few through the secretariat. Returns the indexes present."""
    total = len(built.delegates)
    needed = rules.quorum_needed(total, load_rules(session.region_id, timezone.localdate()).quorum)
    count = max(needed, round(total * 0.92))
    present = [0] + sorted(rng.sample(range(1, total), count - 1))
    for n, index in enumerate(present):
        if n % 10 == 9:
            actions.check_in(built.chair, session, delegate=built.delegates[index])
        else:
            actions.check_in(built.accounts[index], session, session.check_in_code)
    return present


def _vote_approve(built: DemoCongress, item: AgendaItem, present: list[int], rng: random.Random,
                  yes_share: float) -> None:
    """Passed by more than half of ALL delegates; the rest split between no and abstain."""
    threshold = rules.pass_threshold(len(built.delegates), _majority(item))
    yes = min(len(present), max(threshold + 1, round(len(present) * yes_share)))
    no = (len(present) - yes) // 2
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * (len(present) - yes - no)
    _cast_all(built, item, present, [{"choice": c} for c in choices], rng)


def _vote_election(built: DemoCongress, item: AgendaItem, candidates: list, present: list[int],
                   rng: random.Random) -> list[str]:
    """The first candidate gets a majority of ALL delegates; the others split the rest; a few
    ballots approve no one."""
    threshold = rules.pass_threshold(len(built.delegates), _majority(item))
    n = len(present)
    first = min(n, max(threshold, threshold + rng.randint(1, max(1, (n - threshold) // 2))))
    blank = min(2, n - first)
    second = (n - first - blank + 1) // 2
    third = n - first - blank - second
    counts = [first, second, third]
    ballots = [{"approve": [c.pk]} for c, k in zip(candidates, counts, strict=True) for _ in range(k)]
    _cast_all(built, item, present, ballots + [{"approve": []}] * blank, rng)
    return [c.person.name for c in candidates if c.pk in item.rounds.get().result["elected"]]


def _majority(item: AgendaItem) -> rules.Share:
    return load_rules(item.session.region_id, timezone.localdate()).majority


def _cast_all(built: DemoCongress, item: AgendaItem, present: list[int], ballots: list[dict],
              rng: random.Random) -> None:
    """Each present delegate casts one ballot with their own account, in a shuffled order."""
    rng.shuffle(ballots)
    actions.open_voting(built.chair, item)
    for index, content in zip(present, ballots, strict=True):
        actions.cast_ballot(built.accounts[index], item, content)
    actions.close_voting(built.chair, item)


# --- The convened session -----------------------------------------------------------------------

def _upcoming_session(built: DemoCongress, staff, rng: random.Random) -> Session:
    """About to begin: the notice is out, the agenda set, and all but one of the delegates the
    quorum needs have checked in. The persona delegate is not among them: their check-in with
    the code lets the chair open the session and the voting."""
    chair = built.chair
    starts = (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0)
    starts = starts.replace(minute=0 if starts.minute < 30 else 30)
    session = actions.schedule_session(chair, built.term, "", starts, HALL)
    year = timezone.localdate().year
    actions.add_agenda_item(chair, session, "审议《劳动合同管理规定（修订草案）》", Kind.APPROVE,
                            Matter.WORKPLACE_RULES, "依照劳动合同法第四条，直接涉及职工切身利益的规章制度"
                            "须经职代会审议通过。")
    actions.add_agenda_item(chair, session, f"审议《{year}年度职工福利基金使用方案》", Kind.APPROVE,
                            Matter.WELFARE_FUND, "福利基金用于困难职工补助、职工体检、文体活动和食堂补贴。")
    _appraisal(chair, session, built, staff)
    actions.add_agenda_item(chair, session, "听取《上次会议提案办理情况报告》", Kind.ADVISE, Matter.OTHER)
    disclosure_demo.disclose_for_session(chair, session)  # before the vote (厂务公开)
    actions.convene_session(chair, session)
    session.refresh_from_db()
    _check_in_all_but_one(built, session, rng)
    return session


def _appraisal(chair: User, session: Session, built: DemoCongress, staff) -> None:
    """Two employees who are not delegates, the heads of production and of human resources, are
    appraised (a general assembly, where everyone votes, has no one left to appraise)."""
    delegates = {d.person_id for d in built.delegates}
    heads = [p for p, _form in staff if p.pk not in delegates][:2]
    if not heads:
        return
    item = actions.add_agenda_item(chair, session, "民主评议企业中层管理人员", Kind.APPRAISE, Matter.MANAGERS,
                                   "评议等次：优秀、称职、基本称职、不称职。")
    for person, note in zip(heads, ("生产部部长", "人力资源部部长"), strict=False):
        actions.add_candidate(chair, item, person, note)


def _check_in_all_but_one(built: DemoCongress, session: Session, rng: random.Random) -> None:
    total = len(built.delegates)
    needed = rules.quorum_needed(total, load_rules(session.region_id, timezone.localdate()).quorum)
    others = [i for i, d in enumerate(built.delegates) if d != built.persona]
    for index in sorted(rng.sample(others, min(len(others), needed - 1))):
        actions.check_in(built.accounts[index], session, session.check_in_code)
