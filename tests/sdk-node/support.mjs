// Shared helpers of the official Node SDK suites (checkout-flow.test.mjs, lifecycle.test.mjs,
// signin.test.mjs):
// configuration from the environment, SDK response/error assertions, the buyer's browser for
// the hosted pages (cookie jar + regex form parser) and the Tillpoint operator clock.
//
// Configuration comes only from the environment (see README.md). Missing configuration makes
// the tests FAIL, never skip.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPrivateKey, randomUUID } from 'node:crypto';

// The server uses a self-signed certificate. The SDK itself sets this variable as soon as
// `overrideServiceUrl` is used; set it up front so the hosted-page requests (fetch) accept
// the certificate too, whatever runs first.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

export const TEST_TIMEOUT_MS = 120_000;
export const PAGE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Expected shapes (spec §5)
// ---------------------------------------------------------------------------------------------

export const CHECKOUT_SESSION_KEYS = [
  'checkoutSessionId', 'webCheckoutDetails', 'productType', 'paymentDetails',
  'chargePermissionType', 'orderType', 'recurringMetadata', 'paymentMethodOnFileMetadata',
  'merchantDetails', 'merchantMetadata', 'supplementaryData', 'buyer', 'billingAddress',
  'paymentPreferences', 'statusDetails', 'shippingAddress', 'platformId', 'chargePermissionId',
  'chargeId', 'constraints', 'creationTimestamp', 'expirationTimestamp', 'storeId',
  'providerMetadata', 'releaseEnvironment', 'checkoutButtonText', 'deliverySpecifications', 'tokens',
];

export const CHARGE_KEYS = [
  'chargeId', 'chargeAmount', 'chargePermissionId', 'captureAmount', 'refundedAmount',
  'softDescriptor', 'providerMetadata', 'convertedAmount', 'conversionRate', 'channel',
  'chargeInitiator', 'statusDetails', 'creationTimestamp', 'expirationTimestamp',
  'releaseEnvironment', 'merchantMetadata', 'platformId', 'webCheckoutDetails',
];

export const CHARGE_PERMISSION_KEYS = [
  'chargePermissionId', 'platformId', 'buyer', 'shippingAddress', 'billingAddress',
  'paymentPreferences', 'statusDetails', 'creationTimestamp', 'expirationTimestamp',
  'merchantMetadata', 'releaseEnvironment', 'limits', 'chargePermissionType', 'recurringMetadata',
  'presentmentCurrency',
];

export const TIMESTAMP = /^\d{8}T\d{6}Z$/;
export const CHARGE_PERMISSION_ID = /^[A-Z]\d{2}-\d{7}-\d{7}$/;
export const REVIEW_URL = 'https://merchant.example/review';
export const RESULT_URL = 'https://merchant.example/result';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

export const REQUIRED_ENV = [
  'TILLPOINT_HOST', 'TILLPOINT_PUBLIC_KEY_ID', 'TILLPOINT_PRIVATE_KEY_PATH', 'TILLPOINT_STORE_ID',
];

export const env = (name) => process.env[name]?.trim() || '';

/**
 * Reads and checks the configuration; throws (so the calling test fails) when it is incomplete.
 * `operator: true` also requires TILLPOINT_OPERATOR_TOKEN (the sandbox clock endpoints).
 */
export function loadConfig({ operator = false } = {}) {
  const required = operator ? [...REQUIRED_ENV, 'TILLPOINT_OPERATOR_TOKEN'] : REQUIRED_ENV;
  const missing = required.filter((name) => !env(name));
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
  const operatorToken = env('TILLPOINT_OPERATOR_TOKEN') || null;
  return { host, baseUrl: `https://${host}`, publicKeyId, plainPublicKeyId, storeId, privateKey, operatorToken };
}

// ---------------------------------------------------------------------------------------------
// Helpers: SDK responses and errors
// ---------------------------------------------------------------------------------------------

export const newIdempotencyKey = () => randomUUID().replace(/-/g, '');
export const idempotent = (key = newIdempotencyKey()) => ({ 'x-amz-pay-idempotency-key': key });
export const json = (value) => JSON.stringify(value);

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
export function describeError(err) {
  if (err?.response) return `HTTP ${err.response.status} ${json(err.response.data)}`;
  return `${err?.code ?? 'error'}: ${err?.message ?? err}`;
}

/** Awaits an SDK call that must succeed with `status`; returns the axios response. */
export async function expectOk(call, status, what) {
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
export async function expectApiError(call, status, reasonCode, what) {
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

export function expectExactKeys(obj, keys, what) {
  assert.deepEqual(Object.keys(obj), keys, `${what}: top-level keys (exact list, in this order)`);
}

export function expectHasKeys(obj, keys, what) {
  const missing = keys.filter((key) => !Object.hasOwn(obj, key));
  assert.deepEqual(missing, [], `${what}: missing keys`);
}

export function expectTimestamps(obj, what) {
  assert.match(obj.creationTimestamp, TIMESTAMP, `${what}: creationTimestamp`);
  assert.match(obj.expirationTimestamp, TIMESTAMP, `${what}: expirationTimestamp`);
  if (obj.statusDetails?.lastUpdatedTimestamp !== undefined) {
    assert.match(obj.statusDetails.lastUpdatedTimestamp, TIMESTAMP, `${what}: statusDetails.lastUpdatedTimestamp`);
  }
}

export const constraintIds = (session) => (session.constraints ?? []).map((c) => c.constraintId);

export function expectCheckoutSession(session, what, keys = CHECKOUT_SESSION_KEYS) {
  expectExactKeys(session, keys, what);
  expectTimestamps(session, what);
  assert.equal(session.releaseEnvironment, 'Sandbox', `${what}: releaseEnvironment`);
}

// ---------------------------------------------------------------------------------------------
// Helpers: the buyer's browser (plain HTTP, a tiny cookie jar, a tiny regex form parser)
// ---------------------------------------------------------------------------------------------

/** Keeps the name=value pair of every Set-Cookie (no domain/path scoping: one server only). */
export class CookieJar {
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
export async function browse(jar, url, { form } = {}) {
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
export function expectPostForm(page, id) {
  const form = findForm(page.text, id);
  assert.ok(form, `${page.url}: no <form id="${id}"> in the page`);
  assert.equal(form.method, 'post', `form #${id}: method`);
  const token = form.hidden('__RequestVerificationToken');
  assert.ok(token, `form #${id}: hidden __RequestVerificationToken missing or empty`);
  return form;
}

export async function submitForm(jar, page, form, choices) {
  const action = new URL(form.action || page.url, page.url).href;
  return browse(jar, action, { form: formData(form, choices) });
}

export function expectHtml(page, what) {
  assert.equal(page.status, 200, `${what}: HTTP status (Location ${page.location})`);
  assert.match(page.contentType, /^text\/html/i, `${what}: content-type`);
}


export function sdkConfig(config, variant, privateKey = config.privateKey) {
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
export function stepRunner(t) {
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

// ---------------------------------------------------------------------------------------------
// The buyer on the hosted pages
// ---------------------------------------------------------------------------------------------

/**
 * The buyer signs in on /checkout/{id} as a sandbox test buyer and approves with the instrument
 * whose label contains `instrumentDigits`; the page must redirect to `reviewUrl`. Returns the
 * chosen shipping address id and instrument id.
 */
export async function buyerSignsInAndApproves(jar, config, checkoutSessionId,
  { reviewUrl = REVIEW_URL, instrumentDigits = '1111' } = {}) {
  const pageUrl = `${config.baseUrl}/checkout/${checkoutSessionId}`;

  const signInPage = await browse(jar, pageUrl);
  expectHtml(signInPage, `GET /checkout/${checkoutSessionId} (signed out)`);
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
  expectHtml(approvePage, `GET /checkout/${checkoutSessionId} (signed in)`);
  const approve = expectPostForm(approvePage, 'buyer-approve');
  expectPostForm(approvePage, 'buyer-cancel');
  const addresses = approve.radios('shippingAddressId');
  assert.ok(addresses.length > 0, 'form #buyer-approve: radio inputs name="shippingAddressId"');
  const instruments = approve.radios('paymentInstrumentId');
  assert.ok(instruments.length > 0, 'form #buyer-approve: radio inputs name="paymentInstrumentId"');
  const instrument = instruments.find((i) => i.label.includes(instrumentDigits));
  assert.ok(instrument,
    `a payment instrument labelled …${instrumentDigits} (labels: ${json(instruments.map((i) => i.label))})`);
  const address = addresses.find((a) => 'checked' in a) ?? addresses[0];

  const approved = await submitForm(jar, approvePage, approve, {
    shippingAddressId: address.value,
    paymentInstrumentId: instrument.value,
  });
  assert.equal(approved.status, 303, `POST #buyer-approve: HTTP status (body ${approved.text.slice(0, 300)})`);
  assert.equal(approved.location, `${reviewUrl}?amazonCheckoutSessionId=${checkoutSessionId}`,
    'POST #buyer-approve redirects to checkoutReviewReturnUrl?amazonCheckoutSessionId={id}');
  return { shippingAddressId: address.value, paymentInstrumentId: instrument.value };
}

/** The buyer's browser reaches amazonPayRedirectUrl and is sent on to checkoutResultReturnUrl. */
export async function buyerVisitsRedirectUrl(jar, redirectUrl, checkoutSessionId, resultUrl = RESULT_URL) {
  const processed = await browse(jar, redirectUrl);
  assert.ok(processed.status === 302 || processed.status === 303,
    `GET amazonPayRedirectUrl: HTTP 302 or 303 (got ${processed.status}, body ${processed.text.slice(0, 300)})`);
  assert.equal(processed.location, `${resultUrl}?amazonCheckoutSessionId=${checkoutSessionId}`,
    'GET amazonPayRedirectUrl redirects to checkoutResultReturnUrl?amazonCheckoutSessionId={id}');
}

// ---------------------------------------------------------------------------------------------
// Tillpoint operator endpoints (not Amazon's API): the sandbox clock
// ---------------------------------------------------------------------------------------------

/** One operator call over HTTPS with `Authorization: Bearer <token>`; returns status and JSON body. */
export async function operatorCall(config, method, path, { body, token = config.operatorToken } = {}) {
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${config.baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
  });
  const text = await response.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    assert.fail(`${method} ${path}: body is not JSON (HTTP ${response.status}): ${text.slice(0, 300)}`);
  }
  return { status: response.status, data, headers: response.headers };
}

const expectClock = (clock, what) => {
  assert.deepEqual(Object.keys(clock), ['now', 'offsetSeconds'], `${what}: keys`);
  assert.ok(Number.isFinite(Date.parse(clock.now)), `${what}: now is a timestamp (got ${json(clock.now)})`);
  assert.ok(Number.isInteger(clock.offsetSeconds), `${what}: offsetSeconds is an integer`);
};

/** GET /operator/clock → 200 {now, offsetSeconds}. */
export async function getSandboxClock(config) {
  const res = await operatorCall(config, 'GET', '/operator/clock');
  assert.equal(res.status, 200, `GET /operator/clock: HTTP status (body ${json(res.data)})`);
  expectClock(res.data, 'GET /operator/clock');
  return res.data;
}

/**
 * POST /operator/clock/advance {seconds} → 200 once all work due by then has run; checks that
 * the sandbox offset moved by exactly `seconds`. No sleeping: sandbox time is moved instead.
 */
export async function advanceSandboxClock(config, seconds) {
  const before = await getSandboxClock(config);
  const res = await operatorCall(config, 'POST', '/operator/clock/advance', { body: { seconds } });
  assert.equal(res.status, 200, `POST /operator/clock/advance: HTTP status (body ${json(res.data)})`);
  expectClock(res.data, 'POST /operator/clock/advance');
  assert.ok(res.data.offsetSeconds >= before.offsetSeconds + seconds,
    `the sandbox offset grew by at least ${seconds} s (before ${before.offsetSeconds}, after ${res.data.offsetSeconds})`);
  assert.ok(Date.parse(res.data.now) - Date.parse(before.now) >= seconds * 1000,
    `sandbox now moved by at least ${seconds} s (${before.now} → ${res.data.now})`);
  return res.data;
}

// ---------------------------------------------------------------------------------------------
// Checkout through the hosted pages (as checkout-flow.test.mjs drives them), for the suites that
// need a completed payment
// ---------------------------------------------------------------------------------------------

/**
 * Create → the buyer signs in and approves on the hosted pages → Update (paymentIntent, amount,
 * result URL) → the buyer passes amazonPayRedirectUrl → Complete. Returns the completed session.
 * `create` adds fields to Create Checkout Session (e.g. chargePermissionType and recurringMetadata).
 */
export async function checkout(client, config, { paymentIntent, chargeAmount, merchantReferenceId, create = {} }) {
  const created = await expectOk(client.createCheckoutSession({
    webCheckoutDetails: { checkoutReviewReturnUrl: REVIEW_URL },
    storeId: config.storeId,
    ...create,
  }, idempotent()), 201, 'createCheckoutSession');
  const id = created.data.checkoutSessionId;
  const jar = new CookieJar();
  await buyerSignsInAndApproves(jar, config, id, { reviewUrl: REVIEW_URL, instrumentDigits: '1111' });

  const { data: updated } = await expectOk(client.updateCheckoutSession(id, {
    webCheckoutDetails: { checkoutResultReturnUrl: RESULT_URL },
    paymentDetails: { paymentIntent, canHandlePendingAuthorization: false, chargeAmount },
    merchantMetadata: { merchantReferenceId, merchantStoreName: 'Tillpoint Test Store' },
  }), 200, 'updateCheckoutSession');
  assert.deepEqual(updated.constraints, [], `updateCheckoutSession: no constraints remain`);
  assert.equal(updated.paymentDetails?.paymentIntent, paymentIntent, 'updateCheckoutSession: paymentIntent');
  await buyerVisitsRedirectUrl(jar, updated.webCheckoutDetails.amazonPayRedirectUrl, id, RESULT_URL);

  const { data: session } = await expectOk(client.completeCheckoutSession(id, { chargeAmount }), 200,
    'completeCheckoutSession');
  expectCheckoutSession(session, 'completeCheckoutSession');
  assert.equal(session.statusDetails?.state, 'Completed', 'completeCheckoutSession: statusDetails.state');
  assert.match(session.chargePermissionId ?? '', CHARGE_PERMISSION_ID, 'completeCheckoutSession: chargePermissionId');
  return session;
}
