// The whole web checkout with Tillpoint's headless buyer instead of a browser: the merchant's
// calls through the official Amazon Pay Node SDK (unchanged), the buyer's steps as plain HTTP
// calls (fetch) to Tillpoint's operator endpoints, for every outcome of the sandbox instruments:
//
//   POST /operator/checkoutSessions/{id}/approve  {"buyerId","shippingAddressId","paymentInstrumentId"} (all optional)
//   POST /operator/checkoutSessions/{id}/pay
//   POST /operator/checkoutSessions/{id}/cancel
//
// each answering 200 {"redirectUrl": …} with `Authorization: Bearer <operator token>`.
//
// Configuration comes only from the environment (see README.md); TILLPOINT_OPERATOR_TOKEN is
// required. Missing configuration makes the tests FAIL, never skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  RESULT_URL, REVIEW_URL, TEST_TIMEOUT_MS, advanceSandboxClock, expectApiError, expectCheckoutSession, expectOk,
  idempotent, json, loadConfig, operatorCall, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const V2 = { name: 'AMZN-PAY-RSASSA-PSS-V2', plainKey: false, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' };
const CANCEL_URL = 'https://merchant.example/cart';
const PAST_SANDBOX_DELAY_S = 31;
const usd = (amount) => ({ amount, currencyCode: 'USD' });
const returned = (url, id) => `${url}?amazonCheckoutSessionId=${id}`;

/** One step of the headless buyer that must answer 200 {"redirectUrl"}; returns the URL. */
async function buyerStep(config, id, step, choice) {
  const res = await operatorCall(config, 'POST', `/operator/checkoutSessions/${encodeURIComponent(id)}/${step}`, { body: choice });
  assert.equal(res.status, 200, `POST …/${step}: HTTP status (body ${json(res.data)})`);
  assert.deepEqual(Object.keys(res.data), ['redirectUrl'], `POST …/${step}: keys`);
  return res.data.redirectUrl;
}

/** One step of the headless buyer that must be refused in the API's error format. */
async function buyerRefused(config, id, step, { choice, token, status, reasonCode }) {
  const res = await operatorCall(config, 'POST', `/operator/checkoutSessions/${encodeURIComponent(id)}/${step}`, { body: choice, token });
  assert.equal(res.status, status, `POST …/${step}: HTTP status (body ${json(res.data)})`);
  assert.deepEqual(Object.keys(res.data).sort(), ['message', 'reasonCode'], `POST …/${step}: error keys`);
  assert.equal(res.data.reasonCode, reasonCode, `POST …/${step}: reasonCode`);
}

async function createSession(client, config, webCheckoutDetails = {}) {
  const { data } = await expectOk(client.createCheckoutSession({
    webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL, ...webCheckoutDetails },
    storeId: config.storeId,
  }, idempotent()), 201, 'createCheckoutSession');
  return data.checkoutSessionId;
}

async function updateSession(client, id, canHandlePendingAuthorization = false) {
  const { data } = await expectOk(client.updateCheckoutSession(id, {
    webCheckoutDetails: { checkoutResultReturnUrl: RESULT_URL },
    paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization, chargeAmount: usd('14.00') },
    merchantMetadata: { merchantReferenceId: 'order-headless', merchantStoreName: 'Tillpoint Test Store' },
  }), 200, 'updateCheckoutSession');
  assert.deepEqual(data.constraints, [], 'updateCheckoutSession: no constraints remain');
  return data;
}

const stateOf = (status) => [status?.state, status?.reasonCode].filter(Boolean).join(' ');

// instrument, canHandlePendingAuthorization, Complete's answer, the session's state, the charge's state at once and 31 s later
const OUTCOMES = [
  ['visa-1111', false, 200, 'Completed', 'Authorized', 'Authorized'],
  ['mastercard-4444', false, 200, 'Completed', 'Authorized', 'Authorized'],
  ['visa-3064', false, 'CheckoutSessionCanceled', 'Canceled BuyerCanceled', null, null],
  ['visa-3434', false, 'CheckoutSessionCanceled', 'Canceled Declined', null, null],
  ['visa-0701', true, 202, 'Completed', 'AuthorizationInitiated', 'Authorized'],
  ['visa-4354', true, 202, 'Completed', 'AuthorizationInitiated', 'Declined'],
  ['visa-4354', false, 'CheckoutSessionCanceled', 'Canceled Declined', null, null],
];

for (const [instrument, pending, completeAnswer, sessionState, chargeState, chargeStateLater] of OUTCOMES) {
  test(`headless checkout with ${instrument}${pending ? ' (canHandlePendingAuthorization)' : ''} → ${sessionState}`,
    { timeout: TEST_TIMEOUT_MS }, async () => {
      const config = loadConfig({ operator: true });
      const client = new WebStoreClient(sdkConfig(config, V2));
      const id = await createSession(client, config);

      assert.equal(await buyerStep(config, id, 'approve', { paymentInstrumentId: instrument }), returned(REVIEW_URL, id),
        'approve sends the buyer to checkoutReviewReturnUrl');
      const { data: reviewed } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession after approve');
      assert.equal(reviewed.paymentPreferences?.[0]?.paymentDescriptor?.slice(-4), instrument.slice(-4), 'the chosen instrument');
      await updateSession(client, id, pending);
      assert.equal(await buyerStep(config, id, 'pay'), returned(RESULT_URL, id), 'pay sends the buyer to checkoutResultReturnUrl');

      const complete = client.completeCheckoutSession(id, { chargeAmount: usd('14.00') });
      if (typeof completeAnswer === 'number') await expectOk(complete, completeAnswer, 'completeCheckoutSession');
      else await expectApiError(complete, 422, completeAnswer, 'completeCheckoutSession');
      const { data: session } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession');
      expectCheckoutSession(session, 'getCheckoutSession');
      assert.equal(stateOf(session.statusDetails), sessionState, 'the session state');
      const charge = async () => (session.chargeId
        ? (await expectOk(client.getCharge(session.chargeId), 200, 'getCharge')).data.statusDetails.state
        : null);
      assert.equal(await charge(), chargeState, 'the charge state');
      await advanceSandboxClock(config, PAST_SANDBOX_DELAY_S);
      assert.equal(await charge(), chargeStateLater, 'the charge state after the sandbox delay');
    });
}

test('headless checkout after a soft decline (visa-2222): the hosted page, another instrument, paid', { timeout: TEST_TIMEOUT_MS }, async () => {
  const config = loadConfig({ operator: true });
  const client = new WebStoreClient(sdkConfig(config, V2));
  const id = await createSession(client, config);
  await buyerStep(config, id, 'approve', { paymentInstrumentId: 'visa-2222' });
  const updated = await updateSession(client, id);

  assert.equal(await buyerStep(config, id, 'pay'), updated.webCheckoutDetails.amazonPayRedirectUrl,
    'a soft decline leaves the buyer on the hosted page at amazonPayRedirectUrl');
  await expectApiError(client.completeCheckoutSession(id, { chargeAmount: usd('14.00') }), 422, 'InvalidCheckoutSessionStatus',
    'completeCheckoutSession while the buyer must choose again');
  assert.equal(await buyerStep(config, id, 'approve', { paymentInstrumentId: 'amex-0005' }), returned(REVIEW_URL, id), 'approve again');
  assert.equal(await buyerStep(config, id, 'pay'), returned(RESULT_URL, id), 'pay again');
  const { data: completed } = await expectOk(client.completeCheckoutSession(id, { chargeAmount: usd('14.00') }), 200, 'completeCheckoutSession');
  const { data: permission } = await expectOk(client.getChargePermission(completed.chargePermissionId), 200, 'getChargePermission');
  assert.equal(permission.paymentPreferences?.[0]?.paymentDescriptor, 'American Express ****0005', 'the second instrument');
});

test('headless buyer: a choice of buyer and address; a repeat answers the same', { timeout: TEST_TIMEOUT_MS }, async () => {
  const config = loadConfig({ operator: true });
  const client = new WebStoreClient(sdkConfig(config, V2));
  const id = await createSession(client, config);
  const choice = { buyerId: 'amzn1.account.AH4TLNZ5TILLPOINTSANDBOXERIKA', shippingAddressId: '1', paymentInstrumentId: 'jcb-0000' };

  const first = await buyerStep(config, id, 'approve', choice);
  assert.equal(await buyerStep(config, id, 'approve', choice), first, 'a second approve answers the same');
  const { data: session } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession');
  assert.equal(session.buyer?.name, 'Erika Mustermann', 'buyer');
  assert.equal(session.shippingAddress?.addressLine1, 'Packstation 105', 'shipping address');
  assert.equal(session.paymentPreferences?.[0]?.paymentDescriptor, 'JCB ****0000', 'instrument');
});

test('headless buyer cancels: checkoutCancelUrl, Canceled BuyerCanceled; a repeat answers the same', { timeout: TEST_TIMEOUT_MS }, async () => {
  const config = loadConfig({ operator: true });
  const client = new WebStoreClient(sdkConfig(config, V2));
  const id = await createSession(client, config, { checkoutCancelUrl: CANCEL_URL });

  assert.equal(await buyerStep(config, id, 'cancel'), CANCEL_URL, 'cancel sends the buyer to checkoutCancelUrl');
  assert.equal(await buyerStep(config, id, 'cancel'), CANCEL_URL, 'a second cancel answers the same');
  const { data: session } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession');
  assert.equal(stateOf(session.statusDetails), 'Canceled BuyerCanceled', 'the session state');
  await buyerRefused(config, id, 'approve', { status: 422, reasonCode: 'InvalidCheckoutSessionStatus' });
});

test('headless buyer refusals: unknown session, bad choices, no operator token', { timeout: TEST_TIMEOUT_MS }, async () => {
  const config = loadConfig({ operator: true });
  const client = new WebStoreClient(sdkConfig(config, V2));
  const id = await createSession(client, config);

  await buyerRefused(config, '5f1e2d3c-0000-4000-8000-000000000000', 'pay', { status: 404, reasonCode: 'ResourceNotFound' });
  await buyerRefused(config, id, 'approve', { choice: { paymentInstrumentId: 'visa-0000' }, status: 400, reasonCode: 'InvalidParameterValue' });
  await buyerRefused(config, id, 'approve', { choice: { buyerId: 'nobody' }, status: 400, reasonCode: 'InvalidParameterValue' });
  await buyerRefused(config, id, 'approve', { choice: { shippingAddressId: '9' }, status: 400, reasonCode: 'InvalidParameterValue' });
  await buyerRefused(config, id, 'approve', { choice: { tip: '1.00' }, status: 400, reasonCode: 'UnrecognizedField' });
  await buyerRefused(config, id, 'pay', { status: 422, reasonCode: 'InvalidCheckoutSessionStatus' });
  await buyerRefused(config, id, 'cancel', { token: 'not-the-operator-token', status: 401, reasonCode: 'UnauthorizedAccess' });
  const { data: session } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession');
  assert.equal(stateOf(session.statusDetails), 'Open', 'refusals leave the session Open');
  assert.equal(session.buyer, null, 'refusals choose no buyer');
});
