"""The double-entry journal shared by every fund (复式记账).

A Book is the set of accounts of one fund pool; an Entry is a balanced journal entry of two or
more Legs in integer fen (debit positive, credit negative, so an entry's legs sum to zero).
Entries and legs are never changed or deleted: a correction is a reversal entry that points to
what it reverses. Periods are months; a closed period takes no more postings.

Only zhigong.ledger.actions writes these tables. The database guards them too (migration 0002):
on PostgreSQL a deferred constraint trigger checks at commit that every new entry has at least
two legs summing to zero and lies in an open period, and triggers refuse UPDATE and DELETE of
entries and legs; on SQLite triggers refuse UPDATE of both and DELETE of legs whose entry
still exists.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhigong.core.models import Organization, Person, Region, User


class ImmutableError(RuntimeError):
    """A posted entry or leg was about to be changed or deleted."""


class ImmutableQuerySet(models.QuerySet):
    """No bulk update or delete path either."""

    def update(self, **kwargs):
        raise ImmutableError("ledger rows are immutable: post a reversal")

    def delete(self):
        raise ImmutableError("ledger rows are immutable: post a reversal")


class Book(models.Model):
    """The accounts of one fund pool (账套), owned by a federation."""

    class Kind(models.TextChoices):
        MUTUALAID_POOL = "mutualaid_pool", _("互助保障资金池")
        GENERAL = "general", _("其他资金")

    owner = models.ForeignKey(Organization, models.PROTECT, related_name="ledger_books",
                              verbose_name=_("所属总工会"))
    code = models.CharField(_("账套代码"), max_length=40)
    name = models.CharField(_("账套名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.MUTUALAID_POOL)
    chart = models.CharField(_("科目表"), max_length=20, default="mutualaid")
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("账套")
        verbose_name_plural = _("账套")
        ordering = ["owner__path", "code"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="ledger_book_code_once")]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """An account of a book's chart (会计科目). Debit-normal types: asset, expense."""

    class Type(models.TextChoices):
        ASSET = "asset", _("资产")
        LIABILITY = "liability", _("负债")
        EQUITY = "equity", _("净资产")
        INCOME = "income", _("收入")
        EXPENSE = "expense", _("支出")

    book = models.ForeignKey(Book, models.PROTECT, related_name="accounts")
    code = models.CharField(_("科目代码"), max_length=12)
    name = models.CharField(_("科目名称"), max_length=64)
    type = models.CharField(_("科目类别"), max_length=10, choices=Type.choices)

    class Meta:
        verbose_name = _("会计科目")
        verbose_name_plural = _("会计科目")
        ordering = ["book", "code"]
        constraints = [models.UniqueConstraint(fields=["book", "code"], name="ledger_account_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        """The stored Chinese name in the language of the request (chart.py marks them)."""
        from django.utils.translation import gettext

        return gettext(self.name)

    @property
    def debit_normal(self) -> bool:
        return self.type in (self.Type.ASSET, self.Type.EXPENSE)


class Entry(models.Model):
    """A journal entry (记账凭证). `period` is the first day of the month of `day`."""

    book = models.ForeignKey(Book, models.PROTECT, related_name="entries")
    day = models.DateField(_("记账日期"))
    period = models.DateField(_("会计期间"))
    posted_at = models.DateTimeField(_("过账时间"))
    posted_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    memo = models.CharField(_("摘要"), max_length=200)
    # What the entry records, e.g. ("mutualaid.claim", "42"): a generic reference, not a FK, so
    # the ledger depends on no fund.
    source_type = models.CharField(max_length=64, blank=True, default="")
    source_id = models.CharField(max_length=64, blank=True, default="")
    # Idempotency key, unique per book: posting the same key twice returns the first entry.
    key = models.CharField(max_length=100, null=True, blank=True)
    reverses = models.OneToOneField("self", models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by", verbose_name=_("冲销凭证"))
    region = models.ForeignKey(Region, models.PROTECT, db_column="region_code")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["book", "day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["book", "key"], condition=Q(key__isnull=False),
                                    name="ledger_entry_key_once"),
        ]
        indexes = [
            models.Index(fields=["book", "period", "id"], name="ledger_entry_period_idx"),
            models.Index(fields=["source_type", "source_id"], name="ledger_entry_source_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.day} {self.memo}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("ledger entries are immutable: post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("ledger entries are immutable: post a reversal")


class Leg(models.Model):
    """One line of an entry: + debit, − credit, in fen. `book` and `period` repeat the entry's
    so that balances are one indexed aggregate over this table without a join. A party names
    the enterprise and/or worker the money is for, for their statements."""

    entry = models.ForeignKey(Entry, models.PROTECT, related_name="legs")
    book = models.ForeignKey(Book, models.PROTECT, related_name="+")
    period = models.DateField()
    account = models.ForeignKey(Account, models.PROTECT, related_name="legs")
    amount_fen = models.BigIntegerField(_("金额（分，借正贷负）"))
    party_organization = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True,
                                           related_name="ledger_legs", verbose_name=_("往来单位"))
    party_person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                                     related_name="ledger_legs", verbose_name=_("往来个人"))

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_leg_not_zero")]
        indexes = [
            models.Index(fields=["account", "period"], include=["amount_fen"], name="ledger_leg_account_idx"),
            models.Index(fields=["party_organization", "period"], name="ledger_leg_org_idx",
                         condition=Q(party_organization__isnull=False)),
            models.Index(fields=["party_person", "period"], name="ledger_leg_person_idx",
                         condition=Q(party_person__isnull=False)),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("ledger legs are immutable: post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("ledger legs are immutable: post a reversal")


class Period(models.Model):
    """A closed accounting month of a book. A month without a row is open."""

    book = models.ForeignKey(Book, models.PROTECT, related_name="periods")
    month = models.DateField(_("会计期间"))
    closed_at = models.DateTimeField(_("结账时间"))
    closed_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("已结账期间")
        verbose_name_plural = _("已结账期间")
        constraints = [models.UniqueConstraint(fields=["book", "month"], name="ledger_period_once")]

    def __str__(self) -> str:
        return f"{self.book} {self.month:%Y-%m}"
