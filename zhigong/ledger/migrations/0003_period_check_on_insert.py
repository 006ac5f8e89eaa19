"""PostgreSQL: the closed-period check moves from the commit-time trigger to the INSERT of the
entry. At commit it refused a transaction that posted into a month and then closed that month
(legitimate: the entry was there before the close). A race between a posting and the closing
of its month is prevented by the book row lock instead (ledger/locks.py): closing waits for the
postings under way, later postings see the closed month when they insert."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_entry_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    legs integer;
    total bigint;
BEGIN
    SELECT count(*), coalesce(sum(amount_fen), 0) INTO legs, total FROM ledger_leg WHERE entry_id = NEW.id;
    IF legs < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger entry % is not balanced: % legs summing to % fen', NEW.id, legs, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_entry_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ledger_period WHERE book_id = NEW.book_id AND month = NEW.period) THEN
        RAISE EXCEPTION 'ledger entry in the closed period %', NEW.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_entry_open_period BEFORE INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_open_period();
"""

BACKWARD = r"""
DROP TRIGGER ledger_entry_open_period ON ledger_entry;
DROP FUNCTION ledger_entry_open_period();
CREATE OR REPLACE FUNCTION ledger_entry_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    legs integer;
    total bigint;
BEGIN
    SELECT count(*), coalesce(sum(amount_fen), 0) INTO legs, total FROM ledger_leg WHERE entry_id = NEW.id;
    IF legs < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger entry % is not balanced: % legs summing to % fen', NEW.id, legs, total
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_period WHERE book_id = NEW.book_id AND month = NEW.period) THEN
        RAISE EXCEPTION 'ledger entry % is in the closed period %', NEW.id, NEW.period
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # RAISE's % placeholders, escaped for the driver's parameter syntax.
        schema_editor.execute(FORWARD.replace("%", "%%"), params=[])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD.replace("%", "%%"), params=[])


class Migration(migrations.Migration):

    dependencies = [("ledger", "0002_guards")]

    operations = [migrations.RunPython(forward, backward)]
