-- Registers see a cashier through their company memberships; the shape scope of `cashiers` reads
-- cashier_companies, so a membership change must also change the cashier row to reach registers.
CREATE OR REPLACE FUNCTION till_touch_cashier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cashiers SET updated_at = now() WHERE id = COALESCE(NEW.cashier_id, OLD.cashier_id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS till_touch_cashier ON cashier_companies;
--> statement-breakpoint
CREATE TRIGGER till_touch_cashier AFTER INSERT OR UPDATE OR DELETE ON cashier_companies FOR EACH ROW EXECUTE FUNCTION till_touch_cashier();
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS change_log_lsn ON change_log (lsn);
