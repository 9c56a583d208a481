CREATE TABLE `model_families` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL,
	`key_count` integer DEFAULT 0 NOT NULL,
	`board_count` integer DEFAULT 0 NOT NULL
);
