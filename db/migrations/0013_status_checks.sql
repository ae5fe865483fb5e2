ALTER TABLE "adjustment_queue" ADD CONSTRAINT "adjustment_queue_status" CHECK ("adjustment_queue"."status" IN ('open', 'resolved'));--> statement-breakpoint
ALTER TABLE "admins" ADD CONSTRAINT "admins_role" CHECK ("admins"."role" IN ('admin', 'manager'));--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_type" CHECK ("audit_log"."actor_type" IN ('admin', 'device', 'system'));--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_kind" CHECK ("backups"."kind" IN ('scheduled', 'manual', 'cli', 'upgrade'));--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_result" CHECK ("backups"."result" IN ('requested', 'running', 'ok', 'failed'));--> statement-breakpoint
ALTER TABLE "cash_movements" ADD CONSTRAINT "cash_movements_kind" CHECK ("cash_movements"."kind" IN ('in', 'out'));--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_status" CHECK ("devices"."status" IN ('unpaired', 'active', 'revoked'));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_kind" CHECK ("payments"."kind" IN ('cash', 'card', 'credit'));--> statement-breakpoint
ALTER TABLE "register_events" ADD CONSTRAINT "register_events_status" CHECK ("register_events"."status" IN ('accepted', 'rejected'));--> statement-breakpoint
ALTER TABLE "rejected_events" ADD CONSTRAINT "rejected_events_source" CHECK ("rejected_events"."source" IN ('push', 'api', 'import'));--> statement-breakpoint
ALTER TABLE "rejected_events" ADD CONSTRAINT "rejected_events_status" CHECK ("rejected_events"."status" IN ('pending', 'retried', 'dismissed'));--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_tender" CHECK ("returns"."tender" IN ('cash', 'card'));--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_status" CHECK ("sales"."status" IN ('completed', 'voided'));--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_status" CHECK ("shifts"."status" IN ('open', 'closed'));--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_reason" CHECK ("stock_movements"."reason" IN ('sale', 'void', 'return', 'adjustment', 'transfer'));