"""决策追踪 over JSON (mounted at /api/v1/tracking/ by zhigong/api.py)."""

from ninja import Router

router = Router(tags=["tracking"])
