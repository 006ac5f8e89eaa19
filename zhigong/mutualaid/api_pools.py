"""Pools, transfers and the federation's fund dashboard over JSON (part of /api/v1/mutualaid/)."""

from django.db import transaction
from ninja import Router, Status

from zhigong.core import policy
from zhigong.mutualaid import actions_pools, queries_plans, queries_pools
from zhigong.mutualaid.schemas_fund import (
    DashboardOut,
    PoolDetail,
    PoolOut,
    PoolsIn,
    ReasonIn,
    TransferIn,
    TransferOut,
)

router = Router(tags=["mutualaid"])


def _pool(pool) -> dict:
    return {"id": pool.pk, "name": pool.name, "level": pool.level, "federation_id": pool.federation_id,
            "parent_id": pool.parent_id, "book_id": pool.book_id, "region_code": pool.region_code,
            "plan_ids": sorted(pool.plans.values_list("pk", flat=True)), **queries_pools.figures(pool)}


def _detail(user, pool) -> dict:
    transfers = queries_pools.visible_transfers(user).filter(pk__in=pool.transfers_in.values("pk")) | \
        queries_pools.visible_transfers(user).filter(pk__in=pool.transfers_out.values("pk"))
    return {**_pool(pool), "months": queries_pools.monthly(pool), "transfers": list(transfers[:200])}


@router.get("/pools", response=list[PoolOut], summary="资金池")
def list_pools(request):
    return [_pool(p) for p in queries_pools.visible_pools(request.user).order_by("federation__path")[:500]]


@router.post("/federations/{federation_id}/pools", response={201: list[PoolOut]}, summary="为总工会体系设立资金池")
def create_pools(request, federation_id: int, payload: PoolsIn):
    federation = policy.access_organization(request.user, federation_id)
    plans = [queries_plans.access_plan(request.user, pk) for pk in payload.plan_ids]
    return Status(201, [_pool(p) for p in actions_pools.create_pools(request.user, federation, plans, payload.group)])


@router.get("/federations/{federation_id}/fund-dashboard", response=DashboardOut, summary="总工会互助资金看板")
def dashboard(request, federation_id: int):
    federation = policy.access_organization(request.user, federation_id)
    pools = queries_pools.visible_pools(request.user).filter(federation__path__startswith=federation.path)
    return {"federation_id": federation.pk,
            "pools": [_detail(request.user, p) for p in pools.order_by("federation__path")[:100]]}


@router.get("/pools/{pool_id}", response=PoolDetail, summary="资金池详情：余额、收支、调拨")
def get_pool(request, pool_id: int):
    return _detail(request.user, queries_pools.access_pool(request.user, pool_id))


@router.post("/pools/{pool_id}/transfers", response={201: TransferOut}, summary="申请上级资金池调拨")
def request_transfer(request, pool_id: int, payload: TransferIn):
    pool = queries_pools.access_pool(request.user, pool_id)
    return Status(201, actions_pools.request_transfer(request.user, pool, payload.amount_fen, payload.reason))


@router.get("/transfers/{transfer_id}", response=TransferOut, summary="调拨详情")
def get_transfer(request, transfer_id: int):
    return queries_pools.access_transfer(request.user, transfer_id)


@router.post("/transfers/{transfer_id}/approve", response=TransferOut, summary="批准调拨")
def approve_transfer(request, transfer_id: int):
    transfer = queries_pools.access_transfer(request.user, transfer_id)
    with transaction.atomic():
        return actions_pools.approve_transfer(request.user, transfer)


@router.post("/transfers/{transfer_id}/refuse", response=TransferOut, summary="拒绝调拨")
def refuse_transfer(request, transfer_id: int, payload: ReasonIn):
    transfer = queries_pools.access_transfer(request.user, transfer_id)
    return actions_pools.refuse_transfer(request.user, transfer, payload.reason)
