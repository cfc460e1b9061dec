// Drives a running Tillpoint server with the official Amazon Pay Node SDK through Recurring
// (subscription) and PaymentMethodOnFile (saved wallet) checkouts: spec-more §7.1 and §7.2,
// core §4.1, §4.7, §4.9, §5.1, §5.6 and the monthly caps of core §7.5.
//
// Each cycle's charge is made on Tillpoint's sandbox clock, moved through its operator endpoint;
// the buyer closing the agreement is Tillpoint's operator endpoint acting for the buyer.
//
// Configuration comes only from the environment (see README.md); TILLPOINT_OPERATOR_TOKEN is
// required. Missing configuration makes the tests FAIL, never skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CHARGE_KEYS, CHARGE_PERMISSION_KEYS, REVIEW_URL, TEST_TIMEOUT_MS, advanceSandboxClock, checkout,
  expectApiError, expectCheckoutSession, expectHasKeys, expectOk, idempotent, loadConfig, operatorCall, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const usd = (amount) => ({ amount, currencyCode: 'USD' });
const MONTH_S = 30 * 24 * 3600;
const MONTHLY = { frequency: { unit: 'Month', value: '1' }, amount: usd('14.00') };

function setup() {
  const config = loadConfig({ operator: true });
  return { config, client: new WebStoreClient(sdkConfig(config, {})) };
}

const charge = (client, chargePermissionId, amount, chargeInitiator, channel = 'Web') =>
  client.createCharge({ chargePermissionId, chargeAmount: usd(amount), captureNow: true, chargeInitiator, channel }, idempotent());

test('Recurring: the terms on the session and the permission, a charge each cycle, the monthly cap', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const session = await checkout(client, config, {
    paymentIntent: 'AuthorizeWithCapture', chargeAmount: usd('14.00'), merchantReferenceId: 'subscription-1',
    create: { chargePermissionType: 'Recurring', recurringMetadata: MONTHLY },
  });
  assert.equal(session.chargePermissionType, 'Recurring');
  assert.deepEqual(session.recurringMetadata, MONTHLY, 'completeCheckoutSession: recurringMetadata');
  assert.ok(session.chargeId, 'the first period is charged at checkout');

  const { data: permission } = await expectOk(client.getChargePermission(session.chargePermissionId), 200, 'getChargePermission');
  expectHasKeys(permission, CHARGE_PERMISSION_KEYS, 'getChargePermission');
  assert.equal(permission.chargePermissionType, 'Recurring');
  assert.deepEqual(permission.recurringMetadata, MONTHLY, 'getChargePermission: recurringMetadata');
  assert.deepEqual(permission.limits, { amountLimit: null, amountBalance: null }, 'a Recurring permission has no amountLimit');

  for (let cycle = 1; cycle <= 3; cycle++) {
    await advanceSandboxClock(config, MONTH_S);
    const { data: made } = await expectOk(charge(client, session.chargePermissionId, '14.00', 'MITR'), 201, `createCharge, cycle ${cycle}`);
    expectHasKeys(made, CHARGE_KEYS, 'createCharge');
    assert.equal(made.statusDetails.state, 'Captured');
    assert.equal(made.chargeInitiator, 'MITR');
    assert.equal(made.channel, 'Web');
  }

  await expectApiError(charge(client, session.chargePermissionId, '986.01', 'CITU'), 422, 'TransactionAmountExceeded',
    'a charge past the USD 1,000 monthly cap');
  await expectOk(charge(client, session.chargePermissionId, '986.00', 'CITU'), 201, 'a charge up to the cap');
});

test('Recurring: updateChargePermission changes the terms, the value sent as a number comes back as the docs\' string', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const session = await checkout(client, config, {
    paymentIntent: 'Confirm', chargeAmount: usd('14.00'), merchantReferenceId: 'subscription-2',
    create: { chargePermissionType: 'Recurring', recurringMetadata: MONTHLY },
  });
  assert.equal(session.chargeId, null, 'Confirm charges nothing at checkout');

  const { data: updated } = await expectOk(client.updateChargePermission(session.chargePermissionId, {
    recurringMetadata: { frequency: { unit: 'Week', value: 2 }, amount: usd('7.00') },
  }), 200, 'updateChargePermission');
  assert.deepEqual(updated.recurringMetadata, { frequency: { unit: 'Week', value: '2' }, amount: usd('7.00') });
});

test('PaymentMethodOnFile: a wallet saved without paying, charged ad hoc by merchant and buyer', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const session = await checkout(client, config, {
    paymentIntent: 'Confirm', chargeAmount: usd('1.00'), merchantReferenceId: 'wallet-1',
    create: { chargePermissionType: 'PaymentMethodOnFile', paymentMethodOnFileMetadata: { setupOnly: true } },
  });
  expectCheckoutSession(session, 'completeCheckoutSession');
  assert.deepEqual(session.paymentMethodOnFileMetadata, { setupOnly: true });
  assert.equal(session.chargeId, null);

  const { data: permission } = await expectOk(client.getChargePermission(session.chargePermissionId), 200, 'getChargePermission');
  assert.equal(permission.chargePermissionType, 'PaymentMethodOnFile');
  assert.deepEqual(permission.paymentMethodOnFileMetadata, { setupOnly: true });
  assert.equal(permission.expirationTimestamp, null, 'a saved wallet never expires');

  const { data: merchantInitiated } = await expectOk(charge(client, session.chargePermissionId, '25.00', 'MITU', 'Phone'), 201, 'MITU charge');
  assert.equal(merchantInitiated.chargeInitiator, 'MITU');
  const { data: buyerPresent } = await expectOk(charge(client, session.chargePermissionId, '5.00', 'CITU', 'App'), 201, 'CITU charge');
  assert.equal(buyerPresent.channel, 'App');
});

test('refusals: metadata without its type, a bad frequency, a setup-only wallet paid at checkout, an unknown initiator', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const create = (fields) => client.createCheckoutSession({
    webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL }, storeId: config.storeId, ...fields,
  }, idempotent());
  await expectApiError(create({ recurringMetadata: MONTHLY }), 400, 'InvalidParameterCombination', 'recurringMetadata on a OneTime session');
  await expectApiError(create({ chargePermissionType: 'Recurring', recurringMetadata: { frequency: { unit: 'Month', value: 'monthly' } } }),
    400, 'InvalidParameterValue', 'a frequency value that is not a number');
  await expectApiError(create({
    chargePermissionType: 'PaymentMethodOnFile', paymentMethodOnFileMetadata: { setupOnly: true },
    paymentDetails: { paymentIntent: 'AuthorizeWithCapture' },
  }), 400, 'InvalidParameterCombination', 'setupOnly with a payment at checkout');

  const session = await checkout(client, config, {
    paymentIntent: 'Confirm', chargeAmount: usd('14.00'), merchantReferenceId: 'subscription-3',
    create: { chargePermissionType: 'Recurring', recurringMetadata: MONTHLY },
  });
  await expectApiError(charge(client, session.chargePermissionId, '14.00', 'SOMEONE'), 400, 'InvalidParameterValue', 'an unknown chargeInitiator');
});

test('the buyer closes the agreement: Closed/BuyerClosed, and no more charges', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const session = await checkout(client, config, {
    paymentIntent: 'Confirm', chargeAmount: usd('14.00'), merchantReferenceId: 'subscription-4',
    create: { chargePermissionType: 'Recurring', recurringMetadata: MONTHLY },
  });
  const closed = await operatorCall(config, 'POST', `/operator/chargePermissions/${session.chargePermissionId}/close`, { body: { closedBy: 'Buyer' } });
  assert.equal(closed.status, 200, `POST /operator/chargePermissions/{id}/close (body ${JSON.stringify(closed.data)})`);

  const { data: permission } = await expectOk(client.getChargePermission(session.chargePermissionId), 200, 'getChargePermission');
  assert.equal(permission.statusDetails.state, 'Closed');
  assert.deepEqual(permission.statusDetails.reasons.map((r) => r.reasonCode), ['BuyerClosed']);
  await expectApiError(charge(client, session.chargePermissionId, '14.00', 'MITR'), 422, 'InvalidChargePermissionStatus', 'a charge after the buyer closed');
});
