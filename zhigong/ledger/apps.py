from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What each role may do with the books of its scope (added to core.policy.ROLE_ACTIONS).
LEDGER_ACTIONS = {
    "cadre": {"ledger_view", "ledger_post", "ledger_close", "ledger_open"},
    "auditor": {"ledger_view"},
    "fund_reviewer": {"ledger_view", "ledger_post"},
    "fund_approver": {"ledger_view", "ledger_post"},
    "treasurer": {"ledger_view", "ledger_post", "ledger_close"},
    "actuary": {"ledger_view"},
}


class LedgerConfig(AppConfig):
    name = "zhigong.ledger"
    label = "ledger"
    verbose_name = _("复式记账")

    def ready(self) -> None:
        from zhigong.core.policy import ROLE_ACTIONS

        for role, actions in LEDGER_ACTIONS.items():
            ROLE_ACTIONS[role] |= actions
