"""PostgreSQL: the commit-time balance check becomes one set-based query per batch instead of one
index lookup per entry, and legs can only be added to entries of the same transaction.

A statement trigger on ledger_entry notes the id range of every INSERT in two transaction-local
settings: zhigong.ledger_mine (all ranges of this transaction) and zhigong.ledger_pending (not
yet checked). The deferred constraint trigger still fires for every new entry at COMMIT; the
first firing checks every pending range at once (≥ 2 legs, sum zero) and empties the pending
list, so the others return at once. Settings made with set_config(..., true) follow savepoint
rollbacks, so a rolled-back batch leaves no range behind. A SET CONSTRAINTS ... IMMEDIATE in
the middle of a transaction checks what is pending then; later entries are pending again.

The leg statement trigger now also refuses legs whose entry was not inserted in this
transaction: a posted entry cannot gain legs later, not even a balanced pair.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION ledger_entries_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lo bigint;
    hi bigint;
    range_text text;
BEGIN
    SELECT min(id), max(id) INTO lo, hi FROM new_entries;
    IF lo IS NOT NULL THEN
        range_text := lo || '-' || hi || ',';
        PERFORM set_config('zhigong.ledger_pending',
                           coalesce(current_setting('zhigong.ledger_pending', true), '') || range_text, true);
        PERFORM set_config('zhigong.ledger_mine',
                           coalesce(current_setting('zhigong.ledger_mine', true), '') || range_text, true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_entries_note AFTER INSERT ON ledger_entry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_note();

CREATE FUNCTION ledger_ranges(setting text) RETURNS TABLE (lo bigint, hi bigint) LANGUAGE sql STABLE AS $$
    SELECT split_part(r, '-', 1)::bigint, split_part(r, '-', 2)::bigint
    FROM unnest(string_to_array(coalesce(current_setting(setting, true), ''), ',')) AS r
    WHERE r <> ''
$$;

CREATE OR REPLACE FUNCTION ledger_entry_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    span record;
    bad record;
BEGIN
    IF coalesce(current_setting('zhigong.ledger_pending', true), '') = '' THEN
        RETURN NULL;  -- an earlier firing in this transaction checked every pending entry
    END IF;
    FOR span IN SELECT * FROM ledger_ranges('zhigong.ledger_pending') LOOP
        SELECT e.id, count(l.id) AS legs, coalesce(sum(l.amount_fen), 0) AS total INTO bad
        FROM ledger_entry e
        LEFT JOIN ledger_leg l ON l.entry_id = e.id AND l.entry_id BETWEEN span.lo AND span.hi
        WHERE e.id BETWEEN span.lo AND span.hi
        GROUP BY e.id
        HAVING count(l.id) < 2 OR coalesce(sum(l.amount_fen), 0) <> 0
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger entry % is not balanced: % legs summing to % fen', bad.id, bad.legs, bad.total
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    PERFORM set_config('zhigong.ledger_pending', '', true);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_legs_agree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM new_legs l
        WHERE NOT EXISTS (SELECT 1 FROM ledger_ranges('zhigong.ledger_mine') m WHERE l.entry_id BETWEEN m.lo AND m.hi)
    ) THEN
        RAISE EXCEPTION 'ledger legs can only be added to an entry in the transaction that creates it'
            USING ERRCODE = 'check_violation';
    END IF;
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
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION ledger_legs_agree() RETURNS trigger LANGUAGE plpgsql AS $$
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

DROP FUNCTION ledger_ranges(text);
DROP TRIGGER ledger_entries_note ON ledger_entry;
DROP FUNCTION ledger_entries_note();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # RAISE's % placeholders, escaped for the driver's parameter syntax.
        schema_editor.execute(FORWARD.replace("%", "%%"), params=[])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD.replace("%", "%%"), params=[])


class Migration(migrations.Migration):

    dependencies = [("ledger", "0003_period_check_on_insert")]

    operations = [migrations.RunPython(forward, backward)]
