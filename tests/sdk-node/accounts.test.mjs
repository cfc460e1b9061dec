// Drives a running Tillpoint server with the official Amazon Pay Node SDK
// (@amazonpay/amazon-pay-api-sdk-nodejs 2.3.4, used unchanged) through the account APIs
// (registerAmazonPayAccount, updateAmazonPayAccount, deleteAmazonPayAccount, createMerchantAccount,
// updateMerchantAccount, merchantAccountClaim: spec §3) and the in-store API (InStoreClient
// merchantScan, charge, refund: spec §5), with the payloads of the SDK's own tests and READMEs.
//
// Configuration comes only from the environment (see README.md). Missing configuration makes
// the tests FAIL, never skip. The calling merchant must hold the solution-provider role.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  TEST_TIMEOUT_MS, describeError, expectApiError, expectExactKeys, expectHasKeys, expectOk, json, loadConfig,
  newIdempotencyKey, sdkConfig, stepRunner,
} from './support.mjs';

const { WebStoreClient, InStoreClient } = amazonPay;

const V2 = { name: 'AMZN-PAY-RSASSA-PSS-V2', plainKey: false, algorithm: 'AMZN-PAY-RSASSA-PSS-V2' };

/** Register's answer: exactly these keys, in this order (the SDK's test deep-equals the key list). */
const ACCOUNT_KEYS = ['uniqueReferenceId', 'merchantAccountId'];

const uuid = () => randomUUID().replace(/-/g, '');

// The SDK test's payloads (tst/webStoreClientTest.js), reused as they are.
const businessAddress = {
  addressLine1: '450', addressLine2: 'Noda', city: '香取市', stateOrRegion: '千葉県', postalCode: '289-0314', countryCode: 'JP',
};
const residentialAddress = {
  addressLine1: '4-1', addressLine2: 'Yatsuomote', city: 'Chiryushi', stateOrRegion: 'AICHI', postalCode: '4720021', countryCode: 'JP',
};
const registerPayload = (businessType, { poc = true, uniqueReferenceId = 'ABCD12345CB' } = {}) => ({
  uniqueReferenceId,
  ledgerCurrency: 'JPY',
  businessInfo: { businessType, countryOfEstablishment: 'JP', businessLegalName: 'TestingSubmerchant', businessAddress },
  ...(poc ? { primaryContactPerson: { personFullName: 'Integration Tests', residentialAddress, dateOfBirth: null } } : {}),
});
const updatePayload = { businessInfo: { businessAddress: { ...businessAddress, addressLine2: 'Noda 2' } } };

// The SDK README's Create Merchant Account payload.
const createPayload = (id) => ({
  uniqueReferenceId: `Hanabii-${id}`,
  ledgerCurrency: 'JPY',
  businessInfo: {
    email: `rufus-${id}@abc.com`,
    businessType: 'CORPORATE',
    businessLegalName: '密林コーヒー',
    businessCategory: 'Beauty',
    businessDisplayName: "Rufus's Cafe",
    annualSalesVolume: { amount: '100000', currencyCode: 'JPY' },
    countryOfEstablishment: 'JP',
    businessAddress: { ...residentialAddress, phoneNumber: { countryCode: '81', number: '2062062061' } },
    customerSupportInformation: {
      customerSupportEmail: 'test.merchant_name@gmail.com',
      customerSupportPhoneNumber: { countryCode: '1', number: '1234567', extension: '123' },
    },
  },
  beneficiaryOwners: [{
    personId: 'BO1', personFullName: 'Rufus Rufus',
    residentialAddress: { ...residentialAddress, phoneNumber: { countryCode: '81', number: '5555555555' } },
  }],
  primaryContactPerson: { personFullName: 'Rufus Rufus' },
  integrationInfo: { ipnEndpointUrls: ['https://yourdomain.com/ipnendpoint1', 'https://yourdomain.com/ipnendpoint2'] },
  stores: [{
    domainUrls: ['https://www.rufus.com'], storeName: "Rufus's Cafe", privacyPolicyUrl: 'http://www.rufus.com/privacy',
    storeStatus: { state: 'Active', reasonCode: null },
  }],
  merchantStatus: { statusProvider: 'Ayden', state: 'ACTIVE', reasonCode: null },
});

/** Awaits a call that must answer `status` (a success without a JSON body, such as 204); returns the response. */
async function expectStatus(call, status, what) {
  let res;
  try {
    res = await call;
  } catch (err) {
    assert.fail(`${what}: expected HTTP ${status}, got ${describeError(err)}`);
  }
  assert.equal(res.status, status, `${what}: HTTP status (body ${json(res.data)})`);
  assert.ok(res.headers['x-amz-pay-request-id'], `${what}: x-amz-pay-request-id header`);
  return res;
}

test(`registerAmazonPayAccount → updateAmazonPayAccount → deleteAmazonPayAccount, the SDK's three payloads: ${V2.name}`,
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const config = loadConfig();
    const client = new WebStoreClient(sdkConfig(config, V2));
    const step = stepRunner(t);
    // As in the SDK's own test: one idempotency key for every call, one uniqueReferenceId for three accounts in a row.
    const headers = { 'x-amz-pay-idempotency-key': newIdempotencyKey() };
    for (const [name, payload] of [
      ['Individual', registerPayload('INDIVIDUAL')],
      ['Corporate with Poc', registerPayload('CORPORATE')],
      ['Corporate without Poc', registerPayload('CORPORATE', { poc: false })],
    ]) {
      await step(`${name}: register 201 (exact keys), update 204, delete 202`, async () => {
        const registered = await expectOk(client.registerAmazonPayAccount(payload, headers), 201, 'registerAmazonPayAccount');
        expectExactKeys(registered.data, ACCOUNT_KEYS, 'registerAmazonPayAccount');
        assert.equal(registered.data.uniqueReferenceId, 'ABCD12345CB', 'uniqueReferenceId is echoed');
        assert.match(registered.data.merchantAccountId, /^A[A-Z0-9]{13}$/, 'merchantAccountId is a merchant id');
        const id = registered.data.merchantAccountId;

        await expectStatus(client.updateAmazonPayAccount(id, updatePayload), 204, 'updateAmazonPayAccount');
        await expectStatus(client.deleteAmazonPayAccount(id), 202, 'deleteAmazonPayAccount');
      });
    }
  });

test(`registerAmazonPayAccount and its updates: refusals: ${V2.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const config = loadConfig();
  const client = new WebStoreClient(sdkConfig(config, V2));
  const step = stepRunner(t);
  const reference = `ref-${uuid()}`;
  const s = {};

  await step('a. register, then the same uniqueReferenceId again → 400 InvalidRequest', async () => {
    const { data } = await expectOk(client.registerAmazonPayAccount(registerPayload('CORPORATE', { uniqueReferenceId: reference })), 201, 'register');
    s.id = data.merchantAccountId;
    await expectApiError(client.registerAmazonPayAccount(registerPayload('INDIVIDUAL', { uniqueReferenceId: reference })),
      400, 'InvalidRequest', 'register with a uniqueReferenceId in use');
  });

  await step('b. bad bodies → 400 naming the problem', async () => {
    const { businessInfo, ...withoutBusiness } = registerPayload('CORPORATE', { uniqueReferenceId: `x-${uuid()}` });
    assert.ok(businessInfo);
    await expectApiError(client.registerAmazonPayAccount(withoutBusiness), 400, 'MissingParameterValue', 'register without businessInfo');
    await expectApiError(client.registerAmazonPayAccount({ ...withoutBusiness, businessInfo, shoeSize: 42 }),
      400, 'UnrecognizedField', 'register with an unknown field');
    await expectApiError(client.registerAmazonPayAccount({ ...withoutBusiness, businessInfo, ledgerCurrency: 'XYZ' }),
      400, 'InvalidParameterValue', 'register with an unknown ledgerCurrency');
    await expectApiError(client.registerAmazonPayAccount({ ...withoutBusiness, businessInfo: { ...businessInfo, businessType: 'PARTNERSHIP' } }),
      400, 'InvalidParameterValue', 'register with an unknown businessType');
  });

  await step('c. update: another legal name → 400, an unknown account → 404', async () => {
    await expectApiError(client.updateAmazonPayAccount(s.id, { businessInfo: { businessLegalName: 'Someone Else' } }),
      400, 'InvalidParameterValue', 'update changing the legal entity');
    await expectApiError(client.updateAmazonPayAccount('ANOSUCHACCOUNT1', updatePayload), 404, 'ResourceNotFound', 'update an unknown account');
  });

  await step('d. a registered account cannot be claimed → 400 InvalidRequest', async () => {
    await expectApiError(client.merchantAccountClaim(s.id, { uniqueReferenceId: reference }), 400, 'InvalidRequest', 'claim a registered account');
  });

  await step('e. delete, then delete and update again → 404', async () => {
    await expectStatus(client.deleteAmazonPayAccount(s.id), 202, 'deleteAmazonPayAccount');
    await expectApiError(client.deleteAmazonPayAccount(s.id), 404, 'ResourceNotFound', 'delete a deleted account');
    await expectApiError(client.updateAmazonPayAccount(s.id, updatePayload), 404, 'ResourceNotFound', 'update a deleted account');
  });
});

test(`createMerchantAccount → updateMerchantAccount → merchantAccountClaim (303): ${V2.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const config = loadConfig();
  const client = new WebStoreClient(sdkConfig(config, V2));
  const step = stepRunner(t);
  const payload = createPayload(uuid());
  const s = {};

  await step('a. createMerchantAccount → 201 with uniqueReferenceId, merchantAccountId and authorizationToken', async () => {
    const { data } = await expectOk(client.createMerchantAccount(payload), 201, 'createMerchantAccount');
    expectHasKeys(data, ['uniqueReferenceId', 'merchantAccountId', 'authorizationToken'], 'createMerchantAccount');
    assert.equal(data.uniqueReferenceId, payload.uniqueReferenceId, 'uniqueReferenceId is echoed');
    assert.ok(data.authorizationToken.length >= 32, 'authorizationToken');
    Object.assign(s, { id: data.merchantAccountId, token: data.authorizationToken });
  });

  await step('b. updateMerchantAccount with x-amz-pay-authtoken → 200 with the ids; a wrong token → 401', async () => {
    const update = { businessInfo: { businessDisplayName: "Rufus's Cafe & Bar", customerSupportInformation: { customerSupportEmail: 'help@rufus.com' } } };
    const { data } = await expectOk(client.updateMerchantAccount(s.id, update, { 'x-amz-pay-authtoken': s.token }), 200, 'updateMerchantAccount');
    expectHasKeys(data, ACCOUNT_KEYS, 'updateMerchantAccount');
    assert.equal(data.merchantAccountId, s.id, 'merchantAccountId');
    await expectApiError(client.updateMerchantAccount(s.id, update, { 'x-amz-pay-authtoken': 'not-the-token' }),
      401, 'UnauthorizedAccess', 'updateMerchantAccount with a wrong token');
  });

  await step('c. merchantAccountClaim (maxRedirects 0) → 303 with Location and the ids in the body', async () => {
    const claimed = await expectStatus(
      client.merchantAccountClaim(s.id, { uniqueReferenceId: payload.uniqueReferenceId }), 303, 'merchantAccountClaim');
    expectHasKeys(claimed.data, ACCOUNT_KEYS, 'merchantAccountClaim body');
    assert.equal(claimed.data.merchantAccountId, s.id, 'merchantAccountId');
    assert.ok(new URL(claimed.headers.location).pathname.startsWith('/dashboard/merchants'), `Location (got ${claimed.headers.location})`);
    const again = await expectStatus(
      client.merchantAccountClaim(s.id, { uniqueReferenceId: payload.uniqueReferenceId }), 303, 'merchantAccountClaim again');
    assert.deepEqual(again.data, claimed.data, 'claiming again answers the same');
  });

  await step('d. once claimed, the partner can neither update nor delete it → 400 InvalidRequest', async () => {
    await expectApiError(client.updateMerchantAccount(s.id, updatePayload, { 'x-amz-pay-authtoken': s.token }),
      400, 'InvalidRequest', 'updateMerchantAccount after the claim');
    await expectApiError(client.deleteAmazonPayAccount(s.id), 400, 'InvalidRequest', 'deleteAmazonPayAccount after the claim');
  });

  await step('e. claim refusals: another uniqueReferenceId → 400, none → 400, an unknown account → 404', async () => {
    const other = await expectOk(client.createMerchantAccount(createPayload(uuid())), 201, 'createMerchantAccount');
    await expectApiError(client.merchantAccountClaim(other.data.merchantAccountId, { uniqueReferenceId: 'someone-else' }),
      400, 'InvalidParameterValue', 'claim with another uniqueReferenceId');
    await expectApiError(client.merchantAccountClaim(other.data.merchantAccountId, {}),
      400, 'MissingParameterValue', 'claim without uniqueReferenceId');
    await expectApiError(client.merchantAccountClaim('ANOSUCHACCOUNT1', { uniqueReferenceId: 'x' }), 404, 'ResourceNotFound', 'claim an unknown account');
  });
});

test(`InStoreClient merchantScan → charge → refund, the SDK's payloads: ${V2.name}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const config = loadConfig();
  const inStore = new InStoreClient(sdkConfig(config, V2));
  const webStore = new WebStoreClient(sdkConfig(config, V2));
  const step = stepRunner(t);
  const s = {};
  // tst/inStoreClientTest.js, with the US configuration of its config.js.
  const scanPayload = (scanData = 'UKhrmatMeKdlfY6b') => ({
    scanData,
    scanReferenceId: uuid(),
    merchantCOE: 'US',
    ledgerCurrency: 'USD',
    storeLocation: { countryCode: 'US' },
    metadata: {
      merchantNote: 'Software Purchase',
      customInformation: 'in-store Software Purchase',
      communicationContext: { merchantStoreName: 'TESTSTORE', merchantOrderId: '789123' },
    },
  });
  const chargePayload = (chargePermissionId, amount = 2) => ({
    chargePermissionId, chargeReferenceId: uuid(), chargeTotal: { currencyCode: 'USD', amount }, softDescriptor: 'amzn-store',
  });
  const refundPayload = (chargeId, amount = 2, currencyCode = 'USD') => ({
    chargeId, refundReferenceId: uuid(), refundTotal: { currencyCode, amount }, softDescriptor: 'amzn-store',
  });

  await step('a. merchantScan → 200, exactly {chargePermissionId}', async () => {
    const { data } = await expectOk(inStore.merchantScan(scanPayload()), 200, 'merchantScan');
    expectExactKeys(data, ['chargePermissionId'], 'merchantScan');
    s.cp = data.chargePermissionId;
  });

  await step('b. charge 2 (a JSON number) → 200, exactly {chargeId, chargeStatus: {state: Completed}}', async () => {
    const { data } = await expectOk(inStore.charge(chargePayload(s.cp)), 200, 'charge');
    expectExactKeys(data, ['chargeId', 'chargeStatus'], 'charge');
    assert.deepEqual(data.chargeStatus, { state: 'Completed' }, 'chargeStatus');
    s.charge = data.chargeId;
  });

  await step('c. the ledger counts it: getCharge Captured 2.00 USD on the point-of-sale channel', async () => {
    const { data } = await expectOk(webStore.getCharge(s.charge), 200, 'getCharge');
    assert.equal(data.statusDetails.state, 'Captured', 'state');
    assert.deepEqual(data.captureAmount, { amount: '2.00', currencyCode: 'USD' }, 'captureAmount');
    assert.equal(data.channel, 'PointOfSale', 'channel');
    assert.equal(data.chargePermissionId, s.cp, 'chargePermissionId');
  });

  await step('d. refund 2 → 200, exactly {refundId, refundStatus: {state: Pending}}', async () => {
    const { data } = await expectOk(inStore.refund(refundPayload(s.charge)), 200, 'refund');
    expectExactKeys(data, ['refundId', 'refundStatus'], 'refund');
    assert.deepEqual(data.refundStatus, { state: 'Pending' }, 'refundStatus');
    const { data: refund } = await expectOk(webStore.getRefund(data.refundId), 200, 'getRefund');
    assert.equal(refund.chargeId, s.charge, 'the refund is of the in-store charge');
  });

  await step('e. the money rules hold: a refund past the capture + 15 % → 422, another currency → 400', async () => {
    await expectApiError(inStore.refund(refundPayload(s.charge, 0.31)), 422, 'TransactionAmountExceeded', 'refund past the allowance');
    await expectApiError(inStore.refund(refundPayload(s.charge, 1, 'EUR')), 400, 'CurrencyMismatch', 'refund in EUR');
  });

  await step('f. refusals: unknown permission → 404, no scanData → 400, an unknown field → 400', async () => {
    await expectApiError(inStore.charge(chargePayload('S01-0000000-0000000')), 404, 'ResourceNotFound', 'charge an unknown permission');
    const { scanData, ...withoutScanData } = scanPayload();
    assert.ok(scanData);
    await expectApiError(inStore.merchantScan(withoutScanData), 400, 'MissingParameterValue', 'merchantScan without scanData');
    await expectApiError(inStore.merchantScan({ ...scanPayload(), chargeAmount: 2 }), 400, 'UnrecognizedField', 'merchantScan with an unknown field');
    await expectApiError(inStore.charge({ ...chargePayload(s.cp), chargeReferenceId: undefined }), 400, 'MissingParameterValue', 'charge without chargeReferenceId');
  });

  await step('g. a code naming the declining test instrument → charge 200 with chargeStatus Declined', async () => {
    const { data: scan } = await expectOk(inStore.merchantScan(scanPayload('visa-3434')), 200, 'merchantScan visa-3434');
    const { data } = await expectOk(inStore.charge(chargePayload(scan.chargePermissionId)), 200, 'charge');
    assert.deepEqual(data.chargeStatus, { state: 'Declined' }, 'chargeStatus');
  });
});
