-- A merchant's Amazon Pay region; merchants made before regions are NA.
ALTER TABLE merchants ADD COLUMN region TEXT NOT NULL DEFAULT 'NA';
