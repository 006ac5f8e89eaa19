"""Standard charts of accounts. Codes follow the pattern of the Chinese enterprise accounting
standards' chart (1xxx assets, 2xxx liabilities, 4xxx net assets, 6xxx income and expenses);
names are stored in Chinese and translated on display. docs/ledger.md lists them."""

from django.utils.translation import gettext_noop

BANK = "1002"
RECEIVABLE = "1122"
CLAIMS_PAYABLE = "2241"
PREPAID = "2203"
RESERVES = "4101"
CONTRIBUTIONS = "6001"
SUBSIDIES = "6002"
TRANSFERS_IN = "6051"
BENEFITS = "6401"
ADMINISTRATION = "6601"
TRANSFERS_OUT = "6711"

CHARTS: dict[str, list[tuple[str, str, str]]] = {
    "mutualaid": [
        (BANK, gettext_noop("银行存款"), "asset"),
        (RECEIVABLE, gettext_noop("应收企业缴费"), "asset"),
        (PREPAID, gettext_noop("预收缴费"), "liability"),
        (CLAIMS_PAYABLE, gettext_noop("应付互助金"), "liability"),
        (RESERVES, gettext_noop("风险储备金"), "equity"),
        (CONTRIBUTIONS, gettext_noop("缴费收入"), "income"),
        (SUBSIDIES, gettext_noop("工会补助收入"), "income"),
        (TRANSFERS_IN, gettext_noop("调入资金"), "income"),
        (BENEFITS, gettext_noop("互助金支出"), "expense"),
        (ADMINISTRATION, gettext_noop("管理费用"), "expense"),
        (TRANSFERS_OUT, gettext_noop("调出资金"), "expense"),
    ],
}
