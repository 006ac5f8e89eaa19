"""Plans and their versions over JSON (part of /api/v1/mutualaid/)."""

from ninja import Router, Status

from zhigong.mutualaid import actions_plans, queries_plans
from zhigong.mutualaid.schemas_fund import PlanDetail, PlanOut, VersionIn, VersionOut

router = Router(tags=["mutualaid"])


def _version(version) -> dict:
    return {**VersionOut.from_orm(version).dict(exclude={"rules"}), "rules": list(version.benefit_rules.all())}


def _detail(plan) -> dict:
    return {**PlanOut.from_orm(plan).dict(), "versions": [_version(v) for v in queries_plans.versions(plan)]}


@router.get("/plans", response=list[PlanOut], summary="保障计划")
def list_plans(request):
    return list(queries_plans.visible_plans(request.user))


@router.get("/plans/{plan_id}", response=PlanDetail, summary="保障计划详情（各版本及给付规则）")
def get_plan(request, plan_id: int):
    return _detail(queries_plans.access_plan(request.user, plan_id))


@router.post("/plans/{plan_id}/versions", response={201: VersionOut}, summary="发布下一年度版本")
def create_version(request, plan_id: int, payload: VersionIn):
    plan = queries_plans.access_plan(request.user, plan_id)
    terms = {"waiting_days": payload.waiting_days} if payload.waiting_days is not None else {}
    rules = [r.dict() for r in payload.rules] if payload.rules is not None else None
    version = actions_plans.create_next_version(request.user, plan, payload.effective_from, payload.label,
                                                payload.price_fen, payload.text, rules, **terms)
    return Status(201, _version(version))
