"""Workers' voice in the demo (`zhigong demo`): on top of the demo congress (democracy/demo.py),
a session's worth of proposals in every state, improvement suggestions and a suggestion box,
all through the actions, so that each step is trailed and each figure is what they compute.

`build` is the one entry point of the demo command: the persona enterprise's congress and voice,
then the congresses of two more large enterprises. Reproducible from the seed (who proposes,
who co-signs, in what order); follow-up codes and ballot salts stay random.

Two dates cannot come about through the actions on the day the demo is built: an assigned
proposal past its due date and a box message past its answer limit. Both are moved back in
one transaction with a trail event of their own ("demo.backdate"), so the trail says so."""

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import actions as core
from zhigong.core.models import Department, Organization, User
from zhigong.core.money import format_fen
from zhigong.democracy import actions as congress_actions
from zhigong.democracy import demo as congress_demo
from zhigong.democracy.models import Congress, Delegate, Resolution
from zhigong.democracy.rulebook import load as load_rules
from zhigong.participation import actions
from zhigong.participation.demo_texts import (
    BOX_MESSAGES,
    CONVERTED_REASONS,
    DEPARTMENTS,
    PLAN,
    PROPOSALS,
    SUGGESTIONS,
    ProposalText,
)
from zhigong.participation.models import BoxMessage, BoxSettings, Proposal, Suggestion

State = Proposal.State
MORE_ENTERPRISES = 1


@dataclass
class Outcome:
    """What the demo command prints: a report and the extra sign-ins (title, username, where, note)."""

    report: str
    personas: list[tuple[str, str, str, str]] = field(default_factory=list)


def build(admin: User, enterprise_id: int, seed: int, password: str, chair: str, delegate: str) -> Outcome:
    """`chair` and `delegate` are the usernames of the enterprise admin and of a worker of the
    enterprise, who becomes a delegate; department accounts get `password`."""
    started = time.monotonic()
    enterprise = Organization.objects.get(pk=enterprise_id)
    chair_user, persona = User.objects.get(username=chair), User.objects.get(username=delegate)
    built = congress_demo.build(chair_user, admin, enterprise, seed, persona)
    if built is None:
        return Outcome(_("%(name)s职工人数过少，未生成职代会和职工之声演示数据。\n") % {"name": enterprise.name})
    rng = random.Random(f"zhigong-demo-voice|{seed}|{enterprise.pk}")
    departments, clerks = _departments(admin, built.chair, enterprise, password)
    proposals = build_proposals(built, departments, clerks, rng)
    build_suggestions(built, rng)
    box, messages, code = build_box(built.chair, enterprise)
    _backdate(admin, proposals["forklift"], next(m for m, t in zip(messages, BOX_MESSAGES, strict=True) if t.overdue))
    others = [c for c in (congress_demo.build(admin, admin, e, seed) for e in _more_enterprises(enterprise)) if c]
    lines = [_congress_line(built), *_session_lines(built), _proposal_line(built.congress),
             _suggestion_line(enterprise), _box_line(box, code)]
    if others:
        lines.append(_("另有%(n)d家企业的职代会（各有已闭会和已通知的会议）：%(names)s。")
                     % {"n": len(others), "names": "、".join(o.congress.name for o in others)})
    lines.append(_("职代会与职工之声演示数据用时 %(seconds).1f 秒。") % {"seconds": time.monotonic() - started})
    return Outcome("\n".join(lines) + "\n", _personas(built, enterprise, clerks))


def _more_enterprises(main: Organization) -> list[Organization]:
    """The largest other enterprises big enough for a congress of delegates."""
    threshold = load_rules(main.region_id, timezone.localdate()).form_threshold
    return list(Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, employee_count__gte=threshold)
                .exclude(pk=main.pk).order_by("-employee_count", "pk")[:MORE_ENTERPRISES])


def _departments(admin: User, chair: User, enterprise: Organization, password: str,
                 ) -> tuple[dict[str, Department], dict[str, User]]:
    """The four departments that handle proposals, each with an office account."""
    departments, clerks = {}, {}
    for key, name in DEPARTMENTS.items():
        departments[key] = core.create_department(chair, enterprise, name)
        clerks[key] = core.create_account(admin, f"dept_{key}", password)
        core.add_department_member(chair, departments[key], clerks[key])
    return departments, clerks


# --- Proposals -----------------------------------------------------------------------------------

# How far each planned end state goes along the way: submit, review, then the committee's decision.
REVIEWED = {"under_review", "accepted", "converted", "merged"}
ACCEPTED = {"accepted"}
ASSIGNED = {"assigned", "assigned_overdue", "assigned_again", "answered", "carrying_out", "carried_out", "closed"}


@dataclass
class Voice:
    built: congress_demo.DemoCongress
    departments: dict[str, Department]
    clerks: dict[str, User]
    committee: User  # the account of a member of the proposal committee
    texts: dict[str, ProposalText]


def build_proposals(built: congress_demo.DemoCongress, departments: dict[str, Department],
                    clerks: dict[str, User], rng: random.Random) -> dict[str, Proposal]:
    """Every proposal of PLAN taken to its end state. The closed session's collection window is
    open while its proposals are submitted and set back to its real dates afterwards."""
    member = built.committee.members.order_by("pk").first()
    voice = Voice(built, departments, clerks, built.account_of(member), {t.key: t for t in PROPOSALS})
    today = timezone.localdate()
    held_on = timezone.localtime(built.past.starts_at).date()
    actions.set_window(built.chair, built.past, held_on - timedelta(days=30), today)
    actions.set_window(built.chair, built.upcoming, today - timedelta(days=20), today + timedelta(days=3))
    made = {key: _draft(voice, key, session, who, rng) for key, session, _end, who in PLAN}
    for key, _session, end, _who in PLAN:
        _submit_and_review(voice, made[key], end)
    actions.set_window(built.chair, built.past, held_on - timedelta(days=30), held_on - timedelta(days=3))
    for key, _session, end, _who in PLAN:
        _decide(voice, made, key, end)
    for key, _session, end, _who in PLAN:
        _handle(voice, made[key], key, end)
    return {key: Proposal.objects.get(pk=p.pk) for key, p in made.items()}


def _delegate(built: congress_demo.DemoCongress, who) -> Delegate:
    if who == "persona":
        return built.persona or built.delegates[0]
    return built.delegates[1 + (who - 1) % (len(built.delegates) - 1)]


def _draft(voice: Voice, key: str, session: str, who, rng: random.Random) -> Proposal:
    """Drafted by its proposer and co-signed by two or three other delegates."""
    built, text = voice.built, voice.texts[key]
    proposer = _delegate(built, who)
    target = built.past if session == "past" else built.upcoming
    proposal = actions.draft_proposal(built.account_of(proposer), target, text.title, text.cause,
                                      text.measures, text.category)
    others = [d for d in built.delegates if d != proposer]
    for cosigner in rng.sample(others, min(len(others), rng.choice((2, 2, 3)))):
        actions.cosign(built.account_of(cosigner), proposal)
    return proposal


def _submit_and_review(voice: Voice, proposal: Proposal, end: str) -> None:
    if end == "draft":
        return
    proposer = voice.built.account_of(proposal.proposer)
    actions.submit(proposer, proposal)
    if end.split(":")[0] in REVIEWED | ASSIGNED:
        actions.start_review(voice.committee, proposal)


def _decide(voice: Voice, made: dict[str, Proposal], key: str, end: str) -> None:
    """The committee: accept for handling (立案), convert to a suggestion with its reason, or
    merge a duplicate into the proposal it repeats (which keeps all the proposers)."""
    stage = end.split(":")[0]
    if stage in ACCEPTED | ASSIGNED:
        actions.accept(voice.committee, made[key])
    elif stage == "converted":
        actions.convert(voice.committee, made[key], CONVERTED_REASONS[key])
    elif stage == "merged":
        actions.merge(voice.committee, made[key], made[end.split(":")[1]])


def _handle(voice: Voice, proposal: Proposal, key: str, end: str) -> None:
    """Assignment, the departments' answers and progress, and the proposer's rating."""
    stage, _sep, rating = end.partition(":")
    if stage not in ASSIGNED:
        return
    text = voice.texts[key]
    lead = voice.departments[text.lead]
    actions.assign(voice.committee, proposal, lead, [voice.departments[k] for k in text.co])
    if stage in ("assigned", "assigned_overdue"):
        return
    clerk = voice.clerks[text.lead]
    actions.answer(clerk, proposal, text.answers[0], text.planned)
    if stage == "carrying_out":
        actions.report_progress(clerk, proposal, 50, text.progress[0])
    elif stage != "answered":
        _carry_out(clerk, proposal, text)
        _rate(voice, proposal, text, clerk, rating or ("not_satisfied" if stage == "assigned_again" else ""))


def _carry_out(clerk: User, proposal: Proposal, text: ProposalText) -> None:
    """Dated progress notes, the last one at 100 % (carried out)."""
    notes = text.progress
    for n, note in enumerate(notes, start=1):
        actions.report_progress(clerk, proposal, 100 * n // len(notes) // 10 * 10 if n < len(notes) else 100, note)


def _rate(voice: Voice, proposal: Proposal, text: ProposalText, clerk: User, rating: str) -> None:
    """"Not satisfied" sends the proposal back for a second answer; for the housing proposal the
    second answer does not satisfy either, and it closes."""
    if not rating:
        return
    proposer = voice.built.account_of(proposal.proposer)
    actions.rate(proposer, proposal, rating)
    if rating == "not_satisfied" and len(text.answers) > 1:
        actions.answer(clerk, proposal, text.answers[1], text.planned)
        actions.report_progress(clerk, proposal, 100, text.progress[-1])
        actions.rate(proposer, proposal, rating)


# --- Improvement suggestions and the suggestion box -----------------------------------------------

def build_suggestions(built: congress_demo.DemoCongress, rng: random.Random) -> list[Suggestion]:
    """Submitted by delegates (the persona among them) across teams, then decided, carried out
    and rewarded by the enterprise."""
    enterprise = built.congress.enterprise
    authors = [built.persona or built.delegates[0]] + rng.sample(built.delegates[1:], len(built.delegates) - 1)
    made = []
    for n, text in enumerate(SUGGESTIONS):
        author = built.account_of(authors[n % len(authors)])
        row = actions.submit_suggestion(author, enterprise, text.team, text.title, text.content, text.topic)
        if text.outcome != "submitted":
            row = actions.decide_suggestion(built.chair, row, text.outcome != "rejected", text.reason)
        if text.outcome in ("implemented", "rewarded"):
            row = actions.implement_suggestion(built.chair, row, text.benefit_yuan * 100)
        if text.outcome == "rewarded":
            row = actions.reward_suggestion(built.chair, row, text.reward_yuan * 100)
        made.append(row)
    return made


def build_box(chair: User, enterprise: Organization) -> tuple[BoxSettings, list[BoxMessage], str]:
    """Messages dropped anonymously, most answered, some shown on the public board. Returns the
    box, its messages in BOX_MESSAGES order and the follow-up code of the first, for a newcomer
    to read its answer."""
    box = actions.open_box(chair, enterprise)
    codes, messages = [], []
    for n, text in enumerate(BOX_MESSAGES):
        # A made-up sender address per message of this box: the rate limit counts submissions
        # per address, and the demo's workers are not one person flooding the box.
        message, code = actions.drop_message(box, text.text, text.category, text.consent, [], f"demo-{box.slug}-{n}")
        codes.append(code)
        messages.append(message)
        if text.answer:
            actions.answer_message(chair, message, text.answer, public=text.public)
        if text.reply:
            actions.sender_reply(code, text.reply)
    return box, messages, codes[0]


def _backdate(admin: User, proposal: Proposal, message: BoxMessage) -> None:
    """Move the overdue examples back in time (see the module docstring), then let the daily
    jobs do what they would have done: notify the union of the overdue proposal and record the
    box's digest of the day that message now arrived on."""
    today = timezone.localdate()
    with transaction.atomic():
        moved = _move_dates(proposal, message, today)
        trail.record(admin, "demo.backdate", ("batch", "demo_backdate"), moved)
    actions.remind_overdue(today)
    actions.digest_finished_days(today)


def _move_dates(proposal: Proposal, message: BoxMessage, today: date) -> dict:
    assigned_on, due_on = today - timedelta(days=40), today - timedelta(days=10)
    received_on = today - timedelta(days=20)
    message_due = received_on + timedelta(days=message.box.answer_days)
    Proposal.objects.filter(pk=proposal.pk).update(assigned_on=assigned_on, due_on=due_on)
    BoxMessage.objects.filter(pk=message.pk).update(received_on=received_on, due_on=message_due)
    return {"proposal": proposal.pk, "assigned_on": assigned_on.isoformat(), "due_on": due_on.isoformat(),
            "box_message": str(message.pk), "received_on": received_on.isoformat(),
            "answer_due_on": message_due.isoformat()}


# --- What is printed ---------------------------------------------------------------------------

def _congress_line(built: congress_demo.DemoCongress) -> str:
    term, delegates = built.term, built.delegates
    checks = congress_actions.composition(term)
    failed = [c.code for c in checks if not c.ok]
    return _("职代会：%(name)s，第%(term)d届（%(start)s至%(end)s），职工%(workers)d人（女职工%(women)d人），"
             "代表%(delegates)d人（一线%(frontline)d人，中层以上管理人员%(managers)d人，女代表%(woman)d人）；"
             "代表构成检查：%(checks)s。") % {
        "name": built.congress.name, "term": term.number, "start": term.start_date.isoformat(),
        "end": term.end_date.isoformat(), "workers": term.workers, "women": term.women_workers,
        "delegates": len(delegates), "frontline": sum(d.frontline for d in delegates),
        "managers": sum(d.manager for d in delegates), "woman": sum(d.woman for d in delegates),
        "checks": _("全部通过") if not failed else "、".join(failed),
    }


def _session_lines(built: congress_demo.DemoCongress) -> list[str]:
    past, upcoming = built.past, built.upcoming
    figures = congress_actions.attendance(upcoming)
    return [
        _("  %(title)s：已闭会，决议%(resolutions)d项，选举职工董事：%(elected)s。") % {
            "title": past.title, "resolutions": Resolution.objects.filter(item__session=past).count(),
            "elected": "、".join(built.elected) or _("无")},
        _("  %(title)s：已通知，%(at)s开会，签到码 %(code)s；已签到%(present)d人，还差%(missing)d人即可宣布开会。") % {
            "title": upcoming.title, "at": timezone.localtime(upcoming.starts_at).strftime("%Y-%m-%d %H:%M"),
            "code": upcoming.check_in_code, "present": figures["present"], "missing": figures["still_needed"]},
    ]


def _proposal_line(congress: Congress) -> str:
    counts = {s: 0 for s in State.values}
    for state in Proposal.objects.filter(congress=congress).values_list("state", flat=True):
        counts[state] += 1
    parts = "、".join(f"{State(s).label}{n}" for s, n in counts.items() if n)
    return _("提案%(total)d件：%(states)s。") % {"total": sum(counts.values()), "states": parts}


def _suggestion_line(enterprise: Organization) -> str:
    rows = list(Suggestion.objects.filter(enterprise=enterprise).values_list("state", "benefit_fen", "reward_fen"))
    adopted = sum(1 for state, _b, _r in rows if state in ("adopted", "implemented", "rewarded"))
    return _("合理化建议%(total)d条：采纳%(adopted)d条，经济效益%(benefit)s，奖励%(reward)s。") % {
        "total": len(rows), "adopted": adopted, "benefit": format_fen(sum(r[1] for r in rows)),
        "reward": format_fen(sum(r[2] for r in rows))}


def _box_line(box: BoxSettings, code: str) -> str:
    messages = list(box.messages.values_list("state", "public", "due_on"))
    today = timezone.localdate()
    open_ = [due for state, _public, due in messages if state == BoxMessage.State.OPEN]
    return _("意见箱留言%(total)d条：已答复%(answered)d条（公开%(public)d条），待答复%(open)d条（逾期%(overdue)d条）；"
             "用查询码 %(code)s 可查看一条已答复的留言。") % {
        "total": len(messages), "answered": len(messages) - len(open_),
        "public": sum(1 for _s, public, _d in messages if public), "open": len(open_),
        "overdue": sum(1 for due in open_ if due < today), "code": code}


def _personas(built: congress_demo.DemoCongress, enterprise: Organization, clerks: dict[str, User],
              ) -> list[tuple[str, str, str, str]]:
    rows = []
    if built.persona is not None:
        account = built.account_of(built.persona)
        rows.append((_("职工代表"), account.username, built.congress.name,
                     _("用签到码 %(code)s 签到后，企业管理员即可宣布开会、开始表决；可起草和附议提案，评价已落实的提案")
                     % {"code": built.upcoming.check_in_code}))
    for key, clerk in clerks.items():
        rows.append((_("提案承办部门"), clerk.username, f"{DEPARTMENTS[key]}，{enterprise.name}", ""))
    return rows
