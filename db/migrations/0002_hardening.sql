CREATE TABLE `moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`target_kind` text NOT NULL,
	`target` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`affected` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `moderation_log_target` ON `moderation_log` (`target`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`window_start` integer NOT NULL,
	`bucket` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`window_start`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `request_nonces` (
	`public_key` text NOT NULL,
	`nonce` text NOT NULL,
	`at_ms` integer NOT NULL,
	PRIMARY KEY(`public_key`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `request_nonces_at` ON `request_nonces` (`at_ms`);--> statement-breakpoint
CREATE TABLE `revoked_keys` (
	`public_key` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`revoked_at` text NOT NULL
);
