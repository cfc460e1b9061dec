-- Disputes belong to a charge permission's ledger, like refunds: locked and swept through their permission.
CREATE TABLE disputes (
    merchant_id text NOT NULL,
    dispute_id text NOT NULL,
    charge_id text NOT NULL,
    charge_permission_id text NOT NULL,
    environment text NOT NULL,
    version bigint NOT NULL,
    state text NOT NULL,
    created_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    amount numeric NULL,
    currency text NULL,
    merchant_reference text NULL,
    document bytea NOT NULL,
    PRIMARY KEY (merchant_id, dispute_id)
);
CREATE INDEX disputes_by_permission ON disputes (merchant_id, charge_permission_id);
CREATE INDEX disputes_due ON disputes (environment, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX disputes_by_created ON disputes (created_at, dispute_id);
CREATE INDEX disputes_by_merchant_created ON disputes (merchant_id, created_at, dispute_id);
CREATE INDEX disputes_by_state_created ON disputes (state, created_at, dispute_id);
CREATE INDEX disputes_by_id ON disputes (dispute_id);
-- Evidence files (Upload File): the record at the first step, the bytes at the second.
CREATE TABLE evidence_files (
    merchant_id text NOT NULL,
    file_id text NOT NULL,
    environment text NOT NULL,
    type text NOT NULL,
    purpose text NOT NULL,
    upload_token text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    url_expires_at timestamptz NOT NULL,
    uploaded_at timestamptz NULL,
    size bigint NOT NULL,
    content bytea NULL,
    PRIMARY KEY (merchant_id, file_id)
);