CREATE TABLE `boards` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`in_catalogue` integer NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL,
	`key_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `configurations` (
	`id` text PRIMARY KEY NOT NULL,
	`suite_id` text NOT NULL,
	`suite_version` text NOT NULL,
	`model_id` text NOT NULL,
	`model_slug` text NOT NULL,
	`model_name` text NOT NULL,
	`model_sha256` text,
	`quantisation` text NOT NULL,
	`parameters` integer,
	`board_id` text NOT NULL,
	`board_name` text NOT NULL,
	`accelerator_kind` text NOT NULL,
	`accelerator_name` text,
	`backend` text NOT NULL,
	`runtime_name` text NOT NULL,
	`threads` integer NOT NULL,
	`gpu_layers` integer NOT NULL,
	`meter_scope` text NOT NULL,
	`run_count` integer DEFAULT 0 NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL,
	`key_count` integer DEFAULT 0 NOT NULL,
	`first_submitted_at` text,
	`last_submitted_at` text,
	`latest_submission_id` text,
	`pp_tps` real,
	`pp_tps_sd` real,
	`tg_tps` real,
	`tg_tps_sd` real,
	`pg_tps` real,
	`pg_tps_sd` real,
	`tg_depth_tps` real,
	`tg_depth_tps_sd` real,
	`ttft_ms` real,
	`ttft_ms_sd` real,
	`avg_w` real,
	`avg_w_sd` real,
	`j_per_token` real,
	`j_per_token_sd` real,
	`tokens_per_j` real,
	`tokens_per_j_sd` real,
	`tps_per_litre` real,
	`tps_per_litre_sd` real,
	`perplexity` real,
	`perplexity_sd` real
);
--> statement-breakpoint
CREATE INDEX `configurations_board` ON `configurations` (`board_id`);--> statement-breakpoint
CREATE INDEX `configurations_model` ON `configurations` (`model_id`);--> statement-breakpoint
CREATE INDEX `configurations_model_slug` ON `configurations` (`model_slug`);--> statement-breakpoint
CREATE INDEX `configurations_backend` ON `configurations` (`backend`);--> statement-breakpoint
CREATE INDEX `configurations_accelerator` ON `configurations` (`accelerator_kind`);--> statement-breakpoint
CREATE INDEX `configurations_rank_pp_tps` ON `configurations` (`pp_tps`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_tg_tps` ON `configurations` (`tg_tps`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_pg_tps` ON `configurations` (`pg_tps`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_tg_depth_tps` ON `configurations` (`tg_depth_tps`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_ttft_ms` ON `configurations` (`ttft_ms`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_avg_w` ON `configurations` (`meter_scope`,`avg_w`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_j_per_token` ON `configurations` (`meter_scope`,`j_per_token`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_tokens_per_j` ON `configurations` (`meter_scope`,`tokens_per_j`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_tps_per_litre` ON `configurations` (`tps_per_litre`,`id`);--> statement-breakpoint
CREATE INDEX `configurations_rank_perplexity` ON `configurations` (`perplexity`,`id`);--> statement-breakpoint
CREATE TABLE `contributors` (
	`public_key` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`display_name` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contributors_fingerprint` ON `contributors` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`quantisation` text NOT NULL,
	`sha256` text,
	`parameters` integer,
	`size_bytes` integer,
	`arch` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL,
	`key_count` integer DEFAULT 0 NOT NULL,
	`board_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `models_slug` ON `models` (`slug`);--> statement-breakpoint
CREATE TABLE `runs` (
	`submission_id` text NOT NULL,
	`run_index` integer NOT NULL,
	`configuration_id` text,
	`public_key` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`model_id` text NOT NULL,
	`model_slug` text NOT NULL,
	`model_name` text NOT NULL,
	`model_sha256` text,
	`model_file_name` text,
	`quantisation` text NOT NULL,
	`parameters` integer,
	`size_bytes` integer,
	`arch` text,
	`threads` integer NOT NULL,
	`gpu_layers` integer NOT NULL,
	`context_size` integer NOT NULL,
	`batch_size` integer NOT NULL,
	`ubatch_size` integer NOT NULL,
	`flash_attention` integer NOT NULL,
	`pp_tps` real,
	`pp_tps_sd` real,
	`tg_tps` real,
	`tg_tps_sd` real,
	`pg_tps` real,
	`pg_tps_sd` real,
	`tg_depth_tps` real,
	`tg_depth_tps_sd` real,
	`ttft_ms` real,
	`ttft_ms_sd` real,
	`avg_w` real,
	`avg_w_sd` real,
	`j_per_token` real,
	`j_per_token_sd` real,
	`tokens_per_j` real,
	`tokens_per_j_sd` real,
	`tps_per_litre` real,
	`tps_per_litre_sd` real,
	`perplexity` real,
	`perplexity_sd` real,
	PRIMARY KEY(`submission_id`, `run_index`),
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_configuration` ON `runs` (`configuration_id`);--> statement-breakpoint
CREATE INDEX `runs_model` ON `runs` (`model_id`,`submission_id`);--> statement-breakpoint
CREATE INDEX `runs_model_slug` ON `runs` (`model_slug`);--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`signature` text NOT NULL,
	`document` text NOT NULL,
	`schema_id` text NOT NULL,
	`created_at` text NOT NULL,
	`received_at` text NOT NULL,
	`suite_id` text NOT NULL,
	`suite_version` text NOT NULL,
	`uploader_name` text NOT NULL,
	`uploader_version` text NOT NULL,
	`origin_kind` text NOT NULL,
	`origin_tool` text,
	`board_id` text NOT NULL,
	`board_name` text NOT NULL,
	`runtime_name` text NOT NULL,
	`runtime_version` text NOT NULL,
	`backend` text NOT NULL,
	`meter_kind` text,
	`meter_scope` text NOT NULL,
	`envelope_width_mm` real,
	`envelope_depth_mm` real,
	`envelope_height_mm` real,
	`envelope_source` text,
	`run_count` integer NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`status_reason` text,
	FOREIGN KEY (`public_key`) REFERENCES `contributors`(`public_key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submissions_public_key` ON `submissions` (`public_key`);--> statement-breakpoint
CREATE INDEX `submissions_board` ON `submissions` (`board_id`);--> statement-breakpoint
CREATE INDEX `submissions_received` ON `submissions` (`received_at`);--> statement-breakpoint
CREATE INDEX `submissions_status` ON `submissions` (`status`);