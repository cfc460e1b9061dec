// Drives a running Tillpoint server with the official Amazon Pay Node SDK through a
// PayAndShipMultiAddress checkout: spec-more §7.3, core §1.5 (shippingAddressList), §4.3, §5.1.
//
// The checkout button starts the session (productType is a button setting, not a Create Checkout
// Session field), signed with the SDK's generateButtonSignature; the buyer choosing several
// addresses and passing amazonPayRedirectUrl is Tillpoint's headless buyer (operator endpoints).
// The SDK parses every element of shippingAddressList with JSON.parse, so the server must send
// strings; the merchant then splits chargeAmount among the addresses.
//
// Configuration comes only from the environment (see README.md); TILLPOINT_OPERATOR_TOKEN is
// required. Missing configuration makes the tests FAIL, never skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CHECKOUT_SESSION_KEYS, CookieJar, RESULT_URL, REVIEW_URL, TEST_TIMEOUT_MS, browse, expectApiError,
  expectCheckoutSession, expectOk, idempotent, json, loadConfig, operatorCall, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const usd = (amount) => ({ amount, currencyCode: 'USD' });

/** The session's keys with the multi-address ones where the SDK types place them. */
const MULTI_ADDRESS_KEYS = CHECKOUT_SESSION_KEYS.flatMap((key) =>
  key === 'paymentMethodOnFileMetadata' ? [key, 'multiAddressesCheckoutMetadata']
    : key === 'shippingAddress' ? [key, 'shippingAddressList'] : [key]);

function setup() {
  const config = loadConfig({ operator: true });
  const sdk = sdkConfig(config, {});
  return { config, sdk, client: new WebStoreClient(sdk) };
}

/** The checkout button with productType PayAndShipMultiAddress: 303 to the new session's page; its id. */
async function startWithButton(config, client, sdk) {
  const payload = json({ webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL }, storeId: config.storeId });
  const query = new URLSearchParams({
    payload, signature: client.generateButtonSignature(payload), publicKeyId: sdk.publicKeyId,
    productType: 'PayAndShipMultiAddress',
  });
  const started = await browse(new CookieJar(), `${config.baseUrl}/checkout/start?${query}`);
  assert.equal(started.status, 303, `GET /checkout/start: HTTP status (body ${started.text.slice(0, 300)})`);
  const id = decodeURIComponent(started.location.replace(/^\/checkout\//, ''));
  assert.ok(id, 'GET /checkout/start: Location names the session');
  return id;
}

/** The buyer chooses the addresses at these positions of their list (the headless buyer). */
async function buyerChooses(config, id, shippingAddressIds) {
  const res = await operatorCall(config, 'POST', `/operator/checkoutSessions/${id}/approve`, { body: { shippingAddressIds } });
  assert.equal(res.status, 200, `approve: HTTP status (body ${json(res.data)})`);
  assert.equal(res.data.redirectUrl, `${REVIEW_URL}?amazonCheckoutSessionId=${id}`);
}

const split = (chargeAmount, prices) => ({
  webCheckoutDetails: { checkoutResultReturnUrl: RESULT_URL },
  paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: false, chargeAmount },
  multiAddressesCheckoutMetadata: prices.map(([addressId, amount]) => ({ addressId, price: usd(amount) })),
});

test('PayAndShipMultiAddress: the SDK parses shippingAddressList, the split adds up, one charge for the total', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, sdk, client } = setup();
  const id = await startWithButton(config, client, sdk);

  const { data: started } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession (started)');
  expectCheckoutSession(started, 'getCheckoutSession before the buyer chose');
  assert.equal(started.productType, 'PayAndShipMultiAddress');

  await buyerChooses(config, id, ['0', '2']);
  const { data: chosen } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession (chosen)');
  expectCheckoutSession(chosen, 'getCheckoutSession', MULTI_ADDRESS_KEYS.filter((k) => k !== 'multiAddressesCheckoutMetadata'));
  assert.equal(chosen.shippingAddress, null, 'no single shippingAddress');
  assert.deepEqual(chosen.shippingAddressList.map((a) => [a.addressId, a.city]), [['0', 'Seattle'], ['2', 'Bellevue']],
    'the SDK parsed each element of shippingAddressList into an address with its addressId');

  // The SDK sends numbers as they are; the server answers the amounts as strings.
  const { data: updated } = await expectOk(client.updateCheckoutSession(id, split(usd(30), [['0', 12.5], ['2', '17.50']])), 200,
    'updateCheckoutSession with multiAddressesCheckoutMetadata');
  expectCheckoutSession(updated, 'updateCheckoutSession', MULTI_ADDRESS_KEYS);
  assert.deepEqual(updated.multiAddressesCheckoutMetadata, [
    { addressId: '0', price: usd('12.50') }, { addressId: '2', price: usd('17.50') },
  ]);
  assert.ok(updated.webCheckoutDetails.amazonPayRedirectUrl, 'no constraint remains');

  const paid = await operatorCall(config, 'POST', `/operator/checkoutSessions/${id}/pay`);
  assert.equal(paid.status, 200, `pay: HTTP status (body ${json(paid.data)})`);
  const { data: completed } = await expectOk(client.completeCheckoutSession(id, { chargeAmount: usd('30.00') }), 200,
    'completeCheckoutSession');
  assert.equal(completed.statusDetails.state, 'Completed');
  assert.equal(completed.multiAddressesCheckoutMetadata.length, 2, 'the split stays on the completed session');
  assert.ok(!Object.hasOwn(completed, 'shippingAddressList'), 'addresses are shown only while the session is Open');

  const { data: captured } = await expectOk(client.captureCharge(completed.chargeId, { captureAmount: usd('30.00') }, idempotent()), 200,
    'captureCharge');
  assert.equal(captured.statusDetails.state, 'Captured');
  assert.deepEqual(captured.captureAmount, usd('30.00'));
});

test('PayAndShipMultiAddress: a split that does not add up, or names an address the buyer did not choose, is refused', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, sdk, client } = setup();
  const id = await startWithButton(config, client, sdk);
  await buyerChooses(config, id, ['0', '1']);

  await expectApiError(client.updateCheckoutSession(id, split(usd('30.00'), [['0', '10.00'], ['1', '10.00']])), 409,
    'AmountMismatch', 'prices adding up to less than chargeAmount');
  await expectApiError(client.updateCheckoutSession(id, split(usd('30.00'), [['0', '10.00'], ['2', '20.00']])), 400,
    'InvalidParameterValue', 'an address the buyer did not choose');
  await expectApiError(client.updateCheckoutSession(id, split(usd('30.00'), [['0', '30.00'], ['0', '0.01']])), 400,
    'InvalidParameterValue', 'an address priced twice');

  const { data: unchanged } = await expectOk(client.getCheckoutSession(id), 200, 'getCheckoutSession after the refusals');
  assert.ok(!Object.hasOwn(unchanged, 'multiAddressesCheckoutMetadata'), 'a refused update changes nothing');
  assert.equal(unchanged.paymentDetails.chargeAmount, null, 'a refused update changes nothing');
});
