-- Disputes belong to a charge permission's ledger, like refunds: locked and swept through their permission.
CREATE TABLE disputes (
    merchant_id TEXT NOT NULL,
    dispute_id TEXT NOT NULL,
    charge_id TEXT NOT NULL,
    charge_permission_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    due_at INTEGER NULL,
    amount_hundredths INTEGER NULL,
    currency TEXT NULL,
    merchant_reference TEXT NULL,
    document BLOB NOT NULL,
    UNIQUE (merchant_id, dispute_id)
);
CREATE INDEX disputes_by_permission ON disputes (merchant_id, charge_permission_id);
CREATE INDEX disputes_due ON disputes (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX disputes_by_created ON disputes (created_at, dispute_id);
CREATE INDEX disputes_by_merchant_created ON disputes (merchant_id, created_at, dispute_id);
CREATE INDEX disputes_by_state_created ON disputes (state, created_at, dispute_id);
CREATE INDEX disputes_by_id ON disputes (dispute_id);
-- Evidence files (Upload File): the record at the first step, the bytes at the second.
CREATE TABLE evidence_files (
    merchant_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    type TEXT NOT NULL,
    purpose TEXT NOT NULL,
    upload_token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    url_expires_at INTEGER NOT NULL,
    uploaded_at INTEGER NULL,
    size INTEGER NOT NULL,
    content BLOB NULL,
    UNIQUE (merchant_id, file_id)
);