CREATE TABLE `configuration_medians` (
	`configuration_id` text NOT NULL,
	`figure` text NOT NULL,
	`epoch` integer NOT NULL,
	`n` integer NOT NULL,
	`lo` real,
	`below` integer NOT NULL,
	`median` real,
	PRIMARY KEY(`configuration_id`, `figure`)
);
--> statement-breakpoint
DROP INDEX `runs_configuration`;--> statement-breakpoint
ALTER TABLE `runs` ADD `visible` integer DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_configuration_visible` ON `runs` (`configuration_id`,`visible`,`public_key`,`submission_id`);--> statement-breakpoint
CREATE INDEX `runs_median_pp_tps` ON `runs` (`configuration_id`,`visible`,`pp_tps`) WHERE "pp_tps" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tg_tps` ON `runs` (`configuration_id`,`visible`,`tg_tps`) WHERE "tg_tps" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_pg_tps` ON `runs` (`configuration_id`,`visible`,`pg_tps`) WHERE "pg_tps" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tg_depth_tps` ON `runs` (`configuration_id`,`visible`,`tg_depth_tps`) WHERE "tg_depth_tps" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_ttft_ms` ON `runs` (`configuration_id`,`visible`,`ttft_ms`) WHERE "ttft_ms" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_avg_w` ON `runs` (`configuration_id`,`visible`,`avg_w`) WHERE "avg_w" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_j_per_token` ON `runs` (`configuration_id`,`visible`,`j_per_token`) WHERE "j_per_token" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tokens_per_j` ON `runs` (`configuration_id`,`visible`,`tokens_per_j`) WHERE "tokens_per_j" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tps_per_litre` ON `runs` (`configuration_id`,`visible`,`tps_per_litre`) WHERE "tps_per_litre" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_perplexity` ON `runs` (`configuration_id`,`visible`,`perplexity`) WHERE "perplexity" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_pp_tps_sd` ON `runs` (`configuration_id`,`visible`,`pp_tps_sd`) WHERE "pp_tps_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tg_tps_sd` ON `runs` (`configuration_id`,`visible`,`tg_tps_sd`) WHERE "tg_tps_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_pg_tps_sd` ON `runs` (`configuration_id`,`visible`,`pg_tps_sd`) WHERE "pg_tps_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tg_depth_tps_sd` ON `runs` (`configuration_id`,`visible`,`tg_depth_tps_sd`) WHERE "tg_depth_tps_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_ttft_ms_sd` ON `runs` (`configuration_id`,`visible`,`ttft_ms_sd`) WHERE "ttft_ms_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_avg_w_sd` ON `runs` (`configuration_id`,`visible`,`avg_w_sd`) WHERE "avg_w_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_j_per_token_sd` ON `runs` (`configuration_id`,`visible`,`j_per_token_sd`) WHERE "j_per_token_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tokens_per_j_sd` ON `runs` (`configuration_id`,`visible`,`tokens_per_j_sd`) WHERE "tokens_per_j_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_tps_per_litre_sd` ON `runs` (`configuration_id`,`visible`,`tps_per_litre_sd`) WHERE "tps_per_litre_sd" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `runs_median_perplexity_sd` ON `runs` (`configuration_id`,`visible`,`perplexity_sd`) WHERE "perplexity_sd" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `configurations` ADD `median_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `submissions` ADD `ingest_token` text;--> statement-breakpoint
-- Runs of submissions that are not visible (flagged, hidden) leave the configuration indexes' visible range.
UPDATE `runs` SET `visible` = 0 WHERE `submission_id` IN (SELECT `id` FROM `submissions` WHERE `status` <> 'visible');--> statement-breakpoint
-- runs.visible follows submissions.status on every change (moderation's hide, restore, revoke, withdraw),
-- so the moderation batches keep writing only submissions.status and their recompute reads the new state.
CREATE TRIGGER `submissions_status_runs` AFTER UPDATE OF `status` ON `submissions` FOR EACH ROW WHEN OLD.`status` IS NOT NEW.`status`
BEGIN
  UPDATE `runs` SET `visible` = (NEW.`status` = 'visible') WHERE `submission_id` = NEW.`id`;
END;
