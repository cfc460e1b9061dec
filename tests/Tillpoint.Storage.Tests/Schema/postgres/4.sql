-- The dashboard lists objects newest first by (created_at, id) and filters on these columns; its lists read only
-- columns, never documents. The merchant reference is merchantMetadata.merchantReferenceId.
ALTER TABLE checkout_sessions ADD COLUMN amount numeric NULL, ADD COLUMN currency text NULL, ADD COLUMN merchant_reference text NULL;
UPDATE checkout_sessions SET
    amount = (convert_from(document, 'UTF8')::jsonb->'paymentDetails'->'chargeAmount'->>'amount')::numeric,
    currency = convert_from(document, 'UTF8')::jsonb->'paymentDetails'->'chargeAmount'->>'currency',
    merchant_reference = convert_from(document, 'UTF8')::jsonb->'merchantMetadata'->>'merchantReferenceId';
CREATE INDEX checkout_sessions_by_created ON checkout_sessions (created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_merchant_created ON checkout_sessions (merchant_id, created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_state_created ON checkout_sessions (state, created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_reference ON checkout_sessions (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;

ALTER TABLE charge_permissions ADD COLUMN amount numeric NULL, ADD COLUMN currency text NULL, ADD COLUMN merchant_reference text NULL;
UPDATE charge_permissions SET
    amount = (convert_from(document, 'UTF8')::jsonb->'amountLimit'->>'amount')::numeric,
    currency = convert_from(document, 'UTF8')::jsonb->'amountLimit'->>'currency',
    merchant_reference = convert_from(document, 'UTF8')::jsonb->'merchantMetadata'->>'merchantReferenceId';
CREATE INDEX charge_permissions_by_created ON charge_permissions (created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_merchant_created ON charge_permissions (merchant_id, created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_state_created ON charge_permissions (state, created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_reference ON charge_permissions (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;
CREATE INDEX charge_permissions_by_id ON charge_permissions (charge_permission_id);
ALTER TABLE charges ADD COLUMN amount numeric NULL, ADD COLUMN currency text NULL, ADD COLUMN merchant_reference text NULL;
UPDATE charges SET
    amount = (convert_from(document, 'UTF8')::jsonb->'chargeAmount'->>'amount')::numeric,
    currency = convert_from(document, 'UTF8')::jsonb->'chargeAmount'->>'currency',
    merchant_reference = convert_from(document, 'UTF8')::jsonb->'merchantMetadata'->>'merchantReferenceId';
CREATE INDEX charges_by_created ON charges (created_at, charge_id);
CREATE INDEX charges_by_merchant_created ON charges (merchant_id, created_at, charge_id);
CREATE INDEX charges_by_state_created ON charges (state, created_at, charge_id);
CREATE INDEX charges_by_reference ON charges (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;
CREATE INDEX charges_by_id ON charges (charge_id);
ALTER TABLE refunds ADD COLUMN amount numeric NULL, ADD COLUMN currency text NULL, ADD COLUMN merchant_reference text NULL;
UPDATE refunds SET
    amount = (convert_from(document, 'UTF8')::jsonb->'refundAmount'->>'amount')::numeric,
    currency = convert_from(document, 'UTF8')::jsonb->'refundAmount'->>'currency',
    merchant_reference = NULL;
CREATE INDEX refunds_by_created ON refunds (created_at, refund_id);
CREATE INDEX refunds_by_merchant_created ON refunds (merchant_id, created_at, refund_id);
CREATE INDEX refunds_by_state_created ON refunds (state, created_at, refund_id);

CREATE INDEX refunds_by_id ON refunds (refund_id);
-- The overview's latest activity across merchants.
CREATE INDEX events_recent ON events (event_id);