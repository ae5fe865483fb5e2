-- Change capture for the shape API (see docs/decisions/003-change-capture.md).
-- One global counter gives each capturing transaction one lsn; its row lock is held to commit,
-- so a transaction that captures later also commits later: change_log order = commit order.
INSERT INTO "change_counter" ("id", "last_lsn", "compacted_through") VALUES (1, 0, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION till_capture_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_lsn bigint;
  v_pos integer;
  v_txid bigint := txid_current();
  v_row jsonb;
  v_old jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    v_row := to_jsonb(OLD);
  ELSE
    v_row := to_jsonb(NEW);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    v_old := to_jsonb(OLD);
    IF v_old = v_row THEN
      RETURN NULL; -- nothing changed; keep the log quiet
    END IF;
  END IF;

  IF current_setting('till.capture_txid', true) IS DISTINCT FROM v_txid::text THEN
    UPDATE change_counter SET last_lsn = last_lsn + 1 WHERE id = 1 RETURNING last_lsn INTO v_lsn;
    v_pos := 0;
    PERFORM set_config('till.capture_txid', v_txid::text, true);
    PERFORM set_config('till.capture_lsn', v_lsn::text, true);
  ELSE
    v_lsn := current_setting('till.capture_lsn')::bigint;
    v_pos := current_setting('till.capture_pos')::integer + 1;
  END IF;
  PERFORM set_config('till.capture_pos', v_pos::text, true);

  INSERT INTO change_log (lsn, op_position, txid, table_name, operation, company_id, "row", old_row)
  VALUES (v_lsn, v_pos, v_txid, TG_TABLE_NAME, lower(TG_OP), (v_row->>'company_id')::uuid, v_row, v_old);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'companies', 'stores', 'store_settings', 'registers', 'devices', 'cashiers', 'cashier_companies',
    'tax_rates', 'items', 'barcodes', 'prices', 'customers', 'customer_credit', 'sales', 'rejected_events',
    'shifts', 'adjustment_queue'
  ] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS till_capture ON %I', t);
    EXECUTE format('CREATE TRIGGER till_capture AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION till_capture_change()', t);
  END LOOP;
END;
$$;
