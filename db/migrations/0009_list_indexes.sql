DROP INDEX "payments_sale";--> statement-breakpoint
DROP INDEX "rejected_events_status";--> statement-breakpoint
DROP INDEX "sales_company_occurred";--> statement-breakpoint
CREATE INDEX "adjustment_queue_open" ON "adjustment_queue" USING btree ("created_at","id") WHERE "adjustment_queue"."status" = 'open';--> statement-breakpoint
CREATE INDEX "adjustment_queue_resolved" ON "adjustment_queue" USING btree ("resolved_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "adjustment_queue"."status" <> 'open';--> statement-breakpoint
CREATE INDEX "change_log_created" ON "change_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "payments_sale_kind" ON "payments" USING btree ("sale_id","kind");--> statement-breakpoint
CREATE INDEX "payments_kind_sale" ON "payments" USING btree ("kind","sale_id");--> statement-breakpoint
CREATE INDEX "rejected_events_created" ON "rejected_events" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sales_occurred" ON "sales" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sales_register_occurred" ON "sales" USING btree ("register_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sales_cashier_occurred" ON "sales" USING btree ("cashier_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sales_flagged_occurred" ON "sales" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "sales"."flagged_for_adjustment";--> statement-breakpoint
CREATE INDEX "rejected_events_status" ON "rejected_events" USING btree ("status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sales_company_occurred" ON "sales" USING btree ("company_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);