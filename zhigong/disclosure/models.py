"""厂务公开: each enterprise's catalogue of disclosure matters, its publications (immutable once
published; a correction is a new version linking the one it corrects), their attachments, the
workers' acknowledgements and questions, and the reminders already sent.

Publications never change after they are written: save() refuses an update, and the actions
write no UPDATE on them. See docs/disclosure.md."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Department, Organization, Region, User
from zhigong.democracy.models import AgendaItem, Resolution, Session


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    ON_EVENT = "on_event", _("发生时")
    BEFORE_VOTE = "before_vote", _("职代会表决前")


class Audience(models.TextChoices):
    WORKERS = "workers", _("全体职工")
    DELEGATES = "delegates", _("职工代表")
    MANAGERS = "managers", _("中层以上管理人员")


class Category(models.TextChoices):
    OPERATIONS = "operations", _("生产经营和财务")
    EMPLOYMENT = "employment", _("招用和劳动合同")
    RULES = "rules", _("集体合同和规章制度")
    PAY = "pay", _("工资和奖惩")
    SAFETY = "safety", _("安全生产")
    INSURANCE = "insurance", _("社会保险和福利")
    TRAINING = "training", _("教育培训")
    DISPUTES = "disputes", _("劳动争议")
    CONGRESS = "congress", _("职代会")
    OTHER = "other", _("其他")


class Matter(models.Model):
    """公开事项: one line of an enterprise's catalogue. National defaults (rule row
    disclosure.default_matters) are copied in with `default=True` and stay mandatory."""

    enterprise = models.ForeignKey(Organization, models.CASCADE, related_name="disclosure_matters",
                                   verbose_name=_("企业"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    frequency = models.CharField(_("公开频次"), max_length=12, choices=Frequency.choices)
    audience = models.CharField(_("公开范围"), max_length=10, choices=Audience.choices, default=Audience.WORKERS)
    department = models.ForeignKey(Department, models.SET_NULL, null=True, blank=True,
                                   related_name="disclosure_matters", verbose_name=_("责任部门"))
    mandatory = models.BooleanField(_("必须公开"), default=False)
    default = models.BooleanField(_("全国默认事项"), default=False)
    # The agenda matter of the congress this disclosure must precede (AgendaItem.Matter).
    congress_matter = models.CharField(_("对应职代会事项"), max_length=30, blank=True,
                                       choices=AgendaItem.Matter.choices)
    rule_row = models.IntegerField(null=True, blank=True, editable=False)  # where a default came from
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="disclosure_matter_code_once")]

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """A disclosure as published: text, an optional simple table and attachments. `previous` is
    the version this one corrects (with `reason`); the first version's day is what compliance
    counts."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("定期")
        EVENT = "event", _("事件")
        VOTE = "vote", _("表决前")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="disclosures")
    matter = models.ForeignKey(Matter, models.PROTECT, related_name="publications", verbose_name=_("公开事项"))
    kind = models.CharField(max_length=6, choices=Kind.choices)
    period = models.CharField(_("期间"), max_length=24)
    due_on = models.DateField(_("应公开日期"))
    session = models.ForeignKey(Session, models.PROTECT, null=True, blank=True, related_name="disclosures")
    resolution = models.OneToOneField(Resolution, models.PROTECT, null=True, blank=True, related_name="disclosure")
    audience = models.CharField(_("公开范围"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    table = models.JSONField(_("表格"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="correction")
    reason = models.TextField(_("更正原因"), blank=True)
    published_on = models.DateField(_("公开日期"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    event_seq = models.BigIntegerField(null=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        indexes = [
            models.Index(fields=["enterprise", "published_on"], name="disclosure_ent_day_idx"),
            models.Index(fields=["matter", "period"], name="disclosure_matter_period_idx"),
        ]
        constraints = [
            # A period or a session's matter is published once; later versions are corrections.
            models.UniqueConstraint(fields=["matter", "period"], condition=Q(previous__isnull=True) & ~Q(kind="event"),
                                    name="disclosure_period_once"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A publication is never changed once published; publish a correction instead.")
        super().save(*args, **kwargs)


class PublicationFile(models.Model):
    publication = models.ForeignKey(Publication, models.PROTECT, related_name="files")
    title = models.CharField(_("文件名"), max_length=128)
    file = models.FileField(upload_to="disclosures/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class Acknowledgement(models.Model):
    """已阅: a reader confirms having read a publication (once)."""

    publication = models.ForeignKey(Publication, models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(User, models.CASCADE, related_name="disclosure_acknowledgements")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "user"], name="acknowledge_once")]


class Question(models.Model):
    """A reader's question about a publication; the matter's responsible department answers."""

    publication = models.ForeignKey(Publication, models.CASCADE, related_name="questions")
    asker = models.ForeignKey(User, models.PROTECT, related_name="disclosure_questions")
    text = models.TextField(_("问题"))
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公开信息提问")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["publication", "answered_at"], name="disclosure_question_idx")]


class Reminder(models.Model):
    """That the reminder for an obligation, so many days before its due day, went out: the
    remind job runs daily and more than once without sending twice."""

    enterprise = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    matter_code = models.CharField(max_length=40)
    period = models.CharField(max_length=24)
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "matter_code", "period", "days_before"],
                                               name="disclosure_remind_once")]
