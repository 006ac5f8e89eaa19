"""职工互助互济 over JSON (mounted at /api/v1/mutualaid/ by zhigong/api.py)."""

from ninja import Router

router = Router(tags=["mutualaid"])
router.add_router("", "zhigong.mutualaid.api_payments.router")  # payments (M4)
router.add_router("", "zhigong.mutualaid.api_plans.router")  # plans (M1)
router.add_router("", "zhigong.mutualaid.api_pools.router")  # pools (M1)
router.add_router("", "zhigong.mutualaid.api_contributions.router")  # contributions (M1)
router.add_router("", "zhigong.mutualaid.api_claims.router")  # claims (M3)
router.add_router("", "zhigong.mutualaid.api_roster.router")  # roster (M2)
