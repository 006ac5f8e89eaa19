"""三位一体评价 over JSON (mounted at /api/v1/evaluation/ by zhigong/api.py)."""

from ninja import Router

router = Router(tags=["evaluation"])
