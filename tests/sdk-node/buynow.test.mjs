// A Buy Now checkout with the official Node SDK on the merchant's side: the SDK signs the button payload
// (generateButtonSignature), the buyer's side is the Buy Now dialog's calls as checkout.js makes them (fetch, the
// dialog's token), and the merchant's server calls finalizeCheckoutSession with what the buyer was shown.
//
// Configuration comes only from the environment (see README.md); the .NET suite (BuyNowNodeSdkTests) sets it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CHECKOUT_SESSION_KEYS, TEST_TIMEOUT_MS, expectApiError, expectCheckoutSession, expectOk, idempotent, loadConfig, sdkConfig,
  stepRunner,
} from './support.mjs';

const { WebStoreClient } = amazonPay;
const V2 = { name: 'AMZN-PAY-RSASSA-PSS-V2', plainKey: false, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' };
const usd = (amount) => ({ amount, currencyCode: 'USD' });

/** One of the dialog's calls, as checkout.js makes it; answers the dialog's view of the session. */
async function dialog(config, path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers['x-tillpoint-buy-now-token'] = token;
  const response = await fetch(`${config.baseUrl}/checkout/buy-now${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const answer = await response.json();
  assert.ok(response.ok, `POST /checkout/buy-now${path}: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

test(`finalizeCheckoutSession after a Buy Now dialog: ${V2.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const config = loadConfig();
  const client = new WebStoreClient(sdkConfig(config, V2));
  const step = stepRunner(t);
  const s = {};
  const cart = {
    totalBaseAmount: usd('18.00'),
    totalShippingAmount: usd('2.00'),
    totalChargeAmount: usd('20.00'),
    totalOrderAmount: usd('20.00'),
    lineItems: [{ id: 'mug', title: 'Mug', quantity: 1, listPrice: usd('18.00') }],
    deliveryOptions: [{ id: 'standard', price: usd('2.00'), shippingMethod: { shippingMethodName: 'Standard' }, isDefault: true }],
  };

  await step('a. the button payload signed by the SDK starts a Buy Now checkout; the buyer signs in', async () => {
    const payloadJSON = JSON.stringify({ storeId: config.storeId, scopes: ['name', 'email'], paymentDetails: { paymentIntent: 'Authorize' } });
    const started = await dialog(config, '', {
      payloadJSON,
      signature: client.generateButtonSignature(payloadJSON),
      algorithm: V2.algorithm,
      publicKeyId: config.publicKeyId,
      productType: 'PayAndShip',
    });
    s.id = started.checkoutSessionId;
    s.token = started.token;
    const signedIn = await dialog(config, `/${s.id}/sign-in`, {}, s.token);
    s.shippingAddress = signedIn.shippingAddress;
    const { data: session } = await expectOk(client.getCheckoutSession(s.id), 200, 'getCheckoutSession');
    expectCheckoutSession(session, 'getCheckoutSession');
    assert.deepEqual(session.constraints.map((c) => c.constraintId), ['ChargeAmountNotSet'], 'only the cart is missing');
    assert.equal(session.webCheckoutDetails.amazonPayRedirectUrl, null, 'a Buy Now buyer is never redirected');
  });

  await step('b. finalize before the buyer saw a cart → 422 InvalidCheckoutSessionStatus', async () => {
    await expectApiError(client.finalizeCheckoutSession(s.id, {
      chargeAmount: usd('20.00'), paymentIntent: 'Authorize', shippingAddress: s.shippingAddress,
    }, idempotent()), 422, 'InvalidCheckoutSessionStatus', 'finalizeCheckoutSession without a cart');
  });

  await step('c. the dialog records the cart; finalize with another amount → 409 AmountMismatch, still Open', async () => {
    await dialog(config, `/${s.id}/cart`, { cart }, s.token);
    await expectApiError(client.finalizeCheckoutSession(s.id, {
      chargeAmount: usd('19.99'), totalOrderAmount: usd('20.00'), paymentIntent: 'Authorize', shippingAddress: s.shippingAddress,
    }, idempotent()), 409, 'AmountMismatch', 'finalizeCheckoutSession with an amount the buyer did not see');
    const { data: session } = await expectOk(client.getCheckoutSession(s.id), 200, 'getCheckoutSession');
    assert.equal(session.statusDetails.state, 'Open', 'still Open');
    assert.deepEqual(session.paymentDetails.chargeAmount, usd('20.00'), 'the shown total is the session\'s');
    assert.deepEqual(session.constraints, [], 'no constraints');
    assert.equal(session.webCheckoutDetails.amazonPayRedirectUrl, null, 'still no redirect');
  });

  await step('d. finalize as the PHP and Java samples send it ("false" as a string) → 200 Completed with cartDetails', async () => {
    const { data: session } = await expectOk(client.finalizeCheckoutSession(s.id, {
      shippingAddress: s.shippingAddress,
      billingAddress: null,
      chargeAmount: usd('20.00'),
      totalOrderAmount: usd('20.00'),
      paymentIntent: 'Authorize',
      canHandlePendingAuthorization: 'false',
    }, idempotent()), 200, 'finalizeCheckoutSession');
    const keys = [...CHECKOUT_SESSION_KEYS];
    keys.splice(keys.indexOf('paymentDetails') + 1, 0, 'cartDetails');
    assert.deepEqual(Object.keys(session), keys, 'cartDetails follows paymentDetails');
    assert.equal(session.statusDetails.state, 'Completed', 'statusDetails.state');
    assert.deepEqual(session.cartDetails.totalChargeAmount, usd('20.00'), 'cartDetails.totalChargeAmount');
    assert.equal(session.cartDetails.lineItems[0].title, 'Mug', 'cartDetails.lineItems');
    assert.equal(session.cartDetails.selectedDeliveryOptionId, 'standard', 'cartDetails.selectedDeliveryOptionId');
    const { data: charge } = await expectOk(client.getCharge(session.chargeId), 200, 'getCharge');
    assert.equal(charge.statusDetails.state, 'Authorized', 'charge state');
    assert.deepEqual(charge.chargeAmount, usd('20.00'), 'charge amount');
  });
});
