"""The workers' congress (职工代表大会) or general assembly (职工大会) of an enterprise: terms,
constituencies, delegates, sessions, agenda, check-in, ballots, elections, resolutions and
the worker directors and supervisors it elects.

Secret ballots: SecretBallot rows carry no reference to a voter, no time and a random key;
VoterRoll records only that a delegate has voted on an item. See docs/congress.md."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Organization, Person, Region, User


class Congress(models.Model):
    class Form(models.TextChoices):
        CONGRESS = "congress", _("职工代表大会")
        GENERAL_ASSEMBLY = "general_assembly", _("职工大会")

    enterprise = models.OneToOneField(Organization, models.PROTECT, related_name="congress",
                                      verbose_name=_("企业"))
    # An enterprise group's congress may also speak for member enterprises.
    member_enterprises = models.ManyToManyField(Organization, blank=True, related_name="group_congresses")
    form = models.CharField(_("形式"), max_length=20, choices=Form.choices)
    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职代会")
        verbose_name_plural = _("职代会")

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """届: a congress term of 3–5 years (rule row congress.term_years)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("届满日期"))
    workers = models.PositiveIntegerField(_("职工人数"))
    women_workers = models.PositiveIntegerField(_("女职工人数"))

    class Meta:
        verbose_name = _("届")
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="term_number_once")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.congress} 第{self.number}届"


class Constituency(models.Model):
    """选区: a team, section, workshop or office whose workers elect delegates directly."""

    class Kind(models.TextChoices):
        TEAM = "team", _("班组")
        SECTION = "section", _("工段")
        WORKSHOP = "workshop", _("车间")
        OFFICE = "office", _("科室")
        OTHER = "other", _("其他")

    term = models.ForeignKey(Term, models.CASCADE, related_name="constituencies")
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    workers = models.PositiveIntegerField(_("职工人数"))

    class Meta:
        verbose_name = _("选区")
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="constituency_name_once")]

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        RECALLED = "recalled", _("已罢免")
        LEFT = "left", _("已离任")

    term = models.ForeignKey(Term, models.CASCADE, related_name="delegates")
    person = models.ForeignKey(Person, models.PROTECT, related_name="delegacies")
    constituency = models.ForeignKey(Constituency, models.PROTECT, related_name="delegates")
    elected_on = models.DateField(_("当选日期"))
    votes_for = models.PositiveIntegerField(_("得票"))
    voters = models.PositiveIntegerField(_("选区职工数"))
    frontline = models.BooleanField(_("一线职工"), default=False)
    manager = models.BooleanField(_("中层以上管理人员"), default=False)
    woman = models.BooleanField(_("女职工"), default=False)
    young = models.BooleanField(_("青年职工"), default=False)
    dispatched = models.BooleanField(_("劳务派遣职工"), default=False)
    disabled = models.BooleanField(_("残疾职工"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="replaced_by")

    class Meta:
        verbose_name = _("职工代表")
        verbose_name_plural = _("职工代表")
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], condition=Q(status="active"),
                                    name="delegate_once_per_term"),
        ]

    def __str__(self) -> str:
        return self.person.name


class Committee(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案工作委员会")
        CREDENTIALS = "credentials", _("代表资格审查委员会")
        SUPERVISION = "supervision", _("民主管理监督委员会")
        OTHER = "other", _("其他专门委员会")

    term = models.ForeignKey(Term, models.CASCADE, related_name="committees")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64)
    members = models.ManyToManyField(Delegate, related_name="committees")

    class Meta:
        verbose_name = _("专门委员会")


class Session(models.Model):
    """第N届第M次会议."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("例会")
        INTERIM = "interim", _("临时会议")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        CONVENED = "convened", _("已通知")
        OPEN = "open", _("开会中")
        CLOSED = "closed", _("已闭会")

    term = models.ForeignKey(Term, models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("会次"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("名称"), max_length=128)
    starts_at = models.DateTimeField(_("开会时间"))
    location = models.CharField(_("地点"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    check_in_code = models.CharField(max_length=8, blank=True)
    delegates_total = models.PositiveIntegerField(_("应到代表"), default=0)  # fixed when opened
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("会议")
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_number_once")]
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class InterimRequest(models.Model):
    """A request for an interim session: by the enterprise head, the union, or delegates
    (counted against a third of all delegates)."""

    class By(models.TextChoices):
        ENTERPRISE_HEAD = "enterprise_head", _("企业负责人")
        UNION = "union", _("企业工会")
        DELEGATE = "delegate", _("职工代表")

    term = models.ForeignKey(Term, models.CASCADE, related_name="interim_requests")
    by = models.CharField(_("提议方"), max_length=20, choices=By.choices)
    delegate = models.ForeignKey(Delegate, models.CASCADE, null=True, blank=True)
    reason = models.TextField(_("事由"))
    created_at = models.DateTimeField(auto_now_add=True)
    session = models.ForeignKey(Session, models.SET_NULL, null=True, blank=True, related_name="requests")

    class Meta:
        verbose_name = _("临时会议提议")
        constraints = [
            models.UniqueConstraint(fields=["term", "delegate"], condition=Q(session__isnull=True),
                                    name="one_open_request_per_delegate"),
        ]


class Attendee(models.Model):
    """列席代表: attends without a vote."""

    session = models.ForeignKey(Session, models.CASCADE, related_name="attendees")
    name = models.CharField(_("姓名"), max_length=64)
    affiliation = models.CharField(_("单位职务"), max_length=128, blank=True)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", _("审议通过")
        ADVISE = "advise", _("审议建议")
        ELECT = "elect", _("选举")
        APPRAISE = "appraise", _("民主评议")

    class Matter(models.TextChoices):
        COLLECTIVE_CONTRACT = "collective_contract", _("集体合同草案")
        WORKPLACE_RULES = "workplace_rules", _("劳动规章制度（劳动合同法第四条）")
        WELFARE_FUND = "welfare_fund", _("福利基金使用")
        INSURANCE_CONTRIBUTION = "insurance_contribution", _("住房公积金和社会保险缴费调整")
        MODEL_WORKERS = "model_workers", _("劳动模范推荐")
        BUSINESS_REPORT = "business_report", _("生产经营情况报告")
        WORKER_DIRECTOR = "worker_director", _("职工董事")
        WORKER_SUPERVISOR = "worker_supervisor", _("职工监事")
        COMMITTEE = "committee", _("专门委员会委员")
        MANAGERS = "managers", _("管理人员")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待表决")
        VOTING = "voting", _("表决中")
        CLOSED = "closed", _("已结束")

    session = models.ForeignKey(Session, models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    matter = models.CharField(_("事项"), max_length=30, choices=Matter.choices, default=Matter.OTHER)
    important = models.BooleanField(_("重大事项"), default=False)
    secret = models.BooleanField(_("无记名投票"), default=False)
    seats = models.PositiveSmallIntegerField(_("应选名额"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    round = models.PositiveSmallIntegerField(_("轮次"), default=0)
    # An approve item that recalls a worker director or supervisor (公司法: recall by congress).
    recall_seat = models.ForeignKey("WorkerSeat", models.PROTECT, null=True, blank=True,
                                    related_name="recall_items")

    class Meta:
        verbose_name = _("议程")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["session", "order"], name="item_order_once")]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A candidate of an election item, or a manager appraised in an appraisal item."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, models.PROTECT)
    note = models.CharField(_("简介"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="candidate_once")]


class VotingRound(models.Model):
    """One opening of an item for voting: the first vote, a further round for unfilled seats,
    or a runoff between candidates tied at the last seat."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    candidates = models.ManyToManyField(Candidate, blank=True)
    seats = models.PositiveSmallIntegerField(default=0)
    delegates = models.PositiveIntegerField()  # all delegates of the term: the base of majority
    present = models.PositiveIntegerField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    open_event_seq = models.BigIntegerField(null=True)
    close_event_seq = models.BigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="round_once")]


class VoterRoll(models.Model):
    """That a delegate has voted in a round, and nothing about how. The unique constraint is
    what refuses a second ballot, even from concurrent requests."""

    round = models.ForeignKey(VotingRound, models.CASCADE, related_name="roll")
    delegate = models.ForeignKey(Delegate, models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "delegate"], name="vote_once")]


class SecretBallot(models.Model):
    """A secret ballot: random key, no voter, no time. `receipt` is the voter's commitment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    round = models.ForeignKey(VotingRound, models.CASCADE, related_name="secret_ballots")
    receipt = models.CharField(max_length=64)
    content = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "receipt"], name="receipt_once")]


class OpenBallot(models.Model):
    """A ballot on an open (non-secret) item: who voted how is public to the congress."""

    round = models.ForeignKey(VotingRound, models.CASCADE, related_name="open_ballots")
    delegate = models.ForeignKey(Delegate, models.PROTECT)
    receipt = models.CharField(max_length=64)
    content = models.JSONField()
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "delegate"], name="open_vote_once")]


class CheckIn(models.Model):
    class By(models.TextChoices):
        SELF = "self", _("本人签到")
        SECRETARIAT = "secretariat", _("秘书处代签")

    session = models.ForeignKey(Session, models.CASCADE, related_name="check_ins")
    delegate = models.ForeignKey(Delegate, models.PROTECT, related_name="check_ins")
    by = models.CharField(max_length=12, choices=By.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "delegate"], name="check_in_once")]


class Document(models.Model):
    session = models.ForeignKey(Session, models.CASCADE, related_name="documents")
    item = models.ForeignKey(AgendaItem, models.CASCADE, null=True, blank=True, related_name="documents")
    title = models.CharField(_("标题"), max_length=128)
    file = models.FileField(upload_to="congress/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Resolution(models.Model):
    """决议: what a closed item decided, with its figures and the trail event that proves it."""

    item = models.OneToOneField(AgendaItem, models.PROTECT, related_name="resolution")
    number = models.CharField(_("文号"), max_length=32)
    text = models.TextField(_("决议内容"))
    figures = models.JSONField()
    passed = models.BooleanField(_("通过"))
    event_seq = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")


class Governance(models.Model):
    """Company-law facts of an enterprise that decide which worker seats it needs."""

    class CompanyForm(models.TextChoices):
        LLC = "llc", _("有限责任公司")
        JOINT_STOCK = "joint_stock", _("股份有限公司")
        WHOLLY_STATE_OWNED = "wholly_state_owned", _("国有独资公司")
        OTHER = "other", _("其他")

    enterprise = models.OneToOneField(Organization, models.CASCADE, related_name="governance")
    company_form = models.CharField(_("公司形式"), max_length=20, choices=CompanyForm.choices)
    has_supervisory_board = models.BooleanField(_("设监事会"), default=True)
    audit_committee_replaces_board = models.BooleanField(_("以审计委员会代替监事会"), default=False)
    supervisory_board_size = models.PositiveSmallIntegerField(_("监事会人数"), default=0)


class WorkerSeat(models.Model):
    class Kind(models.TextChoices):
        DIRECTOR = "director", _("职工董事")
        SUPERVISOR = "supervisor", _("职工监事")

    class Status(models.TextChoices):
        SERVING = "serving", _("在任")
        RECALLED = "recalled", _("已罢免")
        ENDED = "ended", _("任期届满")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="worker_seats")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(Person, models.PROTECT, related_name="worker_seats")
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    elected_by = models.ForeignKey(AgendaItem, models.PROTECT, null=True, related_name="seats_filled")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SERVING)
    recalled_by = models.ForeignKey(AgendaItem, models.PROTECT, null=True, blank=True, related_name="seats_recalled")
