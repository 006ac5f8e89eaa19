"""Every change to core data: policy check → rules → one transaction → trail event."""

import hashlib
import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import crypto, paging, policy, rules
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.messages import IDENTIFIER_MESSAGES
from zhigong.core.models import (
    ApiToken,
    Department,
    Employment,
    EnterpriseProfit,
    Membership,
    Organization,
    Person,
    Region,
    Role,
    RoleGrant,
    RuleRow,
    User,
)

ID_PURPOSE = b"id_number"
Kind = Organization.Kind


def _identifier_error(exc: rules.IdentifierError, field: str) -> DomainError:
    return DomainError(exc.code, IDENTIFIER_MESSAGES[exc.code], field=field)


def _require(user, action: str, org: Organization) -> None:
    if not policy.may_organization(user, action, org):
        raise PermissionDenied(action)


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("required", _("请填写名称。"), field=field)
    if len(name) > 128:
        raise DomainError("too_long", _("名称不能超过128个字。"), field=field)
    return name


def _region(code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise DomainError("region.unknown", _("地区代码不存在。"), field="region")
    return region


# --- Organizations ---------------------------------------------------------------------------

def check_organization_fields(kind: str, parent: Organization | None, fields: dict) -> dict:
    """Validate and normalise the fields of an organization; raises DomainError."""
    clean = {"name": _clean_name(fields.get("name", ""))}
    clean["region"] = _region(fields.get("region_code") or (parent.region_id if parent else ""))
    clean["industry"] = (fields.get("industry") or "").strip()[:64]
    count = fields.get("employee_count") or 0
    if not isinstance(count, int) or count < 0:
        raise DomainError("employee_count.invalid", _("职工人数应为不小于0的整数。"), field="employee_count")
    clean["employee_count"] = count
    code = (fields.get("credit_code") or "").strip()
    if kind == Kind.ENTERPRISE or code:
        try:
            clean["credit_code"] = rules.validate_credit_code(code)
        except rules.IdentifierError as exc:
            raise _identifier_error(exc, "credit_code") from None
    if kind == Kind.FEDERATION:
        clean["level"] = fields.get("level") or _federation_level(clean["region"])
    if kind != Kind.FEDERATION and parent is None:
        raise DomainError("parent.required", _("请选择上级组织。"), field="parent")
    if kind == Kind.ENTERPRISE and parent.kind != Kind.FEDERATION:
        raise DomainError("parent.kind", _("企业的上级应为总工会。"), field="parent")
    if kind == Kind.ENTERPRISE_UNION and parent.kind != Kind.ENTERPRISE:
        raise DomainError("parent.kind", _("企业工会的上级应为企业。"), field="parent")
    return clean


def _federation_level(region: Region) -> str:
    return {"province": "province", "city": "city", "county": "county"}[region.level]


def create_organization(actor, kind: str, parent: Organization | None, **fields) -> Organization:
    if parent is None:
        if not policy.is_platform_admin(actor):
            raise PermissionDenied("create_child")
    else:
        _require(actor, "create_child" if kind != Kind.ENTERPRISE_UNION else "change", parent)
    clean = check_organization_fields(kind, parent, fields)
    with transaction.atomic():
        if kind == Kind.ENTERPRISE_UNION:
            clean["federation"] = parent.parent
        org = Organization(kind=kind, parent=parent, path="", **clean)
        _save_unique(org)
        org.path = f"{parent.path if parent else '/'}{org.pk}/"
        org.save(update_fields=["path"])
        paging.changed(paging.ORGANIZATIONS)
        trail.record(actor, "organization.create", org, _org_facts(org))
    return org


def _save_unique(obj) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError(
            "credit_code.taken", _("该统一社会信用代码已被其他企业使用。"), field="credit_code",
        ) from None


def _org_facts(org: Organization) -> dict:
    return {
        "kind": org.kind, "name": org.name, "parent": org.parent_id, "region": org.region_id,
        "credit_code": org.credit_code, "industry": org.industry,
        "employee_count": org.employee_count,
    }


def update_organization(actor, org: Organization, **fields) -> Organization:
    _require(actor, "change", org)
    clean = check_organization_fields(org.kind, org.parent, {**_org_facts(org), **fields,
                                                             "region_code": fields.get("region_code", org.region_id)})
    before = _org_facts(org)
    with transaction.atomic():
        for key, value in clean.items():
            setattr(org, key, value)
        _save_unique(org)
        after = _org_facts(org)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        paging.changed(paging.ORGANIZATIONS)
        trail.record(actor, "organization.update", org, {"changed": changed})
    return org


def move_organization(actor, org: Organization, new_parent: Organization) -> Organization:
    """Move a subtree under another parent in one statement; the member counts of the old and
    new ancestors follow."""
    _require(actor, "move", org)
    _require(actor, "create_child", new_parent)
    if new_parent.path.startswith(org.path):
        raise DomainError("move.cycle", _("不能把组织移动到它自己的下级。"), field="parent")
    if org.kind == Kind.FEDERATION and new_parent.kind != Kind.FEDERATION:
        raise DomainError("parent.kind", _("总工会的上级应为总工会。"), field="parent")
    if org.kind == Kind.ENTERPRISE and new_parent.kind != Kind.FEDERATION:
        raise DomainError("parent.kind", _("企业的上级应为总工会。"), field="parent")
    if org.kind == Kind.ENTERPRISE_UNION:
        raise DomainError("parent.kind", _("企业工会随企业移动。"), field="parent")
    old_path, old_parent_id = org.path, org.parent_id
    new_path = f"{new_parent.path}{org.pk}/"
    with transaction.atomic():
        _add_members(org.parent.path if org.parent else "", -org.member_count)
        Organization.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        )
        Person.objects.filter(scope_path__startswith=old_path).update(
            scope_path=Concat(Value(new_path), Substr("scope_path", len(old_path) + 1)),
        )
        Organization.objects.filter(pk=org.pk).update(parent=new_parent)
        Organization.objects.filter(parent=org, kind=Kind.ENTERPRISE_UNION).update(
            federation=new_parent,
        )
        _add_members(new_parent.path, org.member_count)
        paging.changed(paging.ORGANIZATIONS)
        trail.record(actor, "organization.move", org, {"from": old_parent_id, "to": new_parent.pk})
    org.refresh_from_db()
    return org


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _add_members(path: str, delta: int) -> None:
    """Add delta to the member count of the organization at `path` and all its ancestors."""
    if delta and path:
        Organization.objects.filter(pk__in=_ancestor_ids(path)).update(
            member_count=F("member_count") + delta,
        )


def record_profit(actor, enterprise: Organization, year: int, profit_fen: int) -> EnterpriseProfit:
    _require(actor, "change", enterprise)
    if enterprise.kind != Kind.ENTERPRISE:
        raise DomainError("profit.not_enterprise", _("只有企业才有年度利润。"), field="enterprise")
    if not 1949 <= year <= timezone.localdate().year:
        raise DomainError("profit.year", _("年度不正确。"), field="year")
    with transaction.atomic():
        row, _created = EnterpriseProfit.objects.update_or_create(
            enterprise=enterprise, year=year, defaults={"profit_fen": profit_fen},
        )
        trail.record(actor, "enterprise.profit", enterprise, {"year": year, "profit_fen": profit_fen})
    return row


# --- People ----------------------------------------------------------------------------------

def check_person_fields(name: str, id_number: str, mobile: str) -> tuple[str, rules.IdNumberFacts, str]:
    name = (name or "").strip()
    if not name:
        raise DomainError("required", _("请填写姓名。"), field="name")
    if len(name) > 64:
        raise DomainError("too_long", _("姓名不能超过64个字。"), field="name")
    try:
        facts = rules.parse_id_number(id_number, today=timezone.localdate())
    except rules.IdentifierError as exc:
        raise _identifier_error(exc, "id_number") from None
    if not Region.objects.filter(code__in=[facts.region_code, facts.region_code[:2] + "0000"]).exists():
        raise _identifier_error(rules.IdentifierError("id_number.region"), "id_number")
    if mobile:
        try:
            mobile = rules.validate_mobile(mobile)
        except rules.IdentifierError as exc:
            raise _identifier_error(exc, "mobile") from None
    return name, facts, mobile or ""


def id_index(number: str) -> str:
    return crypto.blind_index(number, ID_PURPOSE)


def register_person(actor, organization: Organization, name: str, id_number: str, mobile: str = "") -> Person:
    """Register a person under an organization the actor manages people of."""
    _require(actor, "manage_people", organization)
    name, facts, mobile = check_person_fields(name, id_number, mobile)
    index = id_index(facts.number)
    if Person.objects.filter(id_number_index=index).exists():
        raise DomainError("id_number.taken", _("该身份证号码已登记。"), field="id_number")
    with transaction.atomic():
        person = Person.objects.create(
            name=name, id_number_encrypted=crypto.encrypt(facts.number, ID_PURPOSE),
            id_number_index=index, id_masked=rules.mask_id_number(facts.number),
            id_last4=facts.number[-4:], birth_date=facts.birth_date, sex=facts.sex,
            mobile=mobile, region=organization.region, scope_path=organization.path,
        )
        trail.record(actor, "person.register", person, {"organization": organization.pk})
    return person


def update_person(actor, person: Person, name: str, mobile: str) -> Person:
    if not policy.may_person(actor, "change", person):
        raise PermissionDenied("change")
    name, _facts, mobile = check_person_fields(name, reveal_number(person), mobile)
    with transaction.atomic():
        changed = {}
        if name != person.name:
            changed["name"] = True
        if mobile != person.mobile:
            changed["mobile"] = True
        person.name, person.mobile = name, mobile
        person.save(update_fields=["name", "mobile"])
        trail.record(actor, "person.update", person, {"changed": sorted(changed)})
    return person


def reveal_number(person: Person) -> str:
    """Decrypt without a trail event: only for internal checks, never for display."""
    return crypto.decrypt(person.id_number_encrypted, ID_PURPOSE)


def reveal_id_number(actor, person: Person) -> str:
    """The unmasked ID number for display to an allowed user; each view is a trail event."""
    if not policy.may_see_personal_data(actor, person):
        raise PermissionDenied("view_personal_data")
    with transaction.atomic():
        trail.record(actor, "person.reveal_id_number", person, {})
    return reveal_number(person)


def find_person_by_id_number(actor, id_number: str) -> Person | None:
    try:
        facts = rules.parse_id_number(id_number)
    except rules.IdentifierError as exc:
        raise _identifier_error(exc, "id_number") from None
    return policy.visible_people(actor).filter(id_number_index=id_index(facts.number)).first()


# --- Employment and membership ---------------------------------------------------------------

def start_employment(actor, person: Person, enterprise: Organization, start_date: date,
                     form: str, monthly_wage_fen: int) -> Employment:
    _require(actor, "manage_people", enterprise)
    if enterprise.kind != Kind.ENTERPRISE:
        raise DomainError("employment.not_enterprise", _("请选择一家企业。"), field="enterprise")
    if form not in Employment.Form.values:
        raise DomainError("employment.form", _("用工形式不正确。"), field="form")
    if monthly_wage_fen < 0:
        raise DomainError("employment.wage", _("月工资不能为负数。"), field="monthly_wage")
    with transaction.atomic():
        if person.employments.filter(enterprise=enterprise, end_date__isnull=True).exists():
            raise DomainError("employment.exists", _("此人已在该企业在职。"), field="enterprise")
        job = Employment.objects.create(
            person=person, enterprise=enterprise, start_date=start_date, form=form,
            monthly_wage_fen=monthly_wage_fen, region=enterprise.region,
        )
        Person.objects.filter(pk=person.pk).update(scope_path=enterprise.path)
        person.scope_path = enterprise.path
        trail.record(actor, "employment.start", job, {
            "person": person.pk, "enterprise": enterprise.pk, "start": start_date.isoformat(),
            "form": form, "monthly_wage_fen": monthly_wage_fen,
        })
    return job


def end_employment(actor, job: Employment, end_date: date) -> Employment:
    _require(actor, "manage_people", job.enterprise)
    if job.end_date is not None:
        raise DomainError("employment.ended", _("该就业记录已结束。"), field="end_date")
    if end_date < job.start_date:
        raise DomainError("employment.dates", _("离职日期不能早于入职日期。"), field="end_date")
    with transaction.atomic():
        job.end_date = end_date
        job.save(update_fields=["end_date"])
        trail.record(actor, "employment.end", job, {"end": end_date.isoformat()})
    return job


def join_union(actor, person: Person, union: Organization, joined_on: date) -> Membership:
    _require(actor, "manage_people", union)
    if union.kind != Kind.ENTERPRISE_UNION:
        raise DomainError("membership.not_union", _("请选择一个企业工会。"), field="union")
    with transaction.atomic():
        if person.memberships.filter(left_on__isnull=True).exists():
            raise DomainError("membership.exists", _("此人已是工会会员，请办理转会。"), field="union")
        member = Membership.objects.create(
            person=person, union=union, joined_on=joined_on, region=union.region,
        )
        _add_members(union.path, 1)
        trail.record(actor, "membership.join", member, {"person": person.pk, "union": union.pk,
                                                        "joined_on": joined_on.isoformat()})
    return member


def leave_union(actor, member: Membership, left_on: date) -> Membership:
    _require(actor, "manage_people", member.union)
    if member.left_on is not None:
        raise DomainError("membership.ended", _("该会籍已结束。"), field="left_on")
    if left_on < member.joined_on:
        raise DomainError("membership.dates", _("离会日期不能早于入会日期。"), field="left_on")
    with transaction.atomic():
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        _add_members(member.union.path, -1)
        trail.record(actor, "membership.leave", member, {"left_on": left_on.isoformat()})
    return member


def transfer_membership(actor, member: Membership, new_union: Organization, on: date) -> Membership:
    """会员转会: the old membership ends and the new one starts on the same day, one change."""
    _require(actor, "manage_people", member.union)
    _require(actor, "manage_people", new_union)
    if new_union.kind != Kind.ENTERPRISE_UNION or new_union.pk == member.union_id:
        raise DomainError("membership.transfer_target", _("请选择另一个企业工会。"), field="union")
    if member.left_on is not None:
        raise DomainError("membership.ended", _("该会籍已结束。"), field="union")
    if on < member.joined_on:
        raise DomainError("membership.dates", _("转会日期不能早于入会日期。"), field="on")
    with transaction.atomic():
        member.left_on = on
        member.save(update_fields=["left_on"])
        _add_members(member.union.path, -1)
        new = Membership.objects.create(
            person=member.person, union=new_union, joined_on=on, transferred_from=member,
            region=new_union.region,
        )
        _add_members(new_union.path, 1)
        trail.record(actor, "membership.transfer", new, {
            "person": member.person_id, "from": member.union_id, "to": new_union.pk, "on": on.isoformat(),
        })
    return new


# --- Accounts, roles, tokens -----------------------------------------------------------------

def grant_role(actor, user: User, role: str, organization: Organization | None,
               personal_data: bool = False) -> RoleGrant:
    if role not in Role.values:
        raise DomainError("role.unknown", _("角色不存在。"), field="role")
    if role == Role.PLATFORM_ADMIN or organization is None:
        if not policy.is_platform_admin(actor):
            raise PermissionDenied("grant_role")
        organization = None
    else:
        _require(actor, "change", organization)
    with transaction.atomic():
        grant, _created = RoleGrant.objects.get_or_create(
            user=user, role=role, organization=organization, defaults={"personal_data": personal_data},
        )
        trail.record(actor, "role.grant", grant, {"user": user.pk, "role": role,
                                                  "organization": getattr(organization, "pk", None),
                                                  "personal_data": personal_data})
    return grant


def revoke_role(actor, grant: RoleGrant) -> None:
    if grant.organization is None:
        if not policy.is_platform_admin(actor):
            raise PermissionDenied("revoke_role")
    else:
        _require(actor, "change", grant.organization)
    with transaction.atomic():
        trail.record(actor, "role.revoke", grant, {"user": grant.user_id, "role": grant.role})
        grant.delete()


def create_account(actor, username: str, password: str, person: Person | None = None,
                   mobile: str | None = None) -> User:
    if person is not None and not policy.may_person(actor, "change", person):
        raise PermissionDenied("create_account")
    if person is None and not policy.is_platform_admin(actor):
        raise PermissionDenied("create_account")
    username = (username or "").strip()
    if not username or User.objects.filter(username=username).exists():
        raise DomainError("username.taken", _("该用户名已被使用。"), field="username")
    with transaction.atomic():
        user = User(username=username, person=person, mobile=mobile or (person.mobile if person else None) or None)
        user.set_password(password)
        user.save()
        trail.record(actor, "account.create", user, {"person": getattr(person, "pk", None)})
    return user


def record_password_change(user: User) -> None:
    with transaction.atomic():
        trail.record(user, "account.password_change", user, {})


TOKEN_PREFIX = "zg_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is shown once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise DomainError("token.name", _("请填写令牌名称（不超过64个字）。"), field="name")
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise DomainError("token.limit", _("有效令牌最多20个，请先吊销不用的令牌。"), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, prefix=raw[:8], key_hash=hash_token(raw))
        trail.record(actor, "token.issue", token, {"name": name, "prefix": token.prefix})
    return token, raw


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied("revoke_token")
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            trail.record(actor, "token.revoke", token, {"prefix": token.prefix})
    return token


def create_platform_admin(username: str, password: str) -> User:
    """Bootstrap from the command line (`zhigong createadmin`): no actor exists yet."""
    username = (username or "").strip()
    if not username or User.objects.filter(username=username).exists():
        raise DomainError("username.taken", _("该用户名已被使用。"), field="username")
    with transaction.atomic():
        user = User(username=username, is_staff=True, is_superuser=True)
        user.set_password(password)
        user.save()
        RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN, organization=None)
        trail.record(None, "account.create_platform_admin", user, {"username": username})
    return user


# --- Rule tables -----------------------------------------------------------------------------

def set_rule(actor, key: str, region_code: str, effective_from: date, value, source: str) -> RuleRow:
    """Add a rule row (a regional override or a new national value from a date). Rows are
    never edited: a later row supersedes an earlier one."""
    if not policy.is_platform_admin(actor):
        raise PermissionDenied("set_rule")
    if not RuleRow.objects.filter(key=key).exists():
        raise DomainError("rule.unknown", _("没有这项规则。"), field="key")
    if region_code and not Region.objects.filter(code=region_code).exists():
        raise DomainError("region.unknown", _("地区代码不存在。"), field="region_code")
    if not (source or "").strip():
        raise DomainError("rule.source", _("请注明依据（文件名称和条款）。"), field="source")
    if RuleRow.objects.filter(key=key, region_code=region_code or "", effective_from=effective_from).exists():
        raise DomainError("rule.exists", _("该地区在该日期已有此规则，请选择其他生效日期。"),
                          field="effective_from")
    with transaction.atomic():
        row = RuleRow.objects.create(key=key, region_code=region_code or "", effective_from=effective_from,
                                     value=value, source=source.strip()[:255])
        trail.record(actor, "rule.set", row, {"key": key, "region": region_code or "",
                                              "from": effective_from.isoformat(), "value": value,
                                              "source": row.source})
    return row


# --- Departments -----------------------------------------------------------------------------

def create_department(actor, enterprise: Organization, name: str) -> Department:
    _require(actor, "change", enterprise)
    if enterprise.kind != Kind.ENTERPRISE:
        raise DomainError("department.not_enterprise", _("只有企业才设部门。"), field="enterprise")
    name = _clean_name(name)
    if Department.objects.filter(enterprise=enterprise, name=name).exists():
        raise DomainError("department.exists", _("该部门已存在。"), field="name")
    with transaction.atomic():
        department = Department.objects.create(enterprise=enterprise, name=name)
        trail.record(actor, "department.create", department, {"enterprise": enterprise.pk, "name": name})
    return department


def add_department_member(actor, department, user: User) -> None:
    _require(actor, "change", department.enterprise)
    with transaction.atomic():
        department.members.add(user)
        trail.record(actor, "department.add_member", department, {"user": user.pk})
