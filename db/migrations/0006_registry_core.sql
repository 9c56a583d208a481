CREATE TABLE `configuration_metrics` (
	`configuration_id` text NOT NULL,
	`metric` text NOT NULL,
	`rank_scope` text NOT NULL,
	`value` real NOT NULL,
	`stddev` real,
	`runs` integer NOT NULL,
	PRIMARY KEY(`configuration_id`, `metric`)
);
--> statement-breakpoint
CREATE INDEX `configuration_metrics_rank` ON `configuration_metrics` (`metric`,`rank_scope`,`value`,`configuration_id`);
--> statement-breakpoint
CREATE TABLE `configuration_values` (
	`configuration_id` text NOT NULL,
	`metric` text NOT NULL,
	`figure_values` text NOT NULL,
	`stddev_values` text NOT NULL,
	PRIMARY KEY(`configuration_id`, `metric`)
);
--> statement-breakpoint
-- The configurations' medians move to configuration_metrics as they are (every configuration is then marked
-- pending below, so the aggregation step recomputes each from its runs with the contract's own median).
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'pp_tps', 'any', `pp_tps`, `pp_tps_sd`, `run_count` FROM `configurations` WHERE `pp_tps` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'tg_tps', 'any', `tg_tps`, `tg_tps_sd`, `run_count` FROM `configurations` WHERE `tg_tps` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'pg_tps', 'any', `pg_tps`, `pg_tps_sd`, `run_count` FROM `configurations` WHERE `pg_tps` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'tg_depth_tps', 'any', `tg_depth_tps`, `tg_depth_tps_sd`, `run_count` FROM `configurations` WHERE `tg_depth_tps` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'ttft_ms', 'any', `ttft_ms`, `ttft_ms_sd`, `run_count` FROM `configurations` WHERE `ttft_ms` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'avg_w', `meter_scope`, `avg_w`, `avg_w_sd`, `run_count` FROM `configurations` WHERE `avg_w` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'j_per_token', `meter_scope`, `j_per_token`, `j_per_token_sd`, `run_count` FROM `configurations` WHERE `j_per_token` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'tokens_per_j', `meter_scope`, `tokens_per_j`, `tokens_per_j_sd`, `run_count` FROM `configurations` WHERE `tokens_per_j` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'tps_per_litre', 'any', `tps_per_litre`, `tps_per_litre_sd`, `run_count` FROM `configurations` WHERE `tps_per_litre` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
INSERT INTO `configuration_metrics` (`configuration_id`, `metric`, `rank_scope`, `value`, `stddev`, `runs`)
  SELECT `id`, 'perplexity', 'any', `perplexity`, `perplexity_sd`, `run_count` FROM `configurations` WHERE `perplexity` IS NOT NULL AND `submission_count` > 0;
--> statement-breakpoint
DROP TABLE `configuration_medians`;
--> statement-breakpoint
DROP INDEX `configurations_rank_pp_tps`;
--> statement-breakpoint
DROP INDEX `configurations_rank_tg_tps`;
--> statement-breakpoint
DROP INDEX `configurations_rank_pg_tps`;
--> statement-breakpoint
DROP INDEX `configurations_rank_tg_depth_tps`;
--> statement-breakpoint
DROP INDEX `configurations_rank_ttft_ms`;
--> statement-breakpoint
DROP INDEX `configurations_rank_avg_w`;
--> statement-breakpoint
DROP INDEX `configurations_rank_j_per_token`;
--> statement-breakpoint
DROP INDEX `configurations_rank_tokens_per_j`;
--> statement-breakpoint
DROP INDEX `configurations_rank_tps_per_litre`;
--> statement-breakpoint
DROP INDEX `configurations_rank_perplexity`;
--> statement-breakpoint
ALTER TABLE `configurations` ADD `pending_seq` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `configurations` ADD `aggregated_seq` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE INDEX `configurations_meter_scope` ON `configurations` (`meter_scope`);
--> statement-breakpoint
CREATE INDEX `configurations_pending` ON `configurations` (`id`) WHERE "configurations"."aggregated_seq" < "configurations"."pending_seq";
--> statement-breakpoint
ALTER TABLE `configurations` ADD `values_stale` integer DEFAULT false NOT NULL;
--> statement-breakpoint
-- Every configuration waits for the aggregation step: its value lists built and its figures recomputed from its runs.
UPDATE `configurations` SET `pending_seq` = 1, `values_stale` = 1;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `median_epoch`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `pp_tps`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `pp_tps_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tg_tps`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tg_tps_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `pg_tps`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `pg_tps_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tg_depth_tps`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tg_depth_tps_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `ttft_ms`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `ttft_ms_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `avg_w`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `avg_w_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `j_per_token`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `j_per_token_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tokens_per_j`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tokens_per_j_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tps_per_litre`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `tps_per_litre_sd`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `perplexity`;
--> statement-breakpoint
ALTER TABLE `configurations` DROP COLUMN `perplexity_sd`;
--> statement-breakpoint
DROP INDEX `contributors_fingerprint`;
--> statement-breakpoint
-- SQLite adds a NOT NULL column only with a default; every row gets its real value right after.
ALTER TABLE `runs` ADD `received_at` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `runs` ADD `figures` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
-- Each run's figures as one JSON object keyed by metric id; json_patch (RFC 7396) drops the null members.
UPDATE `runs` SET
  `received_at` = (SELECT `received_at` FROM `submissions` WHERE `submissions`.`id` = `runs`.`submission_id`),
  `figures` = json_patch('{}', json_object(
    'pp_tps', CASE WHEN `pp_tps` IS NULL THEN NULL ELSE json_object('value', `pp_tps`, 'stddev', `pp_tps_sd`) END,
    'tg_tps', CASE WHEN `tg_tps` IS NULL THEN NULL ELSE json_object('value', `tg_tps`, 'stddev', `tg_tps_sd`) END,
    'pg_tps', CASE WHEN `pg_tps` IS NULL THEN NULL ELSE json_object('value', `pg_tps`, 'stddev', `pg_tps_sd`) END,
    'tg_depth_tps', CASE WHEN `tg_depth_tps` IS NULL THEN NULL ELSE json_object('value', `tg_depth_tps`, 'stddev', `tg_depth_tps_sd`) END,
    'ttft_ms', CASE WHEN `ttft_ms` IS NULL THEN NULL ELSE json_object('value', `ttft_ms`, 'stddev', `ttft_ms_sd`) END,
    'avg_w', CASE WHEN `avg_w` IS NULL THEN NULL ELSE json_object('value', `avg_w`, 'stddev', `avg_w_sd`) END,
    'j_per_token', CASE WHEN `j_per_token` IS NULL THEN NULL ELSE json_object('value', `j_per_token`, 'stddev', `j_per_token_sd`) END,
    'tokens_per_j', CASE WHEN `tokens_per_j` IS NULL THEN NULL ELSE json_object('value', `tokens_per_j`, 'stddev', `tokens_per_j_sd`) END,
    'tps_per_litre', CASE WHEN `tps_per_litre` IS NULL THEN NULL ELSE json_object('value', `tps_per_litre`, 'stddev', `tps_per_litre_sd`) END,
    'perplexity', CASE WHEN `perplexity` IS NULL THEN NULL ELSE json_object('value', `perplexity`, 'stddev', `perplexity_sd`) END
  ));
--> statement-breakpoint
-- runs.visible is now written by moderation in the same batch as the status (workers/moderation), not by a trigger.
DROP TRIGGER `submissions_status_runs`;
--> statement-breakpoint
DROP INDEX `runs_median_pp_tps`;
--> statement-breakpoint
DROP INDEX `runs_median_tg_tps`;
--> statement-breakpoint
DROP INDEX `runs_median_pg_tps`;
--> statement-breakpoint
DROP INDEX `runs_median_tg_depth_tps`;
--> statement-breakpoint
DROP INDEX `runs_median_ttft_ms`;
--> statement-breakpoint
DROP INDEX `runs_median_avg_w`;
--> statement-breakpoint
DROP INDEX `runs_median_j_per_token`;
--> statement-breakpoint
DROP INDEX `runs_median_tokens_per_j`;
--> statement-breakpoint
DROP INDEX `runs_median_tps_per_litre`;
--> statement-breakpoint
DROP INDEX `runs_median_perplexity`;
--> statement-breakpoint
DROP INDEX `runs_median_pp_tps_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_tg_tps_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_pg_tps_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_tg_depth_tps_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_ttft_ms_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_avg_w_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_j_per_token_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_tokens_per_j_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_tps_per_litre_sd`;
--> statement-breakpoint
DROP INDEX `runs_median_perplexity_sd`;
--> statement-breakpoint
DROP INDEX `runs_configuration_visible`;
--> statement-breakpoint
CREATE INDEX `runs_configuration_visible` ON `runs` (`configuration_id`,`visible`,`received_at`,`submission_id`,`public_key`);
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `pp_tps`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `pp_tps_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tg_tps`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tg_tps_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `pg_tps`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `pg_tps_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tg_depth_tps`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tg_depth_tps_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `ttft_ms`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `ttft_ms_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `avg_w`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `avg_w_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `j_per_token`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `j_per_token_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tokens_per_j`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tokens_per_j_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tps_per_litre`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `tps_per_litre_sd`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `perplexity`;
--> statement-breakpoint
ALTER TABLE `runs` DROP COLUMN `perplexity_sd`;
--> statement-breakpoint
DROP INDEX `submissions_public_key`;
--> statement-breakpoint
DROP INDEX `submissions_board`;
--> statement-breakpoint
DROP INDEX `submissions_received`;
--> statement-breakpoint
DROP INDEX `submissions_status`;
--> statement-breakpoint
ALTER TABLE `submissions` ADD `footprint_width_mm` real;
--> statement-breakpoint
ALTER TABLE `submissions` ADD `footprint_depth_mm` real;
--> statement-breakpoint
ALTER TABLE `submissions` ADD `footprint_source` text;
--> statement-breakpoint
-- Every stored result is recomputed from its document by the aggregation step's cron pass (an empty version is older than any).
ALTER TABLE `submissions` ADD `figures_version` text DEFAULT '' NOT NULL;
--> statement-breakpoint
CREATE INDEX `submissions_figures_version` ON `submissions` (`figures_version`);
