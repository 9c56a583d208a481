ALTER TABLE `submissions` ADD `fleet_label` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `fleet_node` text;--> statement-breakpoint
-- Results stored before these columns name their fleet in the signed document only: copied from it once.
UPDATE `submissions` SET `fleet_label` = json_extract(`document`, '$.fleet.label'), `fleet_node` = json_extract(`document`, '$.fleet.node') WHERE json_extract(`document`, '$.fleet') IS NOT NULL;--> statement-breakpoint
CREATE INDEX `submissions_fleet` ON `submissions` (`fleet_label`,`status`,`received_at`,`id`,`fleet_node`,`board_name`);
