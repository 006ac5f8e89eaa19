"""厂务公开 over JSON (mounted at /api/v1/disclosure/ by zhigong/api.py)."""

from ninja import Router

router = Router(tags=["disclosure"])
