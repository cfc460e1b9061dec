-- The dashboard lists objects newest first by (created_at, id) and filters on these columns; its lists read only
-- columns, never documents. The amount is kept in hundredths (every currency has at most two decimals) as an
-- integer, never floating point; the merchant reference is merchantMetadata.merchantReferenceId. Existing rows
-- are filled from their documents: json_extract reads the amount as a double, and rounding its hundredths gives
-- the exact value back, since stored amounts have at most two decimals.
ALTER TABLE checkout_sessions ADD COLUMN amount_hundredths INTEGER NULL;
ALTER TABLE checkout_sessions ADD COLUMN currency TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN merchant_reference TEXT NULL;
UPDATE checkout_sessions SET
    amount_hundredths = CAST(round(json_extract(CAST(document AS TEXT), '$.paymentDetails.chargeAmount.amount') * 100) AS INTEGER),
    currency = json_extract(CAST(document AS TEXT), '$.paymentDetails.chargeAmount.currency'),
    merchant_reference = json_extract(CAST(document AS TEXT), '$.merchantMetadata.merchantReferenceId');
CREATE INDEX checkout_sessions_by_created ON checkout_sessions (created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_merchant_created ON checkout_sessions (merchant_id, created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_state_created ON checkout_sessions (state, created_at, checkout_session_id);
CREATE INDEX checkout_sessions_by_reference ON checkout_sessions (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;

ALTER TABLE charge_permissions ADD COLUMN amount_hundredths INTEGER NULL;
ALTER TABLE charge_permissions ADD COLUMN currency TEXT NULL;
ALTER TABLE charge_permissions ADD COLUMN merchant_reference TEXT NULL;
UPDATE charge_permissions SET
    amount_hundredths = CAST(round(json_extract(CAST(document AS TEXT), '$.amountLimit.amount') * 100) AS INTEGER),
    currency = json_extract(CAST(document AS TEXT), '$.amountLimit.currency'),
    merchant_reference = json_extract(CAST(document AS TEXT), '$.merchantMetadata.merchantReferenceId');
CREATE INDEX charge_permissions_by_created ON charge_permissions (created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_merchant_created ON charge_permissions (merchant_id, created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_state_created ON charge_permissions (state, created_at, charge_permission_id);
CREATE INDEX charge_permissions_by_reference ON charge_permissions (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;
CREATE INDEX charge_permissions_by_id ON charge_permissions (charge_permission_id);
ALTER TABLE charges ADD COLUMN amount_hundredths INTEGER NULL;
ALTER TABLE charges ADD COLUMN currency TEXT NULL;
ALTER TABLE charges ADD COLUMN merchant_reference TEXT NULL;
UPDATE charges SET
    amount_hundredths = CAST(round(json_extract(CAST(document AS TEXT), '$.chargeAmount.amount') * 100) AS INTEGER),
    currency = json_extract(CAST(document AS TEXT), '$.chargeAmount.currency'),
    merchant_reference = json_extract(CAST(document AS TEXT), '$.merchantMetadata.merchantReferenceId');
CREATE INDEX charges_by_created ON charges (created_at, charge_id);
CREATE INDEX charges_by_merchant_created ON charges (merchant_id, created_at, charge_id);
CREATE INDEX charges_by_state_created ON charges (state, created_at, charge_id);
CREATE INDEX charges_by_reference ON charges (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;
CREATE INDEX charges_by_id ON charges (charge_id);
ALTER TABLE refunds ADD COLUMN amount_hundredths INTEGER NULL;
ALTER TABLE refunds ADD COLUMN currency TEXT NULL;
ALTER TABLE refunds ADD COLUMN merchant_reference TEXT NULL;
UPDATE refunds SET
    amount_hundredths = CAST(round(json_extract(CAST(document AS TEXT), '$.refundAmount.amount') * 100) AS INTEGER),
    currency = json_extract(CAST(document AS TEXT), '$.refundAmount.currency'),
    merchant_reference = NULL;
CREATE INDEX refunds_by_created ON refunds (created_at, refund_id);
CREATE INDEX refunds_by_merchant_created ON refunds (merchant_id, created_at, refund_id);
CREATE INDEX refunds_by_state_created ON refunds (state, created_at, refund_id);

CREATE INDEX refunds_by_id ON refunds (refund_id);
