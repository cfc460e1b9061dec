// Drives a running Tillpoint server with the official Amazon Pay Node SDK configured for the EU
// and JP regions: the SDK picks its host from `region` (pay-api.amazon.eu, pay-api.amazon.jp) unless
// `overrideServiceUrl` names one, and always sends `x-amz-pay-region` (`eu` for eu/de/uk, `jp`).
// Tillpoint answers whatever host it is reached at, so the override is all an EU or JP shop needs.
//
// Configuration comes only from the environment (see README.md); the .NET suite (RegionsNodeSdkTests)
// makes the merchants. The common variables name an EU merchant (`tillpoint merchants create
// --region eu`); besides them:
//
//   TILLPOINT_JP_PUBLIC_KEY_ID      a SANDBOX- key of a JP merchant (`--region jp`)
//   TILLPOINT_JP_PRIVATE_KEY_PATH   its private key
//   TILLPOINT_JP_STORE_ID           its store id

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  REVIEW_URL, TEST_TIMEOUT_MS, checkout, env, expectApiError, expectOk, idempotent, loadConfig, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const JP_ENV = ['TILLPOINT_JP_PUBLIC_KEY_ID', 'TILLPOINT_JP_PRIVATE_KEY_PATH', 'TILLPOINT_JP_STORE_ID'];

/** The EU merchant's client and configuration, with the SDK's `region` set to `region`. */
function euMerchant(region = 'eu') {
  const config = loadConfig();
  return { config, client: new WebStoreClient({ ...sdkConfig(config, {}), region }) };
}

function jpMerchant() {
  const missing = JP_ENV.filter((name) => !env(name));
  if (missing.length > 0) {
    throw new Error(`missing environment variable(s): ${missing.join(', ')} (normally set by the .NET test suite)`);
  }
  const config = { ...loadConfig(), publicKeyId: env('TILLPOINT_JP_PUBLIC_KEY_ID'), storeId: env('TILLPOINT_JP_STORE_ID') };
  const privateKey = readFileSync(env('TILLPOINT_JP_PRIVATE_KEY_PATH'), 'utf8');
  return { config, client: new WebStoreClient({ ...sdkConfig(config, {}, privateKey), region: 'jp' }) };
}

const createSession = (client, config, chargeAmount) => client.createCheckoutSession({
  webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL },
  storeId: config.storeId,
  paymentDetails: { paymentIntent: 'Authorize', chargeAmount },
}, idempotent());

test('EU merchant, SDK region eu: a checkout in EUR is captured and refunded in EUR', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = euMerchant();
  const euros = { amount: '49.99', currencyCode: 'EUR' };

  const session = await checkout(client, config, { paymentIntent: 'AuthorizeWithCapture', chargeAmount: euros, merchantReferenceId: 'eu-1' });
  const { data: charge } = await expectOk(client.getCharge(session.chargeId), 200, 'getCharge');
  const { data: permission } = await expectOk(client.getChargePermission(session.chargePermissionId), 200, 'getChargePermission');
  const { data: refund } = await expectOk(client.createRefund({
    chargeId: session.chargeId, refundAmount: { amount: '10.00', currencyCode: 'EUR' },
  }, idempotent()), 201, 'createRefund');

  assert.deepEqual(charge.captureAmount, euros, 'captureAmount');
  assert.equal(permission.presentmentCurrency, 'EUR', 'presentmentCurrency');
  assert.deepEqual(refund.refundAmount, { amount: '10.00', currencyCode: 'EUR' }, 'refundAmount');
  await expectApiError(client.createRefund({ chargeId: session.chargeId, refundAmount: { amount: '1.00', currencyCode: 'USD' } }, idempotent()),
    400, 'CurrencyMismatch', 'a refund in another currency than the charge');
});

test('EU merchant: multi-currency sessions in GBP, SEK and JPY; SDK regions de and uk reach the same server', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const [region, chargeAmount] of [
    ['eu', { amount: '25.00', currencyCode: 'GBP' }],
    ['de', { amount: '250.00', currencyCode: 'SEK' }],
    ['uk', { amount: '2500', currencyCode: 'JPY' }],
  ]) {
    const { config, client } = euMerchant(region);
    const { data } = await expectOk(createSession(client, config, chargeAmount), 201, `createCheckoutSession in ${chargeAmount.currencyCode}`);
    assert.deepEqual(data.paymentDetails.chargeAmount, chargeAmount, 'chargeAmount');
    assert.equal(data.paymentDetails.presentmentCurrency, chargeAmount.currencyCode, 'presentmentCurrency');
  }
  const { config, client } = euMerchant();
  await expectApiError(createSession(client, config, { amount: '150000.01', currencyCode: 'EUR' }),
    400, 'InvalidParameterValue', 'above the EU maximum of EUR 150,000');
});

test('JP merchant, SDK region jp: a checkout in yen, no decimals, and no other currency', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = jpMerchant();
  const yen = { amount: '5400', currencyCode: 'JPY' };

  const session = await checkout(client, config, { paymentIntent: 'AuthorizeWithCapture', chargeAmount: yen, merchantReferenceId: 'jp-1' });
  const { data: charge } = await expectOk(client.getCharge(session.chargeId), 200, 'getCharge');

  assert.deepEqual(charge.captureAmount, yen, 'captureAmount');
  await expectApiError(createSession(client, config, { amount: '10.00', currencyCode: 'USD' }),
    400, 'InvalidParameterValue', 'USD from a JP merchant');
  await expectApiError(createSession(client, config, { amount: '100.5', currencyCode: 'JPY' }),
    400, 'InvalidParameterValue', 'yen with decimals');
  await expectOk(createSession(client, config, { amount: '10000000', currencyCode: 'JPY' }), 201, 'the JP maximum of JPY 10,000,000');
  await expectApiError(createSession(client, config, { amount: '10000001', currencyCode: 'JPY' }),
    400, 'InvalidParameterValue', 'above the JP maximum');
});
