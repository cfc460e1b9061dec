-- Exports read a merchant's events by time, a page at a time, continuing after (occurred_at, event_id).
CREATE INDEX events_by_time ON events (merchant_id, occurred_at, event_id);