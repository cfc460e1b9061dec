// Drives a running Tillpoint server with the official Amazon Pay Node SDK
// (@amazonpay/amazon-pay-api-sdk-nodejs 2.3.4, used unchanged) through the operations that need a
// role the operator grants: updateCharge (psp) and getAuthorizationToken (solution-provider), and
// the x-amz-pay-authtoken header the latter yields.
//
// Configuration comes only from the environment (see README.md); the .NET suite prepares the
// merchants, grants and charges. Besides the variables of checkout-flow.test.mjs (whose merchant
// has no role):
//
//   TILLPOINT_MERCHANT_ID           the merchant id of TILLPOINT_PUBLIC_KEY_ID
//   TILLPOINT_CHARGE_ID             an Authorized charge of that merchant
//   TILLPOINT_PSP_PUBLIC_KEY_ID     a SANDBOX- key of a merchant with the psp role
//   TILLPOINT_PSP_PRIVATE_KEY_PATH  its private key
//   TILLPOINT_PSP_CHARGE_ID         an Authorized charge of the psp merchant
//   TILLPOINT_SP_PUBLIC_KEY_ID      a SANDBOX- key of a merchant with the solution-provider role
//   TILLPOINT_SP_PRIVATE_KEY_PATH   its private key
//   TILLPOINT_MWS_AUTH_TOKEN        an MWS auth token delegating TILLPOINT_MERCHANT_ID to it

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CHARGE_KEYS, TEST_TIMEOUT_MS, env, expectApiError, expectOk, loadConfig, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const ROLE_ENV = [
  'TILLPOINT_MERCHANT_ID', 'TILLPOINT_CHARGE_ID', 'TILLPOINT_PSP_PUBLIC_KEY_ID', 'TILLPOINT_PSP_PRIVATE_KEY_PATH',
  'TILLPOINT_PSP_CHARGE_ID', 'TILLPOINT_SP_PUBLIC_KEY_ID', 'TILLPOINT_SP_PRIVATE_KEY_PATH', 'TILLPOINT_MWS_AUTH_TOKEN',
];

function roleConfig() {
  const config = loadConfig();
  const missing = ROLE_ENV.filter((name) => !env(name));
  if (missing.length > 0) {
    throw new Error(`missing environment variable(s): ${missing.join(', ')} (normally set by the .NET test suite)`);
  }
  const client = (publicKeyId, keyPath) =>
    new WebStoreClient(sdkConfig({ ...config, publicKeyId }, {}, readFileSync(env(keyPath), 'utf8')));
  return {
    merchantId: env('TILLPOINT_MERCHANT_ID'),
    chargeId: env('TILLPOINT_CHARGE_ID'),
    pspChargeId: env('TILLPOINT_PSP_CHARGE_ID'),
    mwsAuthToken: env('TILLPOINT_MWS_AUTH_TOKEN'),
    merchant: new WebStoreClient(sdkConfig(config, {})),
    psp: client(env('TILLPOINT_PSP_PUBLIC_KEY_ID'), 'TILLPOINT_PSP_PRIVATE_KEY_PATH'),
    provider: client(env('TILLPOINT_SP_PUBLIC_KEY_ID'), 'TILLPOINT_SP_PRIVATE_KEY_PATH'),
  };
}

const CANCEL_EXPIRED = { statusDetails: { state: 'Canceled', reasonCode: 'ExpiredUnused' } };

test('updateCharge without the psp role: 401 UnauthorizedAccess, the charge unchanged', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  await expectApiError(c.merchant.updateCharge(c.chargeId, CANCEL_EXPIRED), 401, 'UnauthorizedAccess', 'updateCharge without the role');
  const charge = await expectOk(c.merchant.getCharge(c.chargeId), 200, 'getCharge');
  assert.equal(charge.data.statusDetails.state, 'Authorized');
});

test('updateCharge with the psp role: the SDK example cancels the charge and answers the whole Charge', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  const res = await expectOk(c.psp.updateCharge(c.pspChargeId, CANCEL_EXPIRED), 200, 'updateCharge');
  assert.deepEqual(Object.keys(res.data), CHARGE_KEYS, 'Charge keys in order');
  assert.equal(res.data.chargeId, c.pspChargeId);
  assert.equal(res.data.statusDetails.state, 'Canceled');
  assert.equal(res.data.statusDetails.reasonCode, 'ExpiredUnused');
  const again = await expectOk(c.psp.updateCharge(c.pspChargeId, CANCEL_EXPIRED), 200, 'updateCharge repeated');
  assert.deepEqual(again.data, (await c.psp.getCharge(c.pspChargeId)).data, 'a repeat changes nothing');
});

test('updateCharge refusals: a final charge 422, an unknown state 400, an unknown charge 404', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  await c.psp.updateCharge(c.pspChargeId, CANCEL_EXPIRED);
  await expectApiError(c.psp.updateCharge(c.pspChargeId, { statusDetails: { state: 'Captured' } }), 422, 'InvalidChargeStatus', 'capture a canceled charge');
  await expectApiError(c.psp.updateCharge(c.pspChargeId, { statusDetails: { state: 'Cancelled', reasonCode: 'ExpiredUnused' } }),
    400, 'InvalidParameterValue', 'misspelt state');
  await expectApiError(c.psp.updateCharge(c.pspChargeId, { statusDetails: { state: 'Canceled' } }), 400, 'MissingParameterValue', 'no reason');
  await expectApiError(c.psp.updateCharge('S01-0000000-0000000-C000001', CANCEL_EXPIRED), 404, 'ResourceNotFound', 'unknown charge');
});

test('getAuthorizationToken without the solution-provider role: 401 UnauthorizedAccess', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  await expectApiError(c.merchant.getAuthorizationToken(c.mwsAuthToken, c.merchantId), 401, 'UnauthorizedAccess', 'getAuthorizationToken without the role');
});

test('getAuthorizationToken with the role: a token that acts for the merchant as x-amz-pay-authtoken', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  const res = await expectOk(c.provider.getAuthorizationToken(c.mwsAuthToken, c.merchantId), 200, 'getAuthorizationToken');
  assert.deepEqual(Object.keys(res.data), ['authorizationToken']);
  assert.match(res.data.authorizationToken, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, 'an HS256 JWT');
  const charge = await expectOk(c.provider.getCharge(c.chargeId, { 'x-amz-pay-authtoken': res.data.authorizationToken }), 200,
    'getCharge for the merchant');
  assert.equal(charge.data.chargeId, c.chargeId);
  await expectApiError(c.provider.getCharge(c.chargeId), 404, 'ResourceNotFound', 'getCharge as itself');
});

test('getAuthorizationToken refusals: another merchant or an unknown token 401, a token Tillpoint did not issue 403', { timeout: TEST_TIMEOUT_MS }, async () => {
  const c = roleConfig();
  await expectApiError(c.provider.getAuthorizationToken(c.mwsAuthToken, 'ANOBODYATALL00'), 401, 'UnauthorizedAccess', 'another merchant');
  await expectApiError(c.provider.getAuthorizationToken('amzn.mws.00000000-0000-0000-0000-000000000000', c.merchantId), 401,
    'UnauthorizedAccess', 'unknown token');
  await expectApiError(c.provider.getCharge(c.chargeId, { 'x-amz-pay-authtoken': 'eyJhbGciOiJub25lIn0.e30.' }), 403,
    'InvalidAuthorizationToken', 'a forged token');
});
