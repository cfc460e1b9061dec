-- Exports read a merchant's events by time, a page at a time; the rowid (event_id) ends every index entry, so
-- this index is in (merchant_id, occurred_at, event_id) order, the order of the export's keyset.
CREATE INDEX events_by_time ON events (merchant_id, occurred_at);