"""Payment pages, added to zhigong/mutualaid/urls.py (mounted under /mutualaid/)."""

from django.urls import path

from zhigong.mutualaid import views_payments as views

urlpatterns = [
    path("payments/", views.index, name="mutualaid-payments"),
    path("payments/mine/", views.mine, name="mutualaid-payments-mine"),
    path("payments/pools/<int:pk>/", views.pool_queue, name="mutualaid-payments-queue"),
    path("payments/pools/<int:pk>/confirm/", views.confirm_batch, name="mutualaid-payments-confirm"),
    path("payments/batches/<int:pk>/", views.batch_detail, name="mutualaid-payments-batch"),
    path("payments/batches/<int:pk>/export/<slug:fmt>/", views.batch_export, name="mutualaid-payments-export"),
    path("payments/batches/<int:pk>/voucher.pdf", views.batch_voucher, name="mutualaid-payments-voucher"),
    path("payments/batches/<int:pk>/return/", views.batch_return, name="mutualaid-payments-return"),
    path("payments/claims/<int:pk>/account/", views.correct_account, name="mutualaid-payments-account"),
]
