"""The workers' mutual-aid fund (互助互济): plans and their yearly versions with benefit rule
rows, linked county/city/province pools, enrolments and coverage (the electronic roster),
contribution notices and payments, claims with their reviews and documents, and payment
batches to the bank.

Money is integer fen. Every large table carries the 6-digit region code of its owner (the
county of the enterprise) so it can be partitioned or distributed by region (docs/scaling.md).
Money moves only through ledger entries (zhigong.ledger); the rows here keep the reference of
the entry that recorded each step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Organization, Person

# --- Plans ---------------------------------------------------------------------------------------


class Plan(models.Model):
    """A guarantee plan (保障计划) offered by a federation. What it pays lives in its versions."""

    class Kind(models.TextChoices):
        HOSPITAL_ALLOWANCE = "hospital_allowance", _("住院津贴")
        HOSPITAL_COST = "hospital_cost", _("住院医疗费用分担")
        CRITICAL_ILLNESS = "critical_illness", _("重大疾病")
        WOMEN_ILLNESS = "women_illness", _("女职工特殊疾病")
        ACCIDENT = "accident", _("意外伤害")
        PENSION_SUPPLEMENT = "pension_supplement", _("养老补充")

    code = models.SlugField(_("计划代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    owner = models.ForeignKey(Organization, models.PROTECT, related_name="aid_plans",
                              verbose_name=_("主办总工会"), null=True, blank=True)  # null: national example
    region_code = models.CharField(_("地区"), max_length=6, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保障计划")
        verbose_name_plural = _("保障计划")

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """One version of a plan, valid for coverage periods starting from `effective_from` until
    the next version. Published versions are never edited: next year's version is a new row, so
    it never changes this year's coverage (a coverage keeps the version it was enrolled under)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="versions")
    label = models.CharField(_("版本"), max_length=40)  # e.g. "2026年度"
    effective_from = models.DateField(_("适用于起始日在此日期之后的保障期"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    text = models.TextField(_("保障条款"), help_text=_("说明每个数字如何适用，例如每天50元从第几天起算。"))
    period_months = models.PositiveSmallIntegerField(_("保障期（月）"), default=12)
    price_fen = models.BigIntegerField(_("每份价格（分）"))
    # Eligibility
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=16)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), default=60)
    requires_membership = models.BooleanField(_("须为工会会员"), default=True)
    requires_medical_insurance = models.BooleanField(_("须参加职工医保"), default=True)
    employment_forms = models.JSONField(_("适用用工形式"), default=list, blank=True)  # empty: all
    women_only = models.BooleanField(_("仅限女职工"), default=False)
    max_shares = models.PositiveSmallIntegerField(_("每人最多份数"), default=1)
    # Waiting period for new enrolees (not again on an unbroken renewal; never for accidents).
    waiting_days = models.PositiveSmallIntegerField(_("新参保等待期（天）"), default=90)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("计划版本")
        verbose_name_plural = _("计划版本")
        constraints = [models.UniqueConstraint(fields=["plan", "effective_from"], name="plan_version_once")]
        ordering = ["plan", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.plan.name} {self.label}"


class BenefitRule(models.Model):
    """A benefit rule row of a plan version (the plan's own rule table). `code` names the rule
    (e.g. per_day, min_stay_days, claim_cap, year_cap, deductible, ratio, listed_disease,
    class_sum, family_sum, early_illness), `amount_fen` / `params` hold its figures and `note`
    says in Chinese how it is applied. rules.py reads these as plain dataclasses."""

    version = models.ForeignKey(PlanVersion, models.CASCADE, related_name="benefit_rules")
    code = models.CharField(_("规则"), max_length=40)
    key = models.CharField(_("细目"), max_length=64, blank=True, default="")  # disease, class, grade
    amount_fen = models.BigIntegerField(_("金额（分）"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    note = models.CharField(_("适用说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("给付规则")
        verbose_name_plural = _("给付规则")
        constraints = [models.UniqueConstraint(fields=["version", "code", "key"], name="benefit_rule_once")]


# --- Pools ---------------------------------------------------------------------------------------


class Pool(models.Model):
    """A fund pool (资金池) of a federation at county, city or province level, for one plan or a
    group of plans. Claims are paid from the lowest pool of the worker's enterprise; a shortfall
    is drawn from `parent` (the level above) as a recorded transfer."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")

    federation = models.ForeignKey(Organization, models.PROTECT, related_name="aid_pools",
                                   verbose_name=_("所属总工会"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)
    plans = models.ManyToManyField(Plan, related_name="pools", verbose_name=_("适用计划"))
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级资金池"))
    region_code = models.CharField(_("地区"), max_length=6, db_index=True)
    book = models.OneToOneField("ledger.Book", models.PROTECT, null=True, blank=True, related_name="aid_pool",
                                verbose_name=_("账套"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金池")
        verbose_name_plural = _("资金池")

    def __str__(self) -> str:
        return self.name


class PoolTransfer(models.Model):
    """Money drawn from a higher pool to cover a lower pool's shortfall (automatic below the
    threshold rule row, approved above it), or a share of contributions passed upwards."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待批准")
        POSTED = "posted", _("已划拨")
        REFUSED = "refused", _("已拒绝")

    source = models.ForeignKey(Pool, models.PROTECT, related_name="transfers_out", verbose_name=_("调出资金池"))
    target = models.ForeignKey(Pool, models.PROTECT, related_name="transfers_in", verbose_name=_("调入资金池"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reason = models.CharField(_("事由"), max_length=255)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REQUESTED)
    automatic = models.BooleanField(_("自动划拨"), default=False)
    claim = models.ForeignKey("Claim", models.PROTECT, null=True, blank=True, related_name="transfers")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=255, blank=True)
    # The two sides of a posted transfer: out of the source pool's book, into the target's.
    entry_out = models.ForeignKey("ledger.Entry", models.PROTECT, null=True, blank=True, related_name="+")
    entry_in = models.ForeignKey("ledger.Entry", models.PROTECT, null=True, blank=True, related_name="+")
    region_code = models.CharField(_("地区"), max_length=6)

    class Meta:
        verbose_name = _("资金池调拨")
        verbose_name_plural = _("资金池调拨")
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="pool_transfer_positive")]


# --- Enrolment and roster (电子基础台账) -------------------------------------------------------------


class Enrolment(models.Model):
    """An enterprise's collective participation in a plan version for one coverage period."""

    class State(models.TextChoices):
        ACTIVE = "active", _("保障中")
        SUSPENDED = "suspended", _("欠费暂停")
        ENDED = "ended", _("已终止")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="aid_enrolments",
                                   verbose_name=_("企业"))
    union = models.ForeignKey(Organization, models.PROTECT, related_name="+", null=True, blank=True,
                              verbose_name=_("企业工会"))
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="enrolments")
    pool = models.ForeignKey(Pool, models.PROTECT, related_name="enrolments", verbose_name=_("资金池"))
    starts_on = models.DateField(_("保障期起"))
    ends_on = models.DateField(_("保障期止"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    renewed_from = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="renewal")
    region_code = models.CharField(_("地区"), max_length=6, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业参保")
        verbose_name_plural = _("企业参保")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "version", "starts_on"], name="enrolment_once"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="enrolment_dates"),
        ]


class Coverage(models.Model):
    """One worker's coverage under an enrolment: from `starts_on`, claimable for illness from
    `waiting_ends_on` (the start itself on an unbroken renewal), until `ends_on` (the end of the
    paid period when the worker leaves)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("保障中")
        SUSPENDED = "suspended", _("欠费暂停")
        ENDED = "ended", _("已终止")

    class EndReason(models.TextChoices):
        LEFT = "left", _("离职")
        MOVED = "moved", _("调动转出")

    enrolment = models.ForeignKey(Enrolment, models.PROTECT, related_name="coverages")
    person = models.ForeignKey(Person, models.PROTECT, related_name="aid_coverages")
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="+")
    shares = models.PositiveSmallIntegerField(_("份数"), default=1)
    monthly_wage_fen = models.BigIntegerField(_("月工资（分）"), null=True, blank=True)
    employment_start = models.DateField(_("入职日期"), null=True, blank=True)
    hardship = models.BooleanField(_("困难职工（个人部分由工会承担）"), default=False)
    medical_insured = models.BooleanField(_("参加职工医保"), default=True, db_default=True)
    starts_on = models.DateField(_("保障起始日"))
    waiting_ends_on = models.DateField(_("等待期满日"))
    ends_on = models.DateField(_("保障终止日"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    renewed_from = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="renewal")
    left_on = models.DateField(_("离职（转出）日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=8, choices=EndReason.choices, blank=True, default="")
    region_code = models.CharField(_("地区"), max_length=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职工保障")
        verbose_name_plural = _("职工保障")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "person"], name="coverage_once_per_enrolment"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="coverage_dates"),
        ]
        indexes = [
            models.Index(fields=["person", "starts_on"], name="coverage_person_idx"),
            models.Index(fields=["region_code", "enterprise"], name="coverage_region_idx"),
        ]


class RosterUpload(models.Model):
    """An uploaded roster file and what its check found; imported only when clean, or when
    the uploader chose to import the clean rows."""

    class State(models.TextChoices):
        CHECKED = "checked", _("已校验")
        IMPORTED = "imported", _("已导入")
        PARTIAL = "partial", _("已导入无误行")
        DISCARDED = "discarded", _("已放弃")

    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    file = models.FileField(upload_to="mutualaid/rosters/%Y/%m/")
    digest = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{row, column, message}] (first N kept)
    imported_rows = models.PositiveIntegerField(default=0)
    starts_on = models.DateField(_("保障起始日"), null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # counts by outcome and plan
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKED)
    region_code = models.CharField(max_length=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("花名册上传")
        verbose_name_plural = _("花名册上传")


# --- Contributions ---------------------------------------------------------------------------------


class Invoice(models.Model):
    """A contribution notice (缴费通知单) of an enterprise for an enrolment's period."""

    class State(models.TextChoices):
        ISSUED = "issued", _("待缴费")
        PARTIAL = "partial", _("部分缴费")
        PAID = "paid", _("已缴清")
        CANCELLED = "cancelled", _("已作废")

    number = models.CharField(_("通知单号（缴费附言）"), max_length=32, unique=True)
    enrolment = models.ForeignKey(Enrolment, models.PROTECT, related_name="invoices")
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    period_start = models.DateField(_("费款所属期起"))
    period_end = models.DateField(_("费款所属期止"))
    issued_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("缴费期限"))
    grace_until = models.DateField(_("宽限期至"))
    total_fen = models.BigIntegerField(_("应缴合计（分）"), default=0)
    enterprise_fen = models.BigIntegerField(_("企业承担（分）"), default=0)
    worker_fen = models.BigIntegerField(_("职工承担（分）"), default=0)
    union_fen = models.BigIntegerField(_("工会补贴（分）"), default=0)
    paid_fen = models.BigIntegerField(_("已缴（分）"), default=0)  # credit applied included
    credit_applied_fen = models.BigIntegerField(_("上期结余抵扣（分）"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ISSUED)
    # The profit band and price used, as the rule rows cited (the lines keep their own steps).
    basis = models.JSONField(_("计费依据"), default=dict, blank=True)
    # True while this notice's arrears keep its enrolment suspended.
    suspended = models.BooleanField(_("因欠费暂停保障"), default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    region_code = models.CharField(_("地区"), max_length=6, db_index=True)

    class Meta:
        verbose_name = _("缴费通知单")
        verbose_name_plural = _("缴费通知单")


class InvoiceLine(models.Model):
    """One worker's line of a notice with its computation (price × profit-band factor + wage
    part, split among enterprise, worker and union) kept as text and figures."""

    invoice = models.ForeignKey(Invoice, models.CASCADE, related_name="lines")
    coverage = models.ForeignKey(Coverage, models.PROTECT, related_name="invoice_lines")
    shares = models.PositiveSmallIntegerField(default=1)
    base_fen = models.BigIntegerField(default=0)
    wage_part_fen = models.BigIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0)
    enterprise_fen = models.BigIntegerField(default=0)
    worker_fen = models.BigIntegerField(default=0)
    union_fen = models.BigIntegerField(default=0)
    explanation = models.TextField(blank=True)
    rules_used = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("缴费明细")
        verbose_name_plural = _("缴费明细")
        constraints = [models.UniqueConstraint(fields=["invoice", "coverage"], name="invoice_line_once")]


class ContributionPayment(models.Model):
    """Money received against a notice: recorded by hand or matched from a bank statement."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工登记")
        STATEMENT = "statement", _("银行流水导入")

    invoice = models.ForeignKey(Invoice, models.PROTECT, related_name="payments")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    credit_fen = models.BigIntegerField(_("多缴转为企业结余（分）"), default=0)  # part of amount_fen
    paid_on = models.DateField(_("到账日期"))
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    payer = models.CharField(_("付款人"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="contribution_payment_positive"),
            # A bank statement row is matched once, however often the statement is imported.
            models.UniqueConstraint(fields=["bank_reference"], condition=~Q(bank_reference=""),
                                    name="contribution_statement_row_once"),
        ]


# --- Claims --------------------------------------------------------------------------------------


class Claim(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        FIRST_APPROVED = "first_approved", _("初审通过，待复审")
        APPROVED = "approved", _("已核准，待支付")
        REJECTED = "rejected", _("未通过")
        APPEALED = "appealed", _("申诉中")
        IN_BATCH = "in_batch", _("支付中")
        PAID = "paid", _("已支付")
        PAYMENT_FAILED = "payment_failed", _("支付失败，待重付")

    class Channel(models.TextChoices):
        WORKER = "worker", _("职工本人")
        UNION = "union", _("企业工会代办")

    class HospitalGrade(models.TextChoices):
        GRADE_1 = "1", _("一级及以下")
        GRADE_2 = "2", _("二级")
        GRADE_3 = "3", _("三级")

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    person = models.ForeignKey(Person, models.PROTECT, related_name="aid_claims")
    coverage = models.ForeignKey(Coverage, models.PROTECT, related_name="claims")
    version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    pool = models.ForeignKey(Pool, models.PROTECT, related_name="claims")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    channel = models.CharField(_("提交方式"), max_length=8, choices=Channel.choices)
    # The event
    event_on = models.DateField(_("出险日期"))
    admitted_on = models.DateField(_("入院日期"), null=True, blank=True)
    discharged_on = models.DateField(_("出院日期"), null=True, blank=True)
    hospital_grade = models.CharField(_("医院等级"), max_length=1, choices=HospitalGrade.choices, blank=True)
    diagnosis = models.CharField(_("诊断"), max_length=200, blank=True)
    disease_key = models.CharField(_("所患病种"), max_length=64, blank=True)  # a listed disease or class
    is_accident = models.BooleanField(_("意外事故"), default=False)
    family_member = models.BooleanField(_("家属"), default=False)
    total_cost_fen = models.BigIntegerField(_("医疗费用总额（分）"), default=0)
    self_paid_fen = models.BigIntegerField(_("目录内自付部分（分）"), default=0)
    # The invoice numbers of the cost lines, sorted and comma-joined (duplicate checks search it).
    invoice_no = models.CharField(_("发票号"), max_length=255, blank=True, db_index=True)
    # One line per invoice: {"invoice_no", "total_fen", "self_paid_fen"}; the two sums above add them.
    cost_lines = models.JSONField(_("费用明细"), default=list, blank=True)
    # Bank account, encrypted like ID numbers (zhigong.core.crypto).
    bank_name = models.CharField(_("开户行"), max_length=100)
    account_holder = models.CharField(_("户名"), max_length=50)
    account_cipher = models.BinaryField()
    account_index = models.CharField(max_length=64, db_index=True)
    account_masked = models.CharField(_("账号"), max_length=40)
    # Adjudication
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    computed_fen = models.BigIntegerField(_("核定金额（分）"), null=True, blank=True)
    approved_fen = models.BigIntegerField(_("批准金额（分）"), null=True, blank=True)
    explanation = models.JSONField(_("计算过程"), default=list, blank=True)
    # The approved amount by benefit component (rules_claims.COMPONENTS) and the fixed-sum key
    # paid, which later claims of the same coverage count against their caps.
    components = models.JSONField(_("给付构成"), default=dict, blank=True)
    fixed_key = models.CharField(max_length=80, blank=True)
    # The pool book's claim payable entry (Dr 6401 互助金支出 / Cr 2241 应付互助金) of the approval.
    entry = models.ForeignKey("ledger.Entry", models.PROTECT, null=True, blank=True, related_name="+")
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)  # possible duplicates etc.
    appealed = models.BooleanField(_("已申诉"), default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    region_code = models.CharField(_("地区"), max_length=6)

    class Meta:
        verbose_name = _("互助金申请")
        verbose_name_plural = _("互助金申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(admitted_on__isnull=True)
                | Q(discharged_on__gte=models.F("admitted_on")),
                name="claim_discharge_after_admission"),
            models.CheckConstraint(condition=Q(total_cost_fen__gte=0) & Q(self_paid_fen__gte=0),
                                   name="claim_amounts_not_negative"),
        ]
        indexes = [
            models.Index(fields=["person", "event_on"], name="claim_person_idx"),
            models.Index(fields=["region_code", "state"], name="claim_region_state_idx"),
        ]


class ClaimDocument(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("医疗发票")
        DISCHARGE = "discharge", _("出院小结")
        ID_CARD = "id_card", _("身份证")
        CERTIFICATE = "certificate", _("诊断证明")
        OTHER = "other", _("其他")

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to="mutualaid/claims/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ClaimReview(models.Model):
    """One decision on a claim: first review, second review (above the amount threshold),
    or the appeal review."""

    class Stage(models.TextChoices):
        FIRST = "first", _("初审")
        SECOND = "second", _("复审")
        APPEAL = "appeal", _("申诉复核")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("通过")
        REJECT = "reject", _("不通过")

    claim = models.ForeignKey(Claim, models.CASCADE, related_name="reviews")
    stage = models.CharField(max_length=8, choices=Stage.choices)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


# --- Electronic payment ----------------------------------------------------------------------------


class PaymentBatch(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待导出")
        EXPORTED = "exported", _("已导出，待回盘")
        SETTLED = "settled", _("已回盘")

    number = models.CharField(_("批次号"), max_length=32, unique=True)
    pool = models.ForeignKey(Pool, models.PROTECT, related_name="payment_batches")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    export_count = models.PositiveIntegerField(default=0)
    settled_at = models.DateTimeField(null=True, blank=True)
    total_fen = models.BigIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = _("支付批次")
        verbose_name_plural = _("支付批次")


class Payout(models.Model):
    """One claim's payment in a batch. A claim has at most one live payout (pending, exported
    or paid): a failed one frees the claim to go into a new batch."""

    class State(models.TextChoices):
        PENDING = "pending", _("待导出")
        EXPORTED = "exported", _("已发送银行")
        PAID = "paid", _("已支付")
        FAILED = "failed", _("支付失败")

    batch = models.ForeignKey(PaymentBatch, models.PROTECT, related_name="payouts")
    claim = models.ForeignKey(Claim, models.PROTECT, related_name="payouts")
    reference = models.CharField(_("支付流水号"), max_length=40, unique=True)
    amount_fen = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    bank_reason = models.CharField(_("银行返回原因"), max_length=200, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    bank_day = models.DateField(_("银行处理日期"), null=True, blank=True)
    # The pool book's entry of the payment (Dr 2241 应付互助金 / Cr 1002 银行存款); none when failed.
    entry = models.ForeignKey("ledger.Entry", models.PROTECT, null=True, blank=True, related_name="+")
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = _("支付明细")
        verbose_name_plural = _("支付明细")
        constraints = [
            models.UniqueConstraint(fields=["claim"], condition=~Q(state="failed"), name="payout_one_live_per_claim"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payout_positive"),
        ]
