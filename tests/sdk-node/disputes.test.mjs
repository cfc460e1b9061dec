// Drives a running Tillpoint server with the official Amazon Pay Node SDK
// (@amazonpay/amazon-pay-api-sdk-nodejs 2.3.4, used unchanged) through the Disputes and Files
// operations: createDispute, getDispute, updateDispute, contestDispute and uploadFile, with the
// payloads and the one shared idempotency key of the SDK's own test (tst/webStoreClientTest.js),
// the upload of a file's bytes to its url, and the main refusals.
//
// Configuration comes only from the environment (see README.md), as for lifecycle.test.mjs.
// Create and Update Dispute are payment service provider operations: the merchant under test must
// hold the psp role. Besides, for the refusals without it:
//
//   TILLPOINT_NO_ROLE_PUBLIC_KEY_ID     a SANDBOX- key of another merchant, without the psp role
//   TILLPOINT_NO_ROLE_PRIVATE_KEY_PATH  its private key

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  CookieJar, RESULT_URL, REVIEW_URL, TEST_TIMEOUT_MS, TIMESTAMP, buyerSignsInAndApproves, buyerVisitsRedirectUrl, env,
  expectApiError, expectHasKeys, expectOk, loadConfig, newIdempotencyKey, sdkConfig, stepRunner,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

/** The keys the SDK's own test requires on every dispute answer. */
const DISPUTE_KEYS = ['disputeId', 'chargeId', 'disputeType', 'disputeAmount', 'filingReason', 'resolutionAuthority',
  'statusDetails', 'merchantResponseDeadline', 'releaseEnvironment'];

/** Every key Tillpoint sends, in its order (the reference's). */
const DISPUTE_KEY_ORDER = ['disputeId', 'releaseEnvironment', 'chargeId', 'disputeType', 'disputeAmount', 'filingReason',
  'statusDetails', 'merchantEvidences', 'merchantResponseDeadline', 'resolutionAuthority', 'creationTimestamp'];

const FILE_KEYS = ['id', 'type', 'purpose', 'url', 'size', 'uploadTimestamp', 'urlExpirationTimestamp'];

const V2 = { name: 'AMZN-PAY-RSASSA-PSS-V2', plainKey: false, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' };
const usd = (amount) => ({ amount, currencyCode: 'USD' });

function expectDispute(dispute, what, { state, resolution = null }) {
  expectHasKeys(dispute, DISPUTE_KEYS, what);
  assert.deepEqual(Object.keys(dispute), DISPUTE_KEY_ORDER, `${what}: keys in order`);
  assert.equal(dispute.statusDetails.state, state, `${what}: statusDetails.state`);
  assert.equal(dispute.statusDetails.resolution, resolution, `${what}: statusDetails.resolution`);
  assert.match(dispute.merchantResponseDeadline, TIMESTAMP, `${what}: merchantResponseDeadline`);
  assert.equal(dispute.disputeType, 'Chargeback', `${what}: disputeType`);
  assert.equal(dispute.releaseEnvironment, 'Sandbox', `${what}: releaseEnvironment`);
}

/** A checkout on the hosted pages with AuthorizeWithCapture: returns the captured charge's id. */
async function capturedCharge(client, config, amount) {
  const created = await expectOk(client.createCheckoutSession({
    webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL }, storeId: config.storeId,
  }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }), 201, 'createCheckoutSession');
  const id = created.data.checkoutSessionId;
  const jar = new CookieJar();
  await buyerSignsInAndApproves(jar, config, id, { reviewUrl: REVIEW_URL, instrumentDigits: '1111' });
  const { data: updated } = await expectOk(client.updateCheckoutSession(id, {
    webCheckoutDetails: { checkoutResultReturnUrl: RESULT_URL },
    paymentDetails: { paymentIntent: 'AuthorizeWithCapture', canHandlePendingAuthorization: false, chargeAmount: usd(amount) },
  }), 200, 'updateCheckoutSession');
  await buyerVisitsRedirectUrl(jar, updated.webCheckoutDetails.amazonPayRedirectUrl, id, RESULT_URL);
  const { data: session } = await expectOk(client.completeCheckoutSession(id, { chargeAmount: usd(amount) }), 200,
    'completeCheckoutSession');
  const { data: charge } = await expectOk(client.getCharge(session.chargeId), 200, 'getCharge');
  assert.equal(charge.statusDetails.state, 'Captured', 'the checkout captured the charge');
  return charge.chargeId;
}

test(`disputes and files, as the SDK's own test calls them: ${V2.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const config = loadConfig();
  const client = new WebStoreClient(sdkConfig(config, V2));
  const step = stepRunner(t);
  // One key for every call, as the SDK's test does: keys are scoped to the operation's path.
  const headers = { 'x-amz-pay-idempotency-key': newIdempotencyKey() };
  const s = {};

  await step('a. a captured charge of 10.00 USD', async () => {
    s.chargeId = await capturedCharge(client, config, '10.00');
  });

  await step('b. createDispute with the SDK test payload (times in ms) → 200 ActionRequired; a repeat replays it', async () => {
    const payload = {
      chargeId: s.chargeId,
      providerMetadata: { providerDisputeId: 'A2CQXQ2TUSYG7J' },
      disputeAmount: usd('1'),
      filingReason: 'ProductNotReceived',
      filingTimestamp: Date.now(),
      statusDetails: { state: 'ActionRequired' },
      merchantResponseDeadline: Date.now() + (14 * 24 * 60 * 60 * 1000),
    };
    const { data } = await expectOk(client.createDispute(payload, headers), 200, 'createDispute');
    expectDispute(data, 'createDispute', { state: 'ActionRequired' });
    assert.equal(data.chargeId, s.chargeId, 'createDispute: chargeId');
    assert.deepEqual(data.disputeAmount, usd('1.00'), 'createDispute: disputeAmount');
    assert.equal(data.statusDetails.reasonCode, 'MerchantResponseRequired', 'createDispute: reasonCode');
    assert.match(data.disputeId, new RegExp(`^${s.chargeId.slice(0, -8)}-B\\d{6}$`), 'createDispute: disputeId');
    s.disputeId = data.disputeId;
    const { data: again } = await expectOk(client.createDispute(payload, headers), 200, 'createDispute again');
    assert.equal(again.disputeId, s.disputeId, 'the same key replays the same dispute');
  });

  await step('c. getDispute → 200, the same dispute', async () => {
    const { data } = await expectOk(client.getDispute(s.disputeId, headers), 200, 'getDispute');
    expectDispute(data, 'getDispute', { state: 'ActionRequired' });
  });

  await step('d. uploadFile {jpg, disputeEvidence} → 200 with a url; the bytes PUT there once', async () => {
    const { data } = await expectOk(client.uploadFile({ type: 'jpg', purpose: 'disputeEvidence' }, headers), 200, 'uploadFile');
    expectHasKeys(data, FILE_KEYS, 'uploadFile');
    assert.equal(data.size, 0, 'uploadFile: nothing uploaded yet');
    assert.equal(data.uploadTimestamp, null, 'uploadFile: uploadTimestamp');
    assert.match(data.urlExpirationTimestamp, TIMESTAMP, 'uploadFile: urlExpirationTimestamp');
    const put = await fetch(data.url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array([0xff, 0xd8, 0xff]) });
    assert.equal(put.status, 200, 'PUT to the upload url');
    const twice = await fetch(data.url, { method: 'PUT', body: new Uint8Array([1]) });
    assert.equal(twice.status, 400, 'a second PUT to the same url');
    s.fileId = data.id;
  });

  await step('e. contestDispute citing the file and a text → 200 UnderReview', async () => {
    const { data } = await expectOk(client.contestDispute(s.disputeId, {
      merchantEvidences: [
        { evidenceType: 'CustomerSignature', fileId: s.fileId, evidenceText: null },
        { evidenceType: 'TrackingNumber', fileId: null, evidenceText: 'raw text supporting merchant evidence' },
      ],
    }, headers), 200, 'contestDispute');
    expectDispute(data, 'contestDispute', { state: 'UnderReview' });
    assert.equal(data.merchantEvidences.length, 2, 'contestDispute: merchantEvidences');
  });

  await step('f. updateDispute with the SDK test payload → 200 Resolved MerchantWon', async () => {
    const { data } = await expectOk(client.updateDispute(s.disputeId, {
      statusDetails: {
        resolution: 'MerchantWon', state: 'Resolved', reasonCode: 'MerchantAcceptedDispute',
        reasonDescription: 'Merchant accepted the dispute request',
      },
      closureTimestamp: Date.now(),
    }, headers), 200, 'updateDispute');
    expectDispute(data, 'updateDispute', { state: 'Resolved', resolution: 'MerchantWon' });
  });

  await step('g. contestDispute with the SDK test payload (a new key: the shared one is taken by e) after the outcome → 200, the evidence kept, still Resolved', async () => {
    const { data } = await expectOk(client.contestDispute(s.disputeId, {
      merchantEvidences: [{ evidenceType: 'TrackingNumber', fileId: 'ababcbchdhdhhduathcfjhf', evidenceText: 'raw text supporting merchant evidence' }],
    }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }), 200, 'contestDispute after the outcome');
    expectDispute(data, 'contestDispute after the outcome', { state: 'Resolved', resolution: 'MerchantWon' });
    assert.equal(data.merchantEvidences.length, 3, 'every piece of evidence is kept');
  });

  await step('h. refusals: unknown dispute, unknown charge, bad file type, update of a decided dispute', async () => {
    await expectApiError(client.getDispute('S01-0000000-0000000-B000000'), 404, 'ResourceNotFound', 'getDispute unknown');
    await expectApiError(client.createDispute({
      chargeId: 'S01-0000000-0000000-C000000', providerMetadata: { providerDisputeId: 'X' }, disputeAmount: usd('1'),
      filingReason: 'Fraudulent', filingTimestamp: Date.now(), merchantResponseDeadline: Date.now() + 86_400_000,
    }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }), 404, 'ResourceNotFound', 'createDispute unknown charge');
    await expectApiError(client.createDispute({ chargeId: s.chargeId }, {}), 400, 'MissingHeader', 'createDispute without a key');
    await expectApiError(client.uploadFile({ type: 'exe', purpose: 'disputeEvidence' }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }),
      400, 'InvalidParameterValue', 'uploadFile exe');
    await expectApiError(client.updateDispute(s.disputeId, { statusDetails: { state: 'Closed', resolution: 'NoFault' } }),
      422, 'InvalidDisputeStatus', 'updateDispute of a decided dispute');
    await expectApiError(client.createDispute({
      chargeId: s.chargeId, providerMetadata: { providerDisputeId: 'X' }, disputeAmount: usd('10.01'),
      filingReason: 'Fraudulent', filingTimestamp: Date.now(), merchantResponseDeadline: Date.now() + 86_400_000,
    }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }), 400, 'InvalidParameterValue', 'createDispute over the capture (the first dispute, won by the merchant, holds nothing)');
  });

  await step('i. a merchant without the psp role: createDispute and updateDispute → 401 UnauthorizedAccess, the dispute unchanged', async () => {
    const missing = ['TILLPOINT_NO_ROLE_PUBLIC_KEY_ID', 'TILLPOINT_NO_ROLE_PRIVATE_KEY_PATH'].filter((name) => !env(name));
    assert.deepEqual(missing, [], 'environment variables normally set by the .NET test suite');
    const merchant = new WebStoreClient(sdkConfig({ ...config, publicKeyId: env('TILLPOINT_NO_ROLE_PUBLIC_KEY_ID') }, V2,
      readFileSync(env('TILLPOINT_NO_ROLE_PRIVATE_KEY_PATH'), 'utf8')));
    await expectApiError(merchant.createDispute({
      chargeId: s.chargeId, providerMetadata: { providerDisputeId: 'X' }, disputeAmount: usd('1'),
      filingReason: 'Fraudulent', filingTimestamp: Date.now(), merchantResponseDeadline: Date.now() + 86_400_000,
    }, { 'x-amz-pay-idempotency-key': newIdempotencyKey() }), 401, 'UnauthorizedAccess', 'createDispute without the role');
    await expectApiError(merchant.updateDispute(s.disputeId, { statusDetails: { state: 'Closed', resolution: 'BuyerWon' } }),
      401, 'UnauthorizedAccess', 'updateDispute without the role');
    const { data } = await expectOk(client.getDispute(s.disputeId), 200, 'getDispute after the refusals');
    expectDispute(data, 'getDispute after the refusals', { state: 'Resolved', resolution: 'MerchantWon' });
  });
});
