CREATE TABLE "metrics_snapshots" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"function_name" text NOT NULL,
	"metrics" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
