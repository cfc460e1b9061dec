// Drives a running Tillpoint server with the official Amazon Pay Node SDK
// (@amazonpay/amazon-pay-api-sdk-nodejs 2.3.4, used unchanged) through the standard
// web checkout: spec §9.3 steps 2–7, including the guide's step 5 "Verify & complete checkout".
//
// Configuration comes only from the environment (see README.md). Missing configuration
// makes the tests FAIL, never skip.
//
//   TILLPOINT_HOST                  host:port of the HTTPS server (self-signed cert is fine)
//   TILLPOINT_PUBLIC_KEY_ID         SANDBOX-… key id (the SDK then calls /v2/...)
//   TILLPOINT_PRIVATE_KEY_PATH      PKCS#8 PEM private key for that key id
//   TILLPOINT_STORE_ID              amzn1.application-oa2-client.… of the same merchant
//   TILLPOINT_PLAIN_PUBLIC_KEY_ID   optional: key id without environment prefix, same merchant
//                                   (the SDK then calls /sandbox/v2/... with sandbox: true)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CHARGE_KEYS, CHARGE_PERMISSION_ID, CHARGE_PERMISSION_KEYS, CookieJar, RESULT_URL, REVIEW_URL,
  TEST_TIMEOUT_MS, TIMESTAMP, buyerSignsInAndApproves, buyerVisitsRedirectUrl, constraintIds, env,
  expectApiError, expectCheckoutSession, expectHasKeys, expectOk, expectTimestamps, json, loadConfig,
  newIdempotencyKey, sdkConfig, stepRunner,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

const USD_14 = { amount: '14.00', currencyCode: 'USD' };
const USD_13 = { amount: '13.00', currencyCode: 'USD' };

// ---------------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------------

// A valid RSA key that the server does not know: same key id, wrong key -> signature failure.
const WRONG_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' });

const VARIANTS = [
  { name: 'SANDBOX- key id (/v2), AMZN-PAY-RSASSA-PSS-V2', plainKey: false, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' },
  { name: 'SANDBOX- key id (/v2), default AMZN-PAY-RSASSA-PSS', plainKey: false },
];
if (env('TILLPOINT_PLAIN_PUBLIC_KEY_ID')) {
  VARIANTS.push(
    { name: 'plain key id (/sandbox/v2), AMZN-PAY-RSASSA-PSS-V2', plainKey: true, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' },
    { name: 'plain key id (/sandbox/v2), default AMZN-PAY-RSASSA-PSS', plainKey: true },
  );
}

test('configuration from the environment is complete', () => {
  loadConfig();
});

for (const variant of VARIANTS) {
  test(`checkout flow: ${variant.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const config = loadConfig();
    const client = new WebStoreClient(sdkConfig(config, variant));
    const step = stepRunner(t);
    const jar = new CookieJar();
    const merchantReferenceId = `order-${randomBytes(8).toString('hex')}`;
    const s = {}; // state shared by the steps

    await step('a. createCheckoutSession → 201 Open, BuyerNotAssociated; replay returns the same session', async () => {
      const payload = {
        webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL },
        storeId: config.storeId,
        scopes: ['name', 'email', 'phoneNumber', 'billingAddress'],
      };
      const headers = { 'x-amz-pay-idempotency-key': newIdempotencyKey() };
      const { data: session } = await expectOk(client.createCheckoutSession(payload, headers), 201, 'createCheckoutSession');
      expectCheckoutSession(session, 'createCheckoutSession');
      assert.match(session.checkoutSessionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        'checkoutSessionId is a lower-case UUID');
      assert.equal(session.statusDetails?.state, 'Open', 'statusDetails.state');
      assert.ok(constraintIds(session).includes('BuyerNotAssociated'),
        `constraints include BuyerNotAssociated (got ${json(session.constraints)})`);
      assert.equal(session.webCheckoutDetails?.checkoutReviewReturnUrl, REVIEW_URL, 'checkoutReviewReturnUrl echoed');
      assert.equal(session.webCheckoutDetails?.amazonPayRedirectUrl ?? null, null, 'amazonPayRedirectUrl is null');
      assert.equal(session.storeId, config.storeId, 'storeId echoed');
      assert.equal(session.buyer, null, 'buyer is null before sign-in');
      assert.equal(session.chargePermissionId, null, 'chargePermissionId is null');
      assert.equal(session.chargeId, null, 'chargeId is null');

      const { data: replay } = await expectOk(client.createCheckoutSession(payload, headers), 201,
        'createCheckoutSession replay (same idempotency key)');
      assert.equal(replay.checkoutSessionId, session.checkoutSessionId, 'replay returns the same checkoutSessionId');
      s.id = session.checkoutSessionId;
    });

    await step('b. buyer signs in and approves on the hosted pages → redirect to checkoutReviewReturnUrl', async () => {
      await buyerSignsInAndApproves(jar, config, s.id, { reviewUrl: REVIEW_URL, instrumentDigits: '1111' });
    });

    await step('c. getCheckoutSession → buyer, paymentPreferences, no BuyerNotAssociated', async () => {
      const { data: session } = await expectOk(client.getCheckoutSession(s.id), 200, 'getCheckoutSession');
      expectCheckoutSession(session, 'getCheckoutSession');
      assert.equal(session.checkoutSessionId, s.id, 'checkoutSessionId');
      assert.equal(session.statusDetails?.state, 'Open', 'statusDetails.state');
      assert.ok(session.buyer, 'buyer is set after the buyer signed in');
      assert.ok(typeof session.buyer.name === 'string' && session.buyer.name, 'buyer.name');
      assert.ok(typeof session.buyer.email === 'string' && session.buyer.email, 'buyer.email');
      assert.ok(session.buyer.buyerId?.startsWith('amzn1.account.'), `buyer.buyerId starts with amzn1.account. (got ${session.buyer.buyerId})`);
      assert.ok(session.paymentPreferences, 'paymentPreferences is set');
      assert.ok(!constraintIds(session).includes('BuyerNotAssociated'),
        `BuyerNotAssociated is gone (constraints ${json(session.constraints)})`);
      s.buyerId = session.buyer.buyerId;
    });

    await step('d. updateCheckoutSession → 200, no constraints, amazonPayRedirectUrl', async () => {
      const payload = {
        webCheckoutDetails: { checkoutResultReturnUrl: RESULT_URL },
        paymentDetails: { paymentIntent: 'Authorize', canHandlePendingAuthorization: false, chargeAmount: USD_14 },
        merchantMetadata: { merchantReferenceId, merchantStoreName: 'Tillpoint Test Store', noteToBuyer: 'Thanks' },
      };
      const { data: session } = await expectOk(client.updateCheckoutSession(s.id, payload), 200, 'updateCheckoutSession');
      expectCheckoutSession(session, 'updateCheckoutSession');
      assert.equal(session.statusDetails?.state, 'Open', 'statusDetails.state');
      assert.deepEqual(session.constraints, [], 'constraints are empty');
      assert.equal(session.webCheckoutDetails?.checkoutResultReturnUrl, RESULT_URL, 'checkoutResultReturnUrl echoed');
      assert.equal(session.paymentDetails?.paymentIntent, 'Authorize', 'paymentDetails.paymentIntent');
      assert.deepEqual(session.paymentDetails?.chargeAmount, USD_14, 'paymentDetails.chargeAmount');
      assert.equal(session.merchantMetadata?.merchantReferenceId, merchantReferenceId, 'merchantMetadata.merchantReferenceId');
      const redirectUrl = session.webCheckoutDetails?.amazonPayRedirectUrl;
      assert.ok(typeof redirectUrl === 'string' && URL.canParse(redirectUrl) && new URL(redirectUrl).protocol === 'https:',
        `amazonPayRedirectUrl is an absolute https URL (got ${json(redirectUrl)})`);
      s.redirectUrl = redirectUrl;
    });

    await step('e. buyer visits amazonPayRedirectUrl → redirect to checkoutResultReturnUrl', async () => {
      await buyerVisitsRedirectUrl(jar, s.redirectUrl, s.id, RESULT_URL);
    });

    await step('f. completeCheckoutSession (no idempotency key) → 200 Completed with ids', async () => {
      const { data: session } = await expectOk(client.completeCheckoutSession(s.id, { chargeAmount: USD_14 }), 200,
        'completeCheckoutSession');
      expectCheckoutSession(session, 'completeCheckoutSession');
      assert.equal(session.statusDetails?.state, 'Completed', 'statusDetails.state');
      assert.match(session.chargePermissionId ?? '', CHARGE_PERMISSION_ID, 'chargePermissionId format');
      assert.ok(typeof session.chargeId === 'string' && session.chargeId.startsWith(`${session.chargePermissionId}-C`) &&
        /^-C\d{6}$/.test(session.chargeId.slice(session.chargePermissionId.length)),
        `chargeId is chargePermissionId + "-C" + 6 digits (got ${session.chargeId})`);
      s.chargePermissionId = session.chargePermissionId;
      s.chargeId = session.chargeId;
    });

    await step('g. getCheckoutSession → Completed with the same ids (verify checkout)', async () => {
      const { data: session } = await expectOk(client.getCheckoutSession(s.id), 200, 'getCheckoutSession after complete');
      expectCheckoutSession(session, 'getCheckoutSession after complete');
      assert.equal(session.statusDetails?.state, 'Completed', 'statusDetails.state');
      assert.equal(session.chargePermissionId, s.chargePermissionId, 'chargePermissionId');
      assert.equal(session.chargeId, s.chargeId, 'chargeId');
    });

    await step('h. getCharge → Authorized 14.00 USD', async () => {
      const { data: charge } = await expectOk(client.getCharge(s.chargeId), 200, 'getCharge');
      expectHasKeys(charge, CHARGE_KEYS, 'getCharge');
      expectTimestamps(charge, 'getCharge');
      assert.equal(charge.chargeId, s.chargeId, 'chargeId');
      assert.equal(charge.chargePermissionId, s.chargePermissionId, 'chargePermissionId');
      assert.equal(charge.statusDetails?.state, 'Authorized', 'statusDetails.state');
      assert.deepEqual(charge.chargeAmount, USD_14, 'chargeAmount');
      assert.equal(charge.releaseEnvironment, 'Sandbox', 'releaseEnvironment');
    });

    await step('i. captureCharge → Captured; identical replay; changed body → DuplicateIdempotencyKey', async () => {
      const headers = { 'x-amz-pay-idempotency-key': newIdempotencyKey() };
      const payload = { captureAmount: USD_14, softDescriptor: 'Descriptor' };
      const first = await expectOk(client.captureCharge(s.chargeId, payload, headers), 200, 'captureCharge');
      expectHasKeys(first.data, CHARGE_KEYS, 'captureCharge');
      expectTimestamps(first.data, 'captureCharge');
      assert.equal(first.data.chargeId, s.chargeId, 'chargeId');
      assert.equal(first.data.statusDetails?.state, 'Captured', 'statusDetails.state');
      assert.deepEqual(first.data.captureAmount, USD_14, 'captureAmount');

      const replay = await expectOk(client.captureCharge(s.chargeId, payload, headers), 200,
        'captureCharge replay (same key, same body)');
      assert.deepEqual(replay.data, first.data, 'the replay returns the saved response body');

      await expectApiError(
        client.captureCharge(s.chargeId, { captureAmount: USD_13, softDescriptor: 'Descriptor' }, headers),
        400, 'DuplicateIdempotencyKey', 'captureCharge with the same key and a different amount');
    });

    await step('j. getChargePermission → Chargeable', async () => {
      const { data: permission } = await expectOk(client.getChargePermission(s.chargePermissionId), 200,
        'getChargePermission');
      expectHasKeys(permission, CHARGE_PERMISSION_KEYS, 'getChargePermission');
      assert.match(permission.creationTimestamp, TIMESTAMP, 'creationTimestamp');
      assert.equal(permission.chargePermissionId, s.chargePermissionId, 'chargePermissionId');
      assert.equal(permission.statusDetails?.state, 'Chargeable', 'statusDetails.state');
      assert.ok(Object.hasOwn(permission.statusDetails, 'reasons'), 'statusDetails has "reasons"');
      assert.ok(!Object.hasOwn(permission.statusDetails, 'reasonCode'), 'statusDetails has no "reasonCode"');
      assert.equal(permission.merchantMetadata?.merchantReferenceId, merchantReferenceId,
        'merchantMetadata.merchantReferenceId is the one sent in Update Checkout Session');
      assert.equal(permission.releaseEnvironment, 'Sandbox', 'releaseEnvironment');
      assert.equal(permission.buyer?.buyerId, s.buyerId, 'buyer.buyerId is the checkout buyer');
    });

    await step('k. errors: 404 unknown charge, 403 wrong key, 422 second capture', async () => {
      await expectApiError(client.getCharge('S01-0000000-0000000-C000000'), 404, 'ResourceNotFound',
        'getCharge of an unknown id');

      const impostor = new WebStoreClient(sdkConfig(config, variant, WRONG_PRIVATE_KEY));
      await expectApiError(impostor.getCheckoutSession(s.id), 403, 'InvalidRequestSignature',
        'getCheckoutSession signed with the wrong private key');

      await expectApiError(
        client.captureCharge(s.chargeId, { captureAmount: USD_14, softDescriptor: 'Descriptor' },
          { 'x-amz-pay-idempotency-key': newIdempotencyKey() }),
        422, 'InvalidChargeStatus', 'captureCharge of a Captured charge with a new key');
    });
  });
}
