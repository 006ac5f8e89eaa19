"""复式记账 over JSON (mounted at /api/v1/ledger/ by zhigong/api.py)."""

from ninja import Router

router = Router(tags=["ledger"])
