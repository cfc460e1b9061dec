-- Instant Payment Notifications. A notification is written with the state change it reports (the outbox); the
-- dispatcher then fans it out to the merchant's endpoints, one delivery each, and records every attempt. Nodes
-- share the work through row locks (SKIP LOCKED) and leases (leased_until, real time).
CREATE TABLE ipn_endpoints (
    merchant_id text NOT NULL,
    environment text NOT NULL,
    url text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, environment, url)
);
CREATE TABLE ipn_notifications (
    notification_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id text NOT NULL UNIQUE,
    merchant_id text NOT NULL,
    environment text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    charge_permission_id text NOT NULL,
    notification_type text NOT NULL,
    event_id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    fanned_out boolean NOT NULL DEFAULT false
);
-- Partial: once fanned out (nearly all of them), a notification leaves this index.
CREATE INDEX ipn_notifications_unsent ON ipn_notifications (environment, notification_seq) WHERE NOT fanned_out;
CREATE INDEX ipn_notifications_by_permission ON ipn_notifications (merchant_id, charge_permission_id, notification_seq);
CREATE TABLE ipn_deliveries (
    delivery_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id text NOT NULL UNIQUE,
    notification_seq bigint NOT NULL REFERENCES ipn_notifications (notification_seq),
    notification_id text NOT NULL,
    merchant_id text NOT NULL,
    environment text NOT NULL,
    url text NOT NULL,
    object_id text NOT NULL,
    state text NOT NULL,
    series integer NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    leased_until timestamptz NULL,
    lease_token text NULL,
    created_at timestamptz NOT NULL,
    last_attempt_at timestamptz NULL,
    last_result text NULL,
    UNIQUE (notification_seq, url)
);
CREATE INDEX ipn_deliveries_due ON ipn_deliveries (environment, next_attempt_at) WHERE state = 'Pending';
-- What keeps one object's notifications to one endpoint in order: the earliest pending one goes first.
CREATE INDEX ipn_deliveries_in_order ON ipn_deliveries (merchant_id, environment, url, object_id, notification_seq) WHERE state = 'Pending';
CREATE INDEX ipn_deliveries_by_notification ON ipn_deliveries (notification_id);
CREATE INDEX ipn_deliveries_by_lease ON ipn_deliveries (lease_token) WHERE lease_token IS NOT NULL;
CREATE TABLE ipn_attempts (
    attempt_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_seq bigint NOT NULL REFERENCES ipn_deliveries (delivery_seq),
    series integer NOT NULL,
    attempt integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    outcome text NOT NULL,
    status_code integer NULL,
    latency_ms bigint NOT NULL,
    detail text NULL
);
CREATE INDEX ipn_attempts_by_delivery ON ipn_attempts (delivery_seq);