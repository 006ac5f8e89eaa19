"""Core JSON API: organizations, people, employment, membership, regions, tokens.

Each endpoint parses input, asks the policy for the object (404 for outsiders) and calls one
action or query."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhigong.core import actions, policy, queries
from zhigong.core.errors import DomainError, NotFound
from zhigong.core.models import ApiToken, Organization, Region
from zhigong.core.schemas import (
    EmploymentCreate,
    EmploymentOut,
    EndIn,
    LeaveIn,
    MembershipCreate,
    MembershipOut,
    MeOut,
    MoveIn,
    OrganizationCreate,
    OrganizationOut,
    OrganizationPage,
    OrganizationUpdate,
    PersonCreate,
    PersonOut,
    PersonPage,
    PersonUpdate,
    ProfitIn,
    ProfitOut,
    RegionOut,
    RevealedIdNumber,
    TokenCreate,
    TokenIssued,
    TokenOut,
    TransferIn,
)

router = Router(tags=["core"])
MAX_PAGE_SIZE = 100


def _page(qs, page: int, page_size: int) -> dict:
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size,
            "items": list(qs[start : start + page_size])}


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk, "username": user.username, "person": user.person,
        "grants": [{"role": s.role, "organization_id": s.organization_id or None,
                    "personal_data": s.personal_data} for s in policy.grants(user)],
    }


@router.get("/regions", response=list[RegionOut], summary="行政区划")
def regions(request, parent: str | None = None, search: str = ""):
    """Children of `parent` (provinces when omitted), or up to 50 regions whose name contains
    `search`."""
    if search:
        return list(Region.objects.filter(name__contains=search)[:50])
    return list(Region.objects.filter(parent_id=parent or None))


# --- Organizations ---------------------------------------------------------------------------

@router.get("/organizations", response=OrganizationPage, summary="组织列表")
def list_organizations(request, search: str = "", kind: str = "", parent_id: int | None = None,
                       page: int = 1, page_size: int = 20):
    return _page(queries.organizations(request.user, search, kind, parent_id), page, page_size)


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="组织详情")
def get_organization(request, org_id: int):
    return policy.access_organization(request.user, org_id)


@router.post("/organizations", response={201: OrganizationOut}, summary="新建组织")
def create_organization(request, payload: OrganizationCreate):
    parent = None
    if payload.parent_id is not None:
        parent = policy.access_organization(request.user, payload.parent_id)
    if payload.kind not in Organization.Kind.values:
        raise DomainError("organization.kind", _("组织类别不正确。"), field="kind")
    fields = payload.dict(exclude={"kind", "parent_id"})
    return Status(201, actions.create_organization(request.user, payload.kind, parent, **fields))


@router.patch("/organizations/{org_id}", response=OrganizationOut, summary="修改组织")
def update_organization(request, org_id: int, payload: OrganizationUpdate):
    org = policy.access_organization(request.user, org_id, "change")
    return actions.update_organization(request.user, org, **payload.dict(exclude_unset=True))


@router.post("/organizations/{org_id}/move", response=OrganizationOut, summary="移动组织及其下级")
def move_organization(request, org_id: int, payload: MoveIn):
    org = policy.access_organization(request.user, org_id, "move")
    new_parent = policy.access_organization(request.user, payload.parent_id)
    return actions.move_organization(request.user, org, new_parent)


@router.put("/organizations/{org_id}/profits/{year}", response=ProfitOut, summary="登记年度利润")
def put_profit(request, org_id: int, year: int, payload: ProfitIn):
    org = policy.access_organization(request.user, org_id, "change")
    return actions.record_profit(request.user, org, year, payload.profit_fen)


@router.get("/organizations/{org_id}/profits", response=list[ProfitOut], summary="年度利润")
def list_profits(request, org_id: int):
    return list(policy.access_organization(request.user, org_id).profits.order_by("year"))


# --- People ----------------------------------------------------------------------------------

@router.get("/people", response=PersonPage, summary="人员列表")
def list_people(request, search: str = "", page: int = 1, page_size: int = 20):
    return _page(queries.people(request.user, search), page, page_size)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情")
def get_person(request, person_id: int):
    return policy.access_person(request.user, person_id)


@router.post("/people", response={201: PersonOut}, summary="登记人员")
def create_person(request, payload: PersonCreate):
    org = policy.access_organization(request.user, payload.organization_id)
    return Status(201, actions.register_person(request.user, org, payload.name, payload.id_number, payload.mobile))


@router.patch("/people/{person_id}", response=PersonOut, summary="修改人员")
def update_person(request, person_id: int, payload: PersonUpdate):
    person = policy.access_person(request.user, person_id, "change")
    return actions.update_person(request.user, person, payload.name, payload.mobile)


@router.post("/people/{person_id}/reveal-id-number", response=RevealedIdNumber,
             summary="查看完整身份证号（留痕）")
def reveal_id_number(request, person_id: int):
    person = policy.access_person(request.user, person_id)
    return {"id_number": actions.reveal_id_number(request.user, person)}


@router.get("/people/{person_id}/employments", response=list[EmploymentOut], summary="就业记录")
def list_employments(request, person_id: int):
    return list(policy.access_person(request.user, person_id).employments.order_by("start_date"))


@router.post("/people/{person_id}/employments", response={201: EmploymentOut}, summary="登记入职")
def start_employment(request, person_id: int, payload: EmploymentCreate):
    person = policy.access_person(request.user, person_id)
    enterprise = policy.access_organization(request.user, payload.enterprise_id)
    job = actions.start_employment(request.user, person, enterprise, payload.start_date,
                                   payload.form, payload.monthly_wage_fen)
    return Status(201, job)


@router.post("/employments/{employment_id}/end", response=EmploymentOut, summary="登记离职")
def end_employment(request, employment_id: int, payload: EndIn):
    job = policy.access_employment(request.user, employment_id, "change")
    return actions.end_employment(request.user, job, payload.end_date)


@router.get("/people/{person_id}/memberships", response=list[MembershipOut], summary="会籍")
def list_memberships(request, person_id: int):
    return list(policy.access_person(request.user, person_id).memberships.order_by("joined_on"))


@router.post("/people/{person_id}/memberships", response={201: MembershipOut}, summary="入会")
def join_union(request, person_id: int, payload: MembershipCreate):
    person = policy.access_person(request.user, person_id)
    union = policy.access_organization(request.user, payload.union_id)
    return Status(201, actions.join_union(request.user, person, union, payload.joined_on))


@router.post("/memberships/{membership_id}/leave", response=MembershipOut, summary="离会")
def leave_union(request, membership_id: int, payload: LeaveIn):
    member = policy.access_membership(request.user, membership_id, "change")
    return actions.leave_union(request.user, member, payload.left_on)


@router.post("/memberships/{membership_id}/transfer", response={201: MembershipOut}, summary="转会")
def transfer_membership(request, membership_id: int, payload: TransferIn):
    member = policy.access_membership(request.user, membership_id, "change")
    union = policy.access_organization(request.user, payload.union_id)
    return Status(201, actions.transfer_membership(request.user, member, union, payload.on))


# --- Tokens ----------------------------------------------------------------------------------

@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def list_tokens(request):
    return list(request.user.api_tokens.order_by("-created_at"))


@router.post("/tokens", response={201: TokenIssued}, summary="签发 API 令牌")
def issue_token(request, payload: TokenCreate):
    token, raw = actions.issue_token(request.user, payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="吊销 API 令牌")
def revoke_token(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise NotFound("token")
    return actions.revoke_token(request.user, token)
