CREATE TABLE `retired_builds` (
	`id` text PRIMARY KEY NOT NULL,
	`runtime` text NOT NULL,
	`llama_cpp_commit` text,
	`min_version` text,
	`max_version` text,
	`min_version_key` text,
	`max_version_key` text,
	`reason` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `standard_files` (
	`sha256` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`quantisation` text NOT NULL,
	`suite_id` text NOT NULL,
	`source` text NOT NULL,
	`added_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `submissions` ADD `llama_cpp_commit` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `retired_rule` text;--> statement-breakpoint
-- Results stored before this column record their llama.cpp commit in the signed document only: copied from it once.
UPDATE `submissions` SET `llama_cpp_commit` = lower(json_extract(`document`, '$.runtime.llamaCpp.commit')) WHERE json_extract(`document`, '$.runtime.llamaCpp.commit') IS NOT NULL;--> statement-breakpoint
-- Leaderboard rows and results now say whether their file is a standard one: cached reads of the old shape become unreachable.
UPDATE `registry_version` SET `version` = `version` + 1, `salt` = lower(hex(randomblob(8))) WHERE `id` = 1;--> statement-breakpoint
CREATE INDEX `submissions_runtime` ON `submissions` (`runtime_name`,`runtime_version`,`llama_cpp_commit`,`retired_rule`,`status`,`id`);