-- Merchant accounts partners made through the API: each is a merchant of its own, made by another (created_by).
-- A uniqueReferenceId names one account per partner and environment until that account is deleted.
CREATE TABLE merchant_accounts (
    merchant_account_id text NOT NULL PRIMARY KEY REFERENCES merchants (merchant_id),
    created_by text NOT NULL REFERENCES merchants (merchant_id),
    environment text NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    unique_reference_id text NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    document bytea NOT NULL
);
CREATE UNIQUE INDEX merchant_accounts_by_reference ON merchant_accounts (created_by, environment, unique_reference_id)
    WHERE state <> 'Deleted';
CREATE INDEX merchant_accounts_by_created ON merchant_accounts (created_at, merchant_account_id);