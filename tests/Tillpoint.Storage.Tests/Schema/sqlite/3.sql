-- Instant Payment Notifications. A notification is written with the state change it reports (the outbox); the
-- dispatcher then fans it out to the merchant's endpoints, one delivery each, and records every attempt.
CREATE TABLE ipn_endpoints (
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, environment, url)
);
CREATE TABLE ipn_notifications (
    notification_seq INTEGER PRIMARY KEY,
    notification_id TEXT NOT NULL UNIQUE,
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    notification_type TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    fanned_out INTEGER NOT NULL DEFAULT 0
);
-- Partial: once fanned out (nearly all of them), a notification leaves this index.
CREATE INDEX ipn_notifications_unsent ON ipn_notifications (environment, notification_seq) WHERE fanned_out = 0;
CREATE INDEX ipn_notifications_by_permission ON ipn_notifications (merchant_id, charge_permission_id);
CREATE TABLE ipn_deliveries (
    delivery_seq INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL UNIQUE,
    notification_seq INTEGER NOT NULL REFERENCES ipn_notifications (notification_seq),
    notification_id TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    url TEXT NOT NULL,
    object_id TEXT NOT NULL,
    state TEXT NOT NULL,
    series INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    leased_until INTEGER NULL,
    lease_token TEXT NULL,
    created_at INTEGER NOT NULL,
    last_attempt_at INTEGER NULL,
    last_result TEXT NULL,
    UNIQUE (notification_seq, url)
);
CREATE INDEX ipn_deliveries_due ON ipn_deliveries (environment, next_attempt_at) WHERE state = 'Pending';
-- What keeps one object's notifications to one endpoint in order: the earliest pending one goes first.
CREATE INDEX ipn_deliveries_in_order ON ipn_deliveries (merchant_id, environment, url, object_id, notification_seq) WHERE state = 'Pending';
CREATE INDEX ipn_deliveries_by_notification ON ipn_deliveries (notification_id);
CREATE INDEX ipn_deliveries_by_lease ON ipn_deliveries (lease_token) WHERE lease_token IS NOT NULL;
CREATE TABLE ipn_attempts (
    attempt_seq INTEGER PRIMARY KEY,
    delivery_seq INTEGER NOT NULL REFERENCES ipn_deliveries (delivery_seq),
    series INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    attempted_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER NULL,
    latency_ms INTEGER NOT NULL,
    detail TEXT NULL
);
CREATE INDEX ipn_attempts_by_delivery ON ipn_attempts (delivery_seq);