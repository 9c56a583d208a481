CREATE INDEX `submissions_id_status` ON `submissions` (`id`,`status`,`board_id`);--> statement-breakpoint
CREATE INDEX `submissions_board_status_key` ON `submissions` (`board_id`,`status`,`public_key`);--> statement-breakpoint
CREATE INDEX `submissions_key_status` ON `submissions` (`public_key`,`status`);