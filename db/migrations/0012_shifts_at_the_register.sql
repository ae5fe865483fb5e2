ALTER TABLE "shifts" ADD COLUMN "close_event_id" uuid;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "closed_by_cashier_id" uuid;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "approved_by_cashier_id" uuid;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "close_findings" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "shift_variance_threshold" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_closed_by_cashier_id_cashiers_id_fk" FOREIGN KEY ("closed_by_cashier_id") REFERENCES "public"."cashiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_approved_by_cashier_id_cashiers_id_fk" FOREIGN KEY ("approved_by_cashier_id") REFERENCES "public"."cashiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_shift_variance_threshold" CHECK ("store_settings"."shift_variance_threshold" >= 0);