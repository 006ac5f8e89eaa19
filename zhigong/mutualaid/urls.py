"""Pages of 职工互助互济, mounted under /mutualaid/ by zhigong/urls.py."""

from django.urls import include, path  # noqa: F401

urlpatterns: list = [
    path("", include("zhigong.mutualaid.urls_payments")),  # payments (M4)
    path("", include("zhigong.mutualaid.urls_fund")),  # plans, pools, contributions (M1)
    path("", include("zhigong.mutualaid.urls_claims")),  # claims (M3)
    path("", include("zhigong.mutualaid.urls_roster")),  # roster (M2)
]
