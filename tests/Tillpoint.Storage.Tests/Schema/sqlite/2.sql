-- due_at (unix ms) is the aggregate's NextDueAt: when its next time-driven change (an expiry, a pending
-- outcome) is due, for the sweeper. Existing rows cannot get their exact time here, since it comes from domain
-- rules, so every row that may have a change ahead is made due at once (due_at = created_at): the sweeper
-- loads it, applies what is really due (often nothing) and saves it, which writes its exact due time. Rows in a
-- final state keep NULL and are never swept.
ALTER TABLE checkout_sessions ADD COLUMN due_at INTEGER NULL;
ALTER TABLE charge_permissions ADD COLUMN due_at INTEGER NULL;
ALTER TABLE charges ADD COLUMN due_at INTEGER NULL;
UPDATE checkout_sessions SET due_at = created_at WHERE state = 'Open';
UPDATE charge_permissions SET due_at = created_at WHERE state <> 'Closed';
UPDATE charges SET due_at = created_at WHERE state IN ('AuthorizationInitiated', 'Authorized', 'CaptureInitiated');
CREATE TABLE refunds (
    merchant_id TEXT NOT NULL,
    refund_id TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    due_at INTEGER NULL,
    document BLOB NOT NULL,
    UNIQUE (merchant_id, refund_id)
);
CREATE INDEX refunds_by_permission ON refunds (merchant_id, charge_permission_id);
CREATE INDEX refunds_by_charge ON refunds (merchant_id, charge_id);
-- Partial: objects in a final state have nothing due, and most objects end in one; they stay out of these indexes.
CREATE INDEX checkout_sessions_due ON checkout_sessions (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charge_permissions_due ON charge_permissions (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charges_due ON charges (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX refunds_due ON refunds (environment, due_at) WHERE due_at IS NOT NULL;
ALTER TABLE events ADD COLUMN detail TEXT NULL;
CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
-- A carrier and tracking number is taken once per merchant and environment, whatever permission it was sent for.
CREATE TABLE delivery_trackers (
    merchant_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    carrier_code TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (merchant_id, environment, carrier_code, tracking_number)
);
CREATE INDEX delivery_trackers_by_permission ON delivery_trackers (merchant_id, charge_permission_id);