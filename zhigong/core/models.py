"""Core tables: regions, the organization tree, people, employment, membership, accounts and
roles. Large tables carry their owner's 6-digit region code (docs/scaling.md)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.rules import mask_id_number


class Region(models.Model):
    """GB/T 2260 administrative division (province / city / county)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, related_name="children")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Organization(models.Model):
    """One tree: federations (national → province → city → county), enterprises under them,
    and each enterprise's union under its enterprise. `path` is a materialized path
    ("/1/5/42/") so that "this organization and everything below it" is one indexed prefix."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", _("总工会")
        ENTERPRISE = "enterprise", _("企业")
        ENTERPRISE_UNION = "enterprise_union", _("企业工会")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, blank=True)
    name = models.CharField(_("名称"), max_length=128)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("上级组织"),
    )
    path = models.CharField(max_length=255, editable=False, db_collation=None)
    region = models.ForeignKey(
        Region, models.PROTECT, db_column="region_code", verbose_name=_("所在地区"),
    )
    federation = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="enterprise_unions",
        verbose_name=_("所属总工会"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True,
    )
    industry = models.CharField(_("行业"), max_length=64, blank=True)
    employee_count = models.PositiveIntegerField(_("职工人数"), default=0)
    # Current union members in this organization and everything below it; maintained by the
    # membership actions (one UPDATE over the ancestors) so that lists never count 1M rows.
    member_count = models.PositiveIntegerField(_("会员人数"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"]),
            # varchar_pattern_ops serves prefix matches but not ORDER BY path (lists page by it).
            models.Index(fields=["path"], name="org_path_order_idx"),
            models.Index(fields=["kind", "region"], name="org_kind_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="federation") | Q(parent__isnull=False), name="org_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class EnterpriseProfit(models.Model):
    """An enterprise's yearly profit (negative for a loss), the base of contribution bands."""

    enterprise = models.ForeignKey(Organization, models.CASCADE, related_name="profits")
    year = models.PositiveSmallIntegerField(_("年度"))
    profit_fen = models.BigIntegerField(_("利润（分）"))

    class Meta:
        verbose_name = _("企业年度利润")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="profit_once_a_year"),
        ]


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=64)
    id_number_encrypted = models.BinaryField(_("身份证号（密文）"))
    id_number_index = models.CharField(max_length=64, unique=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    id_last4 = models.CharField(max_length=4, db_index=True)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, db_index=True)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")
    # Path of the organization that holds this person now (current employer, else union,
    # else the organization that registered them): the policy scopes people by this prefix.
    scope_path = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            models.Index(
                fields=["scope_path", "id"], name="person_scope_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"

    @staticmethod
    def masked(number: str) -> str:
        return mask_id_number(number)


class Employment(models.Model):
    class Form(models.TextChoices):
        LABOUR_CONTRACT = "labour_contract", _("劳动合同")
        DISPATCHED = "dispatched", _("劳务派遣")
        FLEXIBLE = "flexible", _("灵活就业")
        PLATFORM = "platform", _("平台就业")
        PART_TIME = "part_time", _("非全日制")

    person = models.ForeignKey(Person, models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(Organization, models.PROTECT, related_name="employments")
    start_date = models.DateField(_("入职日期"))
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    form = models.CharField(_("用工形式"), max_length=20, choices=Form.choices)
    monthly_wage_fen = models.BigIntegerField(_("月工资（分）"), default=0)
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("就业记录")
        verbose_name_plural = _("就业记录")
        indexes = [models.Index(fields=["enterprise", "end_date"], name="employment_ent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(monthly_wage_fen__gte=0), name="wage_not_negative"),
        ]


class Membership(models.Model):
    """Union membership (会员). A transfer (会员转会) ends one and starts the next."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="memberships")
    union = models.ForeignKey(Organization, models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("离会日期"), null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="transferred_to",
    )
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        indexes = [models.Index(fields=["union", "left_on"], name="membership_union_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="one_current_membership",
            ),
        ]


class User(AbstractUser):
    mobile = models.CharField(_("手机号"), max_length=11, null=True, blank=True, unique=True)
    person = models.OneToOneField(
        Person, models.SET_NULL, null=True, blank=True, related_name="user",
    )
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    CADRE = "cadre", _("工会干部")
    ENTERPRISE_ADMIN = "enterprise_admin", _("企业管理员")
    UNION_CHAIR = "union_chair", _("企业工会主席")
    DELEGATE = "delegate", _("职工代表")
    AUDITOR = "auditor", _("审计员")
    # Fund officers (mutual-aid fund) over a pool's federation and everything below it.
    FUND_REVIEWER = "fund_reviewer", _("互助金初审员")
    FUND_APPROVER = "fund_approver", _("互助金复审员")
    TREASURER = "treasurer", _("出纳")
    ACTUARY = "actuary", _("精算员")
    # A third-party assessor assigned to enterprises for the three-party evaluation.
    ASSESSOR = "assessor", _("第三方评估员")


class RoleGrant(models.Model):
    """A role held over an organization and everything below it. Workers need no grant:
    their own record comes from User.person."""

    user = models.ForeignKey(User, models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, models.CASCADE, null=True, blank=True, related_name="grants",
    )
    # Holders see ID numbers unmasked within the scope; every unmasked view is a trail event.
    personal_data = models.BooleanField(_("可查看个人敏感信息"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="grant_once"),
        ]


class ApiToken(models.Model):
    """Bearer token for API clients. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")


class RuleRow(models.Model):
    """A number of the law or policy, valid from a date in a region (blank = national).
    Never edited in place once used: a change is a new row with a later date."""

    key = models.CharField(_("规则"), max_length=64)
    region_code = models.CharField(_("适用地区"), max_length=6, blank=True, default="")
    effective_from = models.DateField(_("生效日期"))
    value = models.JSONField(_("取值"))
    source = models.CharField(_("依据"), max_length=255, blank=True)
    verified = models.BooleanField(_("已核对原文"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("规则参数")
        verbose_name_plural = _("规则参数")
        constraints = [
            models.UniqueConstraint(fields=["key", "region_code", "effective_from"], name="rule_once"),
        ]
        indexes = [models.Index(fields=["key", "region_code", "effective_from"], name="rule_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.key} [{self.region_code or '全国'} {self.effective_from}] = {self.value}"


class Notification(models.Model):
    """In-app inbox message (and e-mail where the user has an address)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox_idx")]
        ordering = ["-created_at"]


class Department(models.Model):
    """A department of an enterprise (lead or co-department for proposals, responsible for
    disclosures). Its members answer for it."""

    enterprise = models.ForeignKey(Organization, models.CASCADE, related_name="departments")
    name = models.CharField(_("名称"), max_length=64)
    members = models.ManyToManyField(User, blank=True, related_name="departments")

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="department_name_once")]

    def __str__(self) -> str:
        return self.name


class FigureVersion(models.Model):
    """How many times the rows behind a kind of kept figure (core.paging) have changed, e.g.
    "organizations" for the organization tree. Bumped in the transaction of the change and read
    with the signed-in user on every request (core.auth), so every server process sees a change
    at once, whatever its cache: a figure kept under an older number is computed again."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"
