"""The database's own guard of the journal, beside the checks of ledger.actions.

PostgreSQL:
- at commit (a DEFERRABLE INITIALLY DEFERRED constraint trigger per new entry): the entry has at
  least two legs, they sum to zero, and its month is not a closed period;
- after every INSERT of legs (one statement-level check over the inserted rows): each leg's book
  and period are its entry's, and its account belongs to that book;
- UPDATE and DELETE of entries, legs and closed periods are refused. TRUNCATE (the test
  runner's flush) is not a row operation and still works.

SQLite has no deferred triggers: the balance is the action's check. Its triggers refuse UPDATE
of entries, legs and periods, entries into a closed period, and legs that disagree with their
entry or account. DELETE is left to the model's refusal, because the test runner's flush
deletes the tables in an arbitrary order.
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE FUNCTION ledger_entry_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_at_commit();

CREATE FUNCTION ledger_legs_agree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM new_legs l
        JOIN ledger_entry e ON e.id = l.entry_id
        JOIN ledger_account a ON a.id = l.account_id
        WHERE l.book_id <> e.book_id OR l.period <> e.period OR a.book_id <> l.book_id
    ) THEN
        RAISE EXCEPTION 'ledger leg disagrees with its entry or account' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_legs_agree AFTER INSERT ON ledger_leg
    REFERENCING NEW TABLE AS new_legs FOR EACH STATEMENT EXECUTE FUNCTION ledger_legs_agree();

CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the ledger is immutable, post a reversal', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_leg_immutable BEFORE UPDATE OR DELETE ON ledger_leg
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_period_immutable BEFORE UPDATE OR DELETE ON ledger_period
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
"""

PG_BACKWARD = r"""
DROP TRIGGER ledger_period_immutable ON ledger_period;
DROP TRIGGER ledger_entry_immutable ON ledger_entry;
DROP TRIGGER ledger_leg_immutable ON ledger_leg;
DROP FUNCTION ledger_immutable();
DROP TRIGGER ledger_legs_agree ON ledger_leg;
DROP FUNCTION ledger_legs_agree();
DROP TRIGGER ledger_entry_balanced ON ledger_entry;
DROP FUNCTION ledger_entry_at_commit();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER ledger_leg_no_update BEFORE UPDATE ON ledger_leg
       BEGIN SELECT RAISE(ABORT, 'UPDATE on ledger_leg refused: the ledger is immutable'); END""",
    """CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'UPDATE on ledger_entry refused: the ledger is immutable'); END""",
    """CREATE TRIGGER ledger_period_no_update BEFORE UPDATE ON ledger_period
       BEGIN SELECT RAISE(ABORT, 'UPDATE on ledger_period refused: the ledger is immutable'); END""",
    """CREATE TRIGGER ledger_entry_open_period BEFORE INSERT ON ledger_entry
       WHEN EXISTS (SELECT 1 FROM ledger_period WHERE book_id = NEW.book_id AND month = NEW.period)
       BEGIN SELECT RAISE(ABORT, 'ledger entry in a closed period'); END""",
    """CREATE TRIGGER ledger_leg_agrees BEFORE INSERT ON ledger_leg
       WHEN NOT EXISTS (SELECT 1 FROM ledger_entry e JOIN ledger_account a ON a.id = NEW.account_id
                        WHERE e.id = NEW.entry_id AND e.book_id = NEW.book_id AND e.period = NEW.period
                          AND a.book_id = NEW.book_id)
       BEGIN SELECT RAISE(ABORT, 'ledger leg disagrees with its entry or account'); END""",
]
SQLITE_TRIGGERS = ["ledger_leg_no_update", "ledger_entry_no_update", "ledger_period_no_update",
                   "ledger_entry_open_period", "ledger_leg_agrees"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # RAISE's % placeholders, escaped for the driver's parameter syntax.
        schema_editor.execute(PG_FORWARD.replace("%", "%%"), params=[])
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=[])
    elif schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER {name}")


class Migration(migrations.Migration):

    dependencies = [("ledger", "0001_journal")]

    operations = [migrations.RunPython(forward, backward)]
