"""Pages of plans, pools and contributions (part M1), added to zhigong/mutualaid/urls.py."""

from django.urls import path

from zhigong.mutualaid import views_fund as views

urlpatterns = [
    path("plans/", views.plans, name="mutualaid-plans"),
    path("plans/<int:pk>/", views.plan_detail, name="mutualaid-plan"),
    path("pools/", views.pools, name="mutualaid-pools"),
    path("pools/<int:pk>/", views.pool_detail, name="mutualaid-pool"),
    path("pools/<int:pk>/transfer/", views.pool_transfer, name="mutualaid-pool-transfer"),
    path("transfers/<int:pk>/<slug:verb>/", views.transfer_decide, name="mutualaid-transfer-decide"),
    path("federations/<int:pk>/dashboard/", views.dashboard, name="mutualaid-dashboard"),
    path("invoices/", views.invoices, name="mutualaid-invoices"),
    path("invoices/statement/", views.statement_import, name="mutualaid-statement"),
    path("invoices/<int:pk>/", views.invoice_detail, name="mutualaid-invoice"),
    path("invoices/<int:pk>/payment/", views.invoice_payment, name="mutualaid-invoice-payment"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="mutualaid-invoice-pdf"),
    path("enrolments/<int:pk>/invoice/", views.invoice_issue, name="mutualaid-invoice-issue"),
]
