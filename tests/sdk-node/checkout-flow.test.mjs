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
import { readFileSync } from 'node:fs';
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';

const { WebStoreClient } = amazonPay;

// The server uses a self-signed certificate. The SDK itself sets this variable as soon as
// `overrideServiceUrl` is used; set it up front so the hosted-page requests (fetch) accept
// the certificate too, whatever runs first.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const TEST_TIMEOUT_MS = 120_000;
const PAGE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Expected shapes (spec §5)
// ---------------------------------------------------------------------------------------------

const CHECKOUT_SESSION_KEYS = [
  'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails',
  'chargePermissionType', 'orderType', 'recurringMetadata', 'paymentMethodOnFileMetadata',
  'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer', 'billingAddress',
  'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId',
  'chargeId', 'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId',
  'providerMetadata', 'releaseEnvironment', 'checkoutButtonText', 'deliverySpecifications', 'tokens',
];

const CHARGE_KEYS = [
  'chargeId', 'chargeAmount', 'chargePermissionId', 'captureAmount', 'refundedAmount',
  'softDescriptor', 'providerMetadata', 'convertedAmount', 'conversionRate', 'channel',
  'chargeInitiator', 'statusDetails', 'creationTimestamp', 'expirationTimestamp',
  'releaseEnvironment', 'merchantMetadata', 'platformId', 'webCheckoutDetails',
];

const CHARGE_PERMISSION_KEYS = [
  'chargePermissionId', 'platformId', 'buyer', 'shippingAddress', 'billingAddress',
  'paymentPreferences', 'statusDetails', 'creationTimestamp', 'expirationTimestamp',
  'merchantMetadata', 'releaseEnvironment', 'limits', 'chargePermissionType', 'recurringMetadata',
  'presentmentCurrency',
];

const TIMESTAMP = /^\d{8}T\d{6}Z$/;
const CHARGE_PERMISSION_ID = /^[A-Z]\d{2}-\d{7}-\d{7}$/;
const REVIEW_URL = 'https://merchant.example/review';
const RESULT_URL = 'https://merchant.example/result';
const USD_14 = { amount: '14.00', currencyCode: 'USD' };
const USD_13 = { amount: '13.00', currencyCode: 'USD' };

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const REQUIRED_ENV = [
  'TILLPOINT_HOST', 'TILLPOINT_PUBLIC_KEY_ID', 'TILLPOINT_PRIVATE_KEY_PATH', 'TILLPOINT_STORE_ID',
];

const env = (name) => process.env[name]?.trim() || '';

/** Reads and checks the configuration; throws (so the calling test fails) when it is incomplete. */
function loadConfig() {
  const missing = REQUIRED_ENV.filter((name) => !env(name));
  if (missing.length > 0) {
    throw new Error(`missing environment variable(s): ${missing.join(', ')} ` +
      '(see tests/sdk-node/README.md; normally set by the .NET test suite)');
  }
  const host = env('TILLPOINT_HOST');
  assert.match(host, /^[^\s/]+$/, 'TILLPOINT_HOST must be host:port without scheme or path');
  const publicKeyId = env('TILLPOINT_PUBLIC_KEY_ID');
  assert.match(publicKeyId, /^SANDBOX-/i, 'TILLPOINT_PUBLIC_KEY_ID must be a SANDBOX-… key id');
  const plainPublicKeyId = env('TILLPOINT_PLAIN_PUBLIC_KEY_ID') || null;
  if (plainPublicKeyId) {
    assert.doesNotMatch(plainPublicKeyId, /^(LIVE|SANDBOX)/i,
      'TILLPOINT_PLAIN_PUBLIC_KEY_ID must not carry an environment prefix');
  }
  const storeId = env('TILLPOINT_STORE_ID');
  assert.match(storeId, /^amzn1\.application-oa2-client\./,
    'TILLPOINT_STORE_ID must be an amzn1.application-oa2-client.… id');
  const keyPath = env('TILLPOINT_PRIVATE_KEY_PATH');
  let privateKey;
  try {
    privateKey = readFileSync(keyPath, 'utf8');
  } catch (err) {
    throw new Error(`TILLPOINT_PRIVATE_KEY_PATH: cannot read ${keyPath}: ${err.message}`);
  }
  assert.equal(createPrivateKey(privateKey).asymmetricKeyType, 'rsa',
    'TILLPOINT_PRIVATE_KEY_PATH must hold an RSA private key (PEM)');
  return { host, baseUrl: `https://${host}`, publicKeyId, plainPublicKeyId, storeId, privateKey };
}

// ---------------------------------------------------------------------------------------------
// Helpers: SDK responses and errors
// ---------------------------------------------------------------------------------------------

const newIdempotencyKey = () => randomUUID().replace(/-/g, '');
const json = (value) => JSON.stringify(value);

function headerValue(headers, name) {
  if (!headers) return undefined;
  return typeof headers.get === 'function' ? headers.get(name) : headers[name];
}

function expectRequestId(headers, what) {
  const requestId = headerValue(headers, 'x-amz-pay-request-id');
  assert.ok(typeof requestId === 'string' && requestId.length > 0,
    `${what}: response has no x-amz-pay-request-id header`);
}

/** Describes an SDK rejection: axios errors carry `.response` ({status, data, headers}). */
function describeError(err) {
  if (err?.response) return `HTTP ${err.response.status} ${json(err.response.data)}`;
  return `${err?.code ?? 'error'}: ${err?.message ?? err}`;
}

/** Awaits an SDK call that must succeed with `status`; returns the axios response. */
async function expectOk(call, status, what) {
  let res;
  try {
    res = await call;
  } catch (err) {
    assert.fail(`${what}: expected HTTP ${status}, got ${describeError(err)}`);
  }
  assert.equal(res.status, status, `${what}: HTTP status (body ${json(res.data)})`);
  expectRequestId(res.headers, what);
  assert.ok(res.data !== null && typeof res.data === 'object' && !Array.isArray(res.data),
    `${what}: body must be a JSON object, got ${json(res.data)}`);
  return res;
}

/** Awaits an SDK call that must be rejected with an Amazon Pay error body. */
async function expectApiError(call, status, reasonCode, what) {
  let res;
  try {
    res = await call;
  } catch (err) {
    assert.ok(err?.response,
      `${what}: expected HTTP ${status} ${reasonCode}, but got no HTTP response: ${describeError(err)}`);
    const { status: actualStatus, data, headers } = err.response;
    assert.equal(actualStatus, status, `${what}: HTTP status (body ${json(data)})`);
    expectRequestId(headers, what);
    assert.ok(data !== null && typeof data === 'object', `${what}: error body must be JSON, got ${json(data)}`);
    assert.equal(data.reasonCode, reasonCode, `${what}: reasonCode (body ${json(data)})`);
    assert.equal(typeof data.message, 'string', `${what}: error message must be a string`);
    assert.deepEqual(Object.keys(data).sort(), ['message', 'reasonCode'],
      `${what}: error body has exactly reasonCode and message`);
    return err.response;
  }
  assert.fail(`${what}: expected HTTP ${status} ${reasonCode}, but the SDK resolved with ` +
    `HTTP ${res.status} ${json(res.data)}`);
}

function expectExactKeys(obj, keys, what) {
  assert.deepEqual(Object.keys(obj), keys, `${what}: top-level keys (exact list, in this order)`);
}

function expectHasKeys(obj, keys, what) {
  const missing = keys.filter((key) => !Object.hasOwn(obj, key));
  assert.deepEqual(missing, [], `${what}: missing keys`);
}

function expectTimestamps(obj, what) {
  assert.match(obj.creationTimestamp, TIMESTAMP, `${what}: creationTimestamp`);
  assert.match(obj.expirationTimestamp, TIMESTAMP, `${what}: expirationTimestamp`);
  if (obj.statusDetails?.lastUpdatedTimestamp !== undefined) {
    assert.match(obj.statusDetails.lastUpdatedTimestamp, TIMESTAMP, `${what}: statusDetails.lastUpdatedTimestamp`);
  }
}

const constraintIds = (session) => (session.constraints ?? []).map((c) => c.constraintId);

function expectCheckoutSession(session, what) {
  expectExactKeys(session, CHECKOUT_SESSION_KEYS, what);
  expectTimestamps(session, what);
  assert.equal(session.releaseEnvironment, 'Sandbox', `${what}: releaseEnvironment`);
}

// ---------------------------------------------------------------------------------------------
// Helpers: the buyer's browser (plain HTTP, a tiny cookie jar, a tiny regex form parser)
// ---------------------------------------------------------------------------------------------

/** Keeps the name=value pair of every Set-Cookie (no domain/path scoping: one server only). */
class CookieJar {
  #cookies = new Map();

  /** Stores the cookies of a fetch response; returns how many Set-Cookie headers it had. */
  store(response) {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const pair = line.split(';', 1)[0];
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = /;\s*max-age\s*=\s*(-?\d+)/i.exec(line);
      const expires = /;\s*expires\s*=\s*([^;]+)/i.exec(line);
      const expired = value === '' || (maxAge && Number(maxAge[1]) <= 0) ||
        (!maxAge && expires && Date.parse(expires[1]) < Date.now());
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return lines.length;
  }

  get size() { return this.#cookies.size; }

  header() { return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '); }
}

/** One request, never following redirects. `form` is a list of [name, value] pairs. */
async function browse(jar, url, { form } = {}) {
  const headers = { accept: 'text/html' };
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = new URL(url).origin;
  }
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET', headers, body, redirect: 'manual',
    signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
  });
  const setCookies = jar.store(response);
  return {
    url,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    location: response.headers.get('location'),
    setCookies,
    text: await response.text(),
  };
}

function decodeEntities(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X'
        ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return named[entity.toLowerCase()] ?? match;
  });
}

function parseAttributes(tag) {
  const attributes = {};
  const inside = tag.replace(/^<\s*[a-z0-9-]+/i, '').replace(/\/?\s*>$/, '');
  const attribute = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of inside.matchAll(attribute)) {
    const name = m[1].toLowerCase();
    if (!(name in attributes)) attributes[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attributes;
}

const textOf = (html) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

/** Finds `<form id="...">` and returns its attributes and controls, or null. */
function findForm(html, id) {
  for (const m of html.matchAll(/<form\b[^>]*>/gi)) {
    const attributes = parseAttributes(m[0]);
    if (attributes.id !== id) continue;
    const start = m.index + m[0].length;
    const close = /<\/form\s*>/gi;
    close.lastIndex = start;
    const end = close.exec(html)?.index ?? html.length;
    return parseForm(attributes, html.slice(start, end));
  }
  return null;
}

function parseForm(attributes, html) {
  const labels = [...html.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label\s*>/gi)].map((m) => ({
    for: parseAttributes(`<label ${m[1]}>`).for,
    text: textOf(m[2]),
    start: m.index,
    end: m.index + m[0].length,
  }));
  const inputs = [...html.matchAll(/<input\b[^>]*>/gi)].map((m) => {
    const input = parseAttributes(m[0]);
    // Label text: <label for="id">, else the <label> that wraps the input.
    const label = labels.find((l) => input.id && l.for === input.id) ??
      labels.find((l) => l.start < m.index && m.index < l.end);
    return { ...input, type: (input.type ?? 'text').toLowerCase(), label: label?.text ?? '' };
  });
  const selects = [...html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select\s*>/gi)].map((m) => ({
    ...parseAttributes(`<select ${m[1]}>`),
    options: [...m[2].matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|<\/option|$)/gi)].map((o) => {
      const option = parseAttributes(`<option ${o[1]}>`);
      const text = textOf(o[2]);
      return { value: option.value ?? text, text, selected: 'selected' in option };
    }),
  }));
  const buttons = [...html.matchAll(/<button\b[^>]*>/gi)].map((m) => parseAttributes(m[0]));
  return {
    id: attributes.id,
    method: (attributes.method ?? 'get').toLowerCase(),
    action: attributes.action ?? '',
    inputs,
    selects,
    buttons,
    hidden: (name) => inputs.find((i) => i.type === 'hidden' && i.name === name)?.value,
    radios: (name) => inputs.filter((i) => i.type === 'radio' && i.name === name),
    select: (name) => selects.find((s) => s.name === name),
  };
}

/** The pairs a browser would submit; `choices` picks radio and select values by name. */
function formData(form, choices = {}) {
  const pairs = [];
  const chosen = new Set();
  for (const input of form.inputs) {
    if (!input.name || 'disabled' in input) continue;
    if (['submit', 'button', 'image', 'reset', 'file'].includes(input.type)) continue;
    if (input.type === 'radio' || input.type === 'checkbox') {
      const picked = input.name in choices ? input.value === choices[input.name] : 'checked' in input;
      if (picked) {
        pairs.push([input.name, input.value ?? 'on']);
        chosen.add(input.name);
      }
      continue;
    }
    pairs.push([input.name, input.value ?? '']);
  }
  for (const select of form.selects) {
    if (!select.name || 'disabled' in select) continue;
    const option = select.name in choices
      ? select.options.find((o) => o.value === choices[select.name])
      : select.options.find((o) => o.selected) ?? select.options[0];
    if (option) {
      pairs.push([select.name, option.value]);
      chosen.add(select.name);
    }
  }
  const unknown = Object.keys(choices).filter((name) => !chosen.has(name));
  assert.deepEqual(unknown, [], `form #${form.id}: chosen values not offered by the form`);
  const submit = form.buttons.find((b) => (b.type ?? 'submit').toLowerCase() === 'submit' && b.name);
  if (submit) pairs.push([submit.name, submit.value ?? '']);
  return pairs;
}

/** Parses a form that must exist, be a POST and carry an antiforgery token. */
function expectPostForm(page, id) {
  const form = findForm(page.text, id);
  assert.ok(form, `${page.url}: no <form id="${id}"> in the page`);
  assert.equal(form.method, 'post', `form #${id}: method`);
  const token = form.hidden('__RequestVerificationToken');
  assert.ok(token, `form #${id}: hidden __RequestVerificationToken missing or empty`);
  return form;
}

async function submitForm(jar, page, form, choices) {
  const action = new URL(form.action || page.url, page.url).href;
  return browse(jar, action, { form: formData(form, choices) });
}

function expectHtml(page, what) {
  assert.equal(page.status, 200, `${what}: HTTP status (Location ${page.location})`);
  assert.match(page.contentType, /^text\/html/i, `${what}: content-type`);
}

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

function sdkConfig(config, variant, privateKey = config.privateKey) {
  const sdk = {
    publicKeyId: variant.plainKey ? config.plainPublicKeyId : config.publicKeyId,
    privateKey,
    region: 'us',
    overrideServiceUrl: config.host,
  };
  if (variant.plainKey) sdk.sandbox = true;
  if (variant.algorithm) sdk.algorithm = variant.algorithm;
  return sdk;
}

/** Runs `t.test` steps in order; once one fails, the later ones are skipped (the test has failed). */
function stepRunner(t) {
  let failedStep = null;
  return (name, fn) => t.test(name, { skip: failedStep ? `step "${failedStep}" failed` : false }, async (st) => {
    try {
      await fn(st);
    } catch (err) {
      failedStep = name;
      throw err;
    }
  });
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
      const pageUrl = `${config.baseUrl}/checkout/${s.id}`;

      const signInPage = await browse(jar, pageUrl);
      expectHtml(signInPage, `GET /checkout/${s.id} (signed out)`);
      assert.ok(signInPage.setCookies > 0 && jar.size > 0, 'the sign-in page sets an antiforgery cookie');
      const signIn = expectPostForm(signInPage, 'buyer-signin');
      expectPostForm(signInPage, 'buyer-cancel');
      const buyers = signIn.select('buyerId')?.options.filter((o) => o.value) ?? [];
      assert.ok(buyers.length > 0, 'form #buyer-signin: <select name="buyerId"> lists sandbox test buyers');

      const signedIn = await submitForm(jar, signInPage, signIn, { buyerId: buyers[0].value });
      assert.equal(signedIn.status, 303, `POST #buyer-signin: HTTP status (body ${signedIn.text.slice(0, 300)})`);
      assert.ok(signedIn.location, 'POST #buyer-signin: Location header');
      assert.equal(new URL(signedIn.location, signedIn.url).href.split(/[?#]/)[0], pageUrl,
        'POST #buyer-signin redirects back to /checkout/{id}');
      assert.ok(signedIn.setCookies > 0, 'POST #buyer-signin sets the buyer cookie');

      const approvePage = await browse(jar, pageUrl);
      expectHtml(approvePage, `GET /checkout/${s.id} (signed in)`);
      const approve = expectPostForm(approvePage, 'buyer-approve');
      expectPostForm(approvePage, 'buyer-cancel');
      const addresses = approve.radios('shippingAddressId');
      assert.ok(addresses.length > 0, 'form #buyer-approve: radio inputs name="shippingAddressId"');
      const instruments = approve.radios('paymentInstrumentId');
      assert.ok(instruments.length > 0, 'form #buyer-approve: radio inputs name="paymentInstrumentId"');
      const card1111 = instruments.find((i) => i.label.includes('1111'));
      assert.ok(card1111, `a payment instrument labelled …1111 (labels: ${json(instruments.map((i) => i.label))})`);
      const address = addresses.find((a) => 'checked' in a) ?? addresses[0];

      const approved = await submitForm(jar, approvePage, approve, {
        shippingAddressId: address.value,
        paymentInstrumentId: card1111.value,
      });
      assert.equal(approved.status, 303, `POST #buyer-approve: HTTP status (body ${approved.text.slice(0, 300)})`);
      assert.equal(approved.location, `${REVIEW_URL}?amazonCheckoutSessionId=${s.id}`,
        'POST #buyer-approve redirects to checkoutReviewReturnUrl?amazonCheckoutSessionId={id}');
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
      const processed = await browse(jar, s.redirectUrl);
      assert.ok(processed.status === 302 || processed.status === 303,
        `GET amazonPayRedirectUrl: HTTP 302 or 303 (got ${processed.status}, body ${processed.text.slice(0, 300)})`);
      assert.equal(processed.location, `${RESULT_URL}?amazonCheckoutSessionId=${s.id}`,
        'GET amazonPayRedirectUrl redirects to checkoutResultReturnUrl?amazonCheckoutSessionId={id}');
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
