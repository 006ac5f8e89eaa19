"""zhigong demo gives the persona enterprise a session's worth of proposals in every state,
improvement suggestions in every state with benefits and rewards across teams, and a suggestion
box with answered, public, open and overdue messages; all of it trailed, and the trail verifies.

The demo (600 workers) is built once for the module inside a transaction that is rolled back at
the end; each test runs in a savepoint of its own."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhigong.core.models import Notification, User
from zhigong.democracy.models import Congress
from zhigong.participation import actions, queries
from zhigong.participation.demo_texts import DEPARTMENTS
from zhigong.participation.models import BoxMessage, Proposal, ProposalSigner, Suggestion
from zhigong.trail.models import Event
from zhigong.trail.verify import verify

MEMBERS = 600
State = Proposal.State


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        out = StringIO()
        call_command("demo", members=MEMBERS, seed=3, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def congress(demo, db) -> Congress:
    admin = User.objects.get(username="enterprise_admin")
    return Congress.objects.get(enterprise=admin.grants.get().organization)


def test_proposals_in_every_state(congress):
    proposals = Proposal.objects.filter(congress=congress)
    assert set(proposals.values_list("state", flat=True)) == set(State.values)
    closed = proposals.filter(state=State.CLOSED)
    assert set(closed.values_list("rating", flat=True)) == set(Proposal.Rating.values)
    assert closed.get(rating="not_satisfied").second_answer_used
    assert all(p.committee_reason for p in proposals.filter(state=State.CONVERTED))
    assert len(set(proposals.values_list("title", flat=True))) == proposals.count() >= 25
    # A draft waits for the persona delegate, in the session whose collection is open.
    worker = User.objects.get(username="worker")
    assert proposals.filter(state=State.DRAFT, proposer__person=worker.person).exists()
    assert proposals.filter(state=State.CARRIED_OUT, proposer__person=worker.person).exists()


def test_a_merged_duplicate_keeps_its_proposers_on_the_surviving_proposal(congress):
    duplicate = Proposal.objects.get(congress=congress, state=State.MERGED)
    survivor = duplicate.merged_into
    assert survivor.state not in (State.MERGED, State.DRAFT)
    kept = set(survivor.signers.values_list("delegate_id", flat=True))
    assert set(duplicate.signers.values_list("delegate_id", flat=True)) <= kept
    assert survivor.signers.filter(role=ProposalSigner.Role.PROPOSER).count() == 2


def test_one_assigned_proposal_is_overdue_and_the_union_was_told(congress):
    today = timezone.localdate()
    assigned = Proposal.objects.filter(congress=congress, state=State.ASSIGNED)
    late = [p for p in assigned if queries.is_overdue(p, today)]
    assert len(late) == 1 and assigned.count() > 1
    chair = User.objects.get(username="enterprise_admin")
    assert Notification.objects.filter(user=chair, link=f"/proposals/{late[0].pk}/").exists()
    assert Event.objects.filter(verb="demo.backdate").count() == 1


def test_departments_have_member_accounts_and_answer_what_they_lead(congress):
    departments = congress.enterprise.departments.all()
    assert sorted(d.name for d in departments) == sorted(DEPARTMENTS.values())
    for department in departments:
        assert department.members.count() == 1
    answered = Proposal.objects.filter(congress=congress, answered_on__isnull=False)
    assert answered.exists()
    for proposal in answered:
        answer = Event.objects.filter(verb="proposal.answer", object_id=str(proposal.pk)).latest("seq")
        assert proposal.lead_department.members.filter(pk=answer.actor_id).exists()


def test_suggestions_in_every_state_with_benefits_and_rewards(congress):
    chair = User.objects.get(username="enterprise_admin")
    rows = Suggestion.objects.filter(enterprise=congress.enterprise)
    assert set(rows.values_list("state", flat=True)) == set(Suggestion.State.values)
    assert all(r.reward_fen > 0 and r.benefit_fen > 0 for r in rows.filter(state="rewarded"))
    assert all(r.review_reason for r in rows.filter(state="rejected"))
    stats = queries.suggestion_stats(chair, congress.enterprise.pk)
    assert stats["submitted"] == rows.count() and stats["benefit"] > 0 and stats["rewards"] > 0
    assert len(stats["teams"]) >= 5


def test_the_box_has_answered_public_open_and_overdue_messages(congress, demo):
    chair = User.objects.get(username="enterprise_admin")
    box = congress.enterprise.box
    overview = queries.box_overview(chair, box)
    assert overview["answered"] >= 3 and overview["open"] >= 3 and overview["overdue"] == 1
    board = list(queries.public_board(box))
    assert any(m.consent_public for m in board) and any(not m.consent_public for m in board)
    # The printed follow-up code reads an answered message, without an account.
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", demo).group(0)
    message = actions.read_thread(code)
    assert message.state == BoxMessage.State.ANSWERED and message.answer


def test_the_trail_verifies(demo, db):
    result = verify()
    assert result.ok, result.problem and result.problem.message()
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"proposal.submit", "proposal.merge", "proposal.convert", "proposal.rate", "suggestion.reward",
            "box.answer", "box.received"} <= verbs
