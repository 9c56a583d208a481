-- Declared cooling becomes part of a configuration's key, only when declared, so configurations of undeclared results keep their ids.
-- Results stored before this migration stay in the configuration they were keyed to (cooling null), whatever their document declares.
ALTER TABLE `configurations` ADD `cooling` text;--> statement-breakpoint
CREATE INDEX `configurations_cooling` ON `configurations` (`cooling`);
