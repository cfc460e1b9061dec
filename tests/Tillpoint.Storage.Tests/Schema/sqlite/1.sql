CREATE TABLE merchants (
    merchant_id TEXT NOT NULL PRIMARY KEY,
    store_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE public_keys (
    public_key_id TEXT NOT NULL PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    environment TEXT NULL,
    public_key_pem TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NULL
);
CREATE INDEX public_keys_by_merchant ON public_keys (merchant_id);
-- Aggregates live in rowid tables with a unique (merchant_id, id) key rather than WITHOUT ROWID tables: their
-- JSON documents run to a few KiB, and an index b-tree would push every such row into overflow pages.
CREATE TABLE checkout_sessions (
    merchant_id TEXT NOT NULL,
    checkout_session_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    document BLOB NOT NULL,
    UNIQUE (merchant_id, checkout_session_id)
);
-- The hosted buyer pages know only the session id, not the merchant.
CREATE UNIQUE INDEX checkout_sessions_by_id ON checkout_sessions (checkout_session_id);
CREATE TABLE charge_permissions (
    merchant_id TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    document BLOB NOT NULL,
    UNIQUE (merchant_id, charge_permission_id)
);
CREATE TABLE charges (
    merchant_id TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    document BLOB NOT NULL,
    UNIQUE (merchant_id, charge_id)
);
CREATE INDEX charges_by_permission ON charges (merchant_id, charge_permission_id);
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    charge_permission_id TEXT NULL,
    from_state TEXT NULL,
    to_state TEXT NOT NULL,
    reason_code TEXT NULL,
    amount TEXT NULL,
    currency TEXT NULL,
    occurred_at INTEGER NOT NULL
);
CREATE INDEX events_by_object ON events (merchant_id, object_id);
CREATE INDEX events_by_charge_permission ON events (merchant_id, charge_permission_id);
-- A rowid table too: the stored response is close to a KiB, over what an index b-tree keeps in its page.
CREATE TABLE idempotency_keys (
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    status_code INTEGER NOT NULL,
    response_body BLOB NOT NULL,
    UNIQUE (merchant_id, environment, method, path, idempotency_key)
);