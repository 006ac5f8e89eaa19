from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """What each role may do with the books of its scope is in core.policy.ROLE_ACTIONS
    (ledger_view, ledger_post, ledger_close, ledger_open)."""

    name = "zhigong.ledger"
    label = "ledger"
    verbose_name = _("复式记账")
