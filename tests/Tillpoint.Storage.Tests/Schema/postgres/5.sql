-- What the operator grants beyond a merchant's own payments: roles (the PSP and solution-provider operations),
-- and the MWS auth tokens that delegate a merchant to a solution provider. Small tables, read on key-cache misses.
CREATE TABLE merchant_roles (
    merchant_id text NOT NULL REFERENCES merchants (merchant_id),
    role text NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, role)
);
CREATE TABLE mws_auth_tokens (
    mws_auth_token text NOT NULL PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES merchants (merchant_id),
    solution_provider_id text NOT NULL REFERENCES merchants (merchant_id),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX mws_auth_tokens_by_merchant ON mws_auth_tokens (merchant_id);