CREATE TABLE `registry_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`salt` text NOT NULL
);
--> statement-breakpoint
-- The one row (workers/cache/version.ts), with a random salt so two databases never share a version token.
INSERT INTO `registry_version` (`id`, `version`, `salt`) VALUES (1, 0, lower(hex(randomblob(8))));
