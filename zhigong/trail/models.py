"""The tamper-evident event log. Rows are only ever appended, by trail.record()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    seq = models.BigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(null=True, blank=True)  # not a FK: users may go, events stay
    verb = models.CharField(_("动作"), max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # Canonical JSON (sorted keys, UTF-8, no spaces): the exact bytes of the Merkle leaf.
    leaf = models.BinaryField()
    leaf_hash = models.BinaryField()

    class Meta:
        verbose_name = _("留痕事件")
        verbose_name_plural = _("留痕事件")
        indexes = [models.Index(fields=["object_type", "object_id"], name="event_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_type}:{self.object_id}"


class TrailState(models.Model):
    """A single row: the tree size and its frontier (roots of the perfect subtrees, 32 bytes
    each). Locked with SELECT FOR UPDATE by every append, which keeps sequence numbers
    gap-free and in commit order under concurrent writers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")


class TreeHead(models.Model):
    """A signed tree head (Ed25519 over the bytes described in trail/heads.py)."""

    size = models.BigIntegerField(unique=True)
    root_hash = models.BinaryField()
    signed_at = models.DateTimeField()
    signature = models.BinaryField()

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["-size"]


class Block(models.Model):
    """Root of a complete run of merkle.BLOCK_SIZE (1024) events: the perfect subtree over
    seq 1024·index+1 … 1024·(index+1). Proofs read these (a thousand at a million events)
    instead of every leaf hash; derived data, written by record() and checked by verify."""

    index = models.BigIntegerField(primary_key=True)
    root_hash = models.BinaryField()

    class Meta:
        verbose_name = _("留痕区块")
        verbose_name_plural = _("留痕区块")
