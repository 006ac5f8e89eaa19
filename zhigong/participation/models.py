"""Workers' voice: proposals to the congress (提案), improvement suggestions (合理化建议) and the
anonymous suggestion box (意见箱).

The box stores no identity: no user, no address, no session, no time finer than the day, and
random keys so that not even row order tells when something arrived."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Department, Organization, Person, Region, User
from zhigong.democracy.models import Congress, Delegate, Session


class Category(models.TextChoices):
    WAGES = "wages", _("工资分配")
    SAFETY = "safety", _("安全生产")
    WELFARE = "welfare", _("生活福利")
    TRAINING = "training", _("教育培训")
    MANAGEMENT = "management", _("企业管理")
    RIGHTS = "rights", _("劳动权益")
    OTHER = "other", _("其他")


class ProposalWindow(models.Model):
    """The collection window of a session's proposals, set by the congress."""

    session = models.OneToOneField(Session, models.CASCADE, related_name="proposal_window")
    opens_on = models.DateField(_("征集开始"))
    closes_on = models.DateField(_("征集截止"))


class Proposal(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        UNDER_REVIEW = "under_review", _("审查中")
        ACCEPTED = "accepted", _("已立案")
        CONVERTED = "converted", _("转为意见建议")
        ASSIGNED = "assigned", _("已交办")
        ANSWERED = "answered", _("已答复")
        CARRYING_OUT = "carrying_out", _("落实中")
        CARRIED_OUT = "carried_out", _("已落实")
        CLOSED = "closed", _("已办结")
        MERGED = "merged", _("已并案")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        NOT_SATISFIED = "not_satisfied", _("不满意")

    congress = models.ForeignKey(Congress, models.PROTECT, related_name="proposals")
    session = models.ForeignKey(Session, models.PROTECT, related_name="proposals")
    number = models.CharField(_("编号"), max_length=20, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    cause = models.TextField(_("理由"))
    measures = models.TextField(_("措施建议"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    state = models.CharField(_("状态"), max_length=14, choices=State.choices, default=State.DRAFT)
    proposer = models.ForeignKey(Delegate, models.PROTECT, related_name="proposals")
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="merged")
    committee_reason = models.TextField(_("审查意见"), blank=True)
    lead_department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True,
                                        related_name="lead_proposals")
    co_departments = models.ManyToManyField(Department, blank=True, related_name="co_proposals")
    assigned_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    planned_measures = models.TextField(_("落实措施"), blank=True)
    answered_on = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("落实进度"), default=0)
    second_answer_used = models.BooleanField(default=False)
    rating = models.CharField(_("满意度"), max_length=20, choices=Rating.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    overdue_notified = models.CharField(max_length=32, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        indexes = [
            models.Index(fields=["congress", "state"], name="proposal_state_idx"),
            models.Index(fields=["lead_department", "due_on"], name="proposal_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalSigner(models.Model):
    class Role(models.TextChoices):
        PROPOSER = "proposer", _("提案人")
        COSIGNER = "cosigner", _("附议人")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="signers")
    delegate = models.ForeignKey(Delegate, models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=10, choices=Role.choices)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "delegate"], name="sign_once")]


class ProgressUpdate(models.Model):
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="updates")
    on = models.DateField(_("日期"))
    percent = models.PositiveSmallIntegerField(_("进度"))
    note = models.TextField(_("进展情况"))
    by = models.ForeignKey(User, models.PROTECT)


class ProposalFile(models.Model):
    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("附件")
        EVIDENCE = "evidence", _("落实佐证")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="files")
    update = models.ForeignKey(ProgressUpdate, models.CASCADE, null=True, blank=True, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=128)
    file = models.FileField(upload_to="proposals/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, models.PROTECT)


class Suggestion(models.Model):
    """合理化建议: from any worker, about production, safety, cost or technology."""

    class Topic(models.TextChoices):
        PRODUCTION = "production", _("生产")
        SAFETY = "safety", _("安全")
        COST = "cost", _("降本增效")
        TECHNOLOGY = "technology", _("技术革新")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ADOPTED = "adopted", _("已采纳")
        REJECTED = "rejected", _("未采纳")
        IMPLEMENTED = "implemented", _("已实施")
        REWARDED = "rewarded", _("已奖励")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="suggestions")
    submitter = models.ForeignKey(Person, models.PROTECT, related_name="suggestions")
    team = models.CharField(_("班组"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    topic = models.CharField(_("类别"), max_length=12, choices=Topic.choices)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    review_reason = models.TextField(_("评审意见"), blank=True)
    benefit_fen = models.BigIntegerField(_("经济效益（分）"), default=0)
    reward_fen = models.BigIntegerField(_("奖励（分）"), default=0)
    submitted_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    implemented_on = models.DateField(null=True, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("合理化建议")
        verbose_name_plural = _("合理化建议")


class BoxSettings(models.Model):
    """An enterprise's suggestion box: its public address and answer limit."""

    enterprise = models.OneToOneField(Organization, models.CASCADE, related_name="box")
    slug = models.CharField(max_length=16, unique=True)
    answer_days = models.PositiveSmallIntegerField(_("答复时限（天）"), default=15)


class BoxMessage(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    box = models.ForeignKey(BoxSettings, models.CASCADE, related_name="messages")
    received_on = models.DateField()  # the day only
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    text = models.TextField(_("内容"))
    consent_public = models.BooleanField(_("同意公开原文"), default=False)
    follow_up_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    due_on = models.DateField()
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(null=True, blank=True)
    public = models.BooleanField(_("在答复公开栏展示"), default=False)


class BoxReply(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    message = models.ForeignKey(BoxMessage, models.CASCADE, related_name="replies")
    from_sender = models.BooleanField()
    text = models.TextField()
    on = models.DateField()
    number = models.PositiveSmallIntegerField()  # order within the thread

    class Meta:
        ordering = ["number"]


class BoxPhoto(models.Model):
    """Re-encoded on upload, so no EXIF (camera, place, time) survives."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    message = models.ForeignKey(BoxMessage, models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="box/")
    size = models.PositiveIntegerField()


class BoxDigest(models.Model):
    """One trail event per box per day for what arrived, instead of one per message, so the
    trail's order cannot time a sender."""

    box = models.ForeignKey(BoxSettings, models.CASCADE, related_name="digests")
    day = models.DateField()
    count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    event_seq = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "day"], name="digest_once_a_day")]
