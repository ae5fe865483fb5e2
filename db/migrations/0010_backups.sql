CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"result" text DEFAULT 'requested' NOT NULL,
	"file" text,
	"bytes" bigint,
	"sha256" text,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "backups_requested_at" ON "backups" USING btree ("requested_at");