"""The three-party evaluation (三位一体评价): indicator sets versioned by year, the scores the
superior federation and the third-party assessor enter, the workers' anonymous survey, and
the computed evaluation of each enterprise with every indicator's facts.

The survey is anonymous like the suggestion box: SurveyAnswer has a random key and no
respondent, no time; SurveyRoll records only that a person has answered (its unique
constraint refuses a second answer)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Organization, Person, Region, User


class IndicatorSet(models.Model):
    """The indicators and weights in force for a year, nationally (region blank) or in a
    region; the lookup takes the most specific region and the latest year on or before."""

    year = models.PositiveSmallIntegerField(_("年度"))
    region_code = models.CharField(_("适用地区"), max_length=6, blank=True, default="")
    name = models.CharField(_("名称"), max_length=128)
    bands = models.JSONField(_("等次"))  # [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]
    survey_questions = models.JSONField(_("测评题目"))  # [{"code": ..., "text": ...}]
    survey_scale = models.PositiveSmallIntegerField(_("测评分级"), default=5)
    survey_minimum = models.PositiveSmallIntegerField(_("测评最少答卷数"), default=5)
    source = models.CharField(_("依据"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评价指标体系")
        verbose_name_plural = _("评价指标体系")
        constraints = [models.UniqueConstraint(fields=["region_code", "year"], name="indicator_set_once")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class Kind(models.TextChoices):
        AUTO = "auto", _("自动指标")
        SCORED = "scored", _("评分指标")

    class Party(models.TextChoices):
        FEDERATION = "federation", _("上级工会")
        WORKERS = "workers", _("职工代表和职工")
        ASSESSOR = "assessor", _("第三方评估机构")

    indicator_set = models.ForeignKey(IndicatorSet, models.CASCADE, related_name="indicators")
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    party = models.CharField(_("评分方"), max_length=12, choices=Party.choices, blank=True)
    weight = models.PositiveSmallIntegerField(_("权重"))
    order = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("评价指标")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_once")]

    def __str__(self) -> str:
        return self.name


class PartyScore(models.Model):
    """A score of the superior federation or of the assessor for one scored indicator of an
    enterprise's year, in tenths of a point out of 100, with the reasons given."""

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="evaluation_scores")
    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("指标"), max_length=40)
    party = models.CharField(_("评分方"), max_length=12, choices=Indicator.Party.choices)
    value_tenths = models.PositiveSmallIntegerField(_("得分（0.1分）"))
    note = models.TextField(_("评分说明"))
    by = models.ForeignKey(User, models.PROTECT)
    entered_at = models.DateTimeField(auto_now=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "code"], name="score_once"),
            models.CheckConstraint(condition=Q(value_tenths__lte=1000), name="score_at_most_100"),
        ]


class Survey(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("测评中")
        CLOSED = "closed", _("已结束")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="evaluation_surveys")
    year = models.PositiveSmallIntegerField(_("年度"))
    questions = models.JSONField(_("测评题目"))  # copied from the indicator set when opened
    scale = models.PositiveSmallIntegerField(_("测评分级"))
    minimum = models.PositiveSmallIntegerField(_("最少答卷数"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("开始日期"))
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("职工满意度测评")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="survey_once_a_year")]


class SurveyRoll(models.Model):
    """That a person has answered a survey, and nothing about how."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="roll")
    person = models.ForeignKey(Person, models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="answer_survey_once")]


class SurveyAnswer(models.Model):
    """An anonymous answer: random key, no respondent, no time. `points` is the sum of
    (rating - 1) over its questions, so a federation's surveys add up in SQL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="answers")
    ratings = models.JSONField()
    points = models.PositiveIntegerField()


class Evaluation(models.Model):
    """The computed evaluation of an enterprise's year: score, grade and the indicator set
    used; each indicator's result with the facts it came from is an EvaluationLine."""

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator_set = models.ForeignKey(IndicatorSet, models.PROTECT, related_name="evaluations")
    score_hundredths = models.PositiveIntegerField(_("得分（0.01分）"))
    grade = models.CharField(_("等次"), max_length=16)
    facts = models.JSONField(_("依据数据"))
    computed_on = models.DateField(_("计算日期"))
    computed_by = models.CharField(max_length=8)  # "single" or "batch": which path wrote it
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="evaluation_once_a_year")]
        indexes = [models.Index(fields=["year", "score_hundredths"], name="evaluation_rank_idx")]


class EvaluationLine(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="lines")
    code = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()
    done = models.BigIntegerField()
    due = models.BigIntegerField()
    share_permille = models.SmallIntegerField()  # -1: nothing to judge
    points_hundredths = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="line_once")]
