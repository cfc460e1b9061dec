CREATE TABLE merchants (
    merchant_id text NOT NULL PRIMARY KEY,
    store_id text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE public_keys (
    public_key_id text NOT NULL PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES merchants (merchant_id),
    environment text NULL,
    public_key_pem text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX public_keys_by_merchant ON public_keys (merchant_id);
CREATE TABLE settings (
    key text NOT NULL PRIMARY KEY,
    value text NOT NULL
);
-- due_at is the aggregate's NextDueAt, rounded up to the millisecond: when the sweeper must look at it next.
CREATE TABLE checkout_sessions (
    merchant_id text NOT NULL,
    checkout_session_id text NOT NULL,
    environment text NOT NULL,
    version bigint NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    document bytea NOT NULL,
    PRIMARY KEY (merchant_id, checkout_session_id)
);
-- The hosted buyer pages know only the session id (a random UUID), not the merchant.
CREATE INDEX checkout_sessions_by_id ON checkout_sessions (checkout_session_id);
CREATE TABLE charge_permissions (
    merchant_id text NOT NULL,
    charge_permission_id text NOT NULL,
    environment text NOT NULL,
    version bigint NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    document bytea NOT NULL,
    PRIMARY KEY (merchant_id, charge_permission_id)
);
CREATE TABLE charges (
    merchant_id text NOT NULL,
    charge_id text NOT NULL,
    charge_permission_id text NOT NULL,
    environment text NOT NULL,
    version bigint NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    document bytea NOT NULL,
    PRIMARY KEY (merchant_id, charge_id)
);
CREATE INDEX charges_by_permission ON charges (merchant_id, charge_permission_id);
CREATE TABLE refunds (
    merchant_id text NOT NULL,
    refund_id text NOT NULL,
    charge_id text NOT NULL,
    charge_permission_id text NOT NULL,
    environment text NOT NULL,
    version bigint NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    document bytea NOT NULL,
    PRIMARY KEY (merchant_id, refund_id)
);
CREATE INDEX refunds_by_permission ON refunds (merchant_id, charge_permission_id);
CREATE INDEX refunds_by_charge ON refunds (merchant_id, charge_id);
-- Partial: objects in a final state have nothing due, and most objects end in one. They stay out of these indexes.
CREATE INDEX checkout_sessions_due ON checkout_sessions (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charge_permissions_due ON charge_permissions (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charges_due ON charges (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX refunds_due ON refunds (environment, due_at) WHERE due_at IS NOT NULL;
-- event_id gives the order of appending. Identity values are handed out at insert, not at commit, so the ids of
-- concurrent transactions interleave, but one object's events are appended under its ledger's lock, in order.
CREATE TABLE events (
    merchant_id text NOT NULL,
    event_id bigint GENERATED ALWAYS AS IDENTITY,
    environment text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    charge_permission_id text NULL,
    from_state text NULL,
    to_state text NOT NULL,
    reason_code text NULL,
    amount numeric NULL,
    currency text NULL,
    occurred_at timestamptz NOT NULL,
    detail text NULL,
    PRIMARY KEY (merchant_id, event_id)
);
CREATE INDEX events_by_object ON events (merchant_id, object_id, event_id);
CREATE INDEX events_by_charge_permission ON events (merchant_id, charge_permission_id, event_id);
CREATE TABLE idempotency_keys (
    merchant_id text NOT NULL,
    environment text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash bytea NOT NULL,
    status_code integer NOT NULL,
    response_body bytea NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (merchant_id, environment, method, path, idempotency_key)
);
-- A carrier and tracking number is taken once per merchant and environment, whatever permission it was sent for.
CREATE TABLE delivery_trackers (
    merchant_id text NOT NULL,
    environment text NOT NULL,
    carrier_code text NOT NULL,
    tracking_number text NOT NULL,
    charge_permission_id text NOT NULL,
    created_at timestamptz NOT NULL,
    submission bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (merchant_id, environment, carrier_code, tracking_number)
);
CREATE INDEX delivery_trackers_by_permission ON delivery_trackers (merchant_id, charge_permission_id, submission);