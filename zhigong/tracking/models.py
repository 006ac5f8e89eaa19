"""Decision tracking (决策可追踪): the carrying-out plan of a congress resolution, its weighted
measures and their dated progress entries with evidence, and bulk imports of progress.

Accepted proposals are tracked with participation's own rows (Proposal.progress,
ProgressUpdate, ProposalFile): this app reads them, it does not copy them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Department, Organization, Region, User
from zhigong.democracy.models import Resolution


class Plan(models.Model):
    """落实计划: who answers for a passed resolution and by when; its progress is rolled up from
    its measures (rules.rolled_up_progress) by every action that changes one."""

    resolution = models.OneToOneField(Resolution, models.PROTECT, related_name="tracking_plan")
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="tracking_plans")
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("牵头部门"))
    due_on = models.DateField(_("落实期限"))
    progress = models.PositiveSmallIntegerField(_("落实进度"), default=0)
    carried_out_on = models.DateField(_("落实完成日期"), null=True, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("落实计划")
        verbose_name_plural = _("落实计划")
        indexes = [models.Index(fields=["enterprise", "due_on"], name="tracking_plan_due_idx")]

    def __str__(self) -> str:
        return str(self.resolution.number)


class Measure(models.Model):
    """落实措施: one part of a resolution's carrying-out, with its weight in the roll-up."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("措施"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("责任部门"))
    due_on = models.DateField(_("完成期限"))
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("落实措施")
        verbose_name_plural = _("落实措施")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="measure_number_once")]
        indexes = [models.Index(fields=["due_on", "progress"], name="tracking_measure_due_idx")]

    def __str__(self) -> str:
        return self.title


class ImportBatch(models.Model):
    """A spreadsheet of progress written at once: one trail event with the digest of its rows.
    A file of measures or one of accepted proposals (whose rows also leave, each, the same
    participation event as a report made by hand)."""

    class Kind(models.TextChoices):
        MEASURES = "measures", _("决议措施")
        PROPOSALS = "proposals", _("提案")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.MEASURES)
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="tracking_imports")
    by = models.ForeignKey(User, models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the canonical JSON of the entries written
    event_seq = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进度导入")
        verbose_name_plural = _("进度导入")


class Entry(models.Model):
    """进度记录: a dated percent of a measure with what was done; lower than the one before only
    with a reason. `event_seq` is the trail event that proves it: its own, or its import's."""

    measure = models.ForeignKey(Measure, models.CASCADE, related_name="entries")
    on = models.DateField(_("日期"))
    percent = models.PositiveSmallIntegerField(_("进度"))
    previous = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("进展情况"))
    reason = models.TextField(_("进度下调原因"), blank=True)
    by = models.ForeignKey(User, models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, models.PROTECT, null=True, blank=True, related_name="entries")
    event_seq = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进度记录")
        verbose_name_plural = _("进度记录")
        ordering = ["on", "id"]


class Evidence(models.Model):
    """落实佐证: a file checked by core.files.check_document, served only through the policy."""

    entry = models.ForeignKey(Entry, models.CASCADE, related_name="files")
    title = models.CharField(_("标题"), max_length=128)
    file = models.FileField(upload_to="tracking/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    event_seq = models.BigIntegerField(null=True)
