// checkout.js, the button script Tillpoint serves at /checkout.js, run against a tiny fake DOM (fake-dom.mjs) with
// Node's built-in test runner: what it renders, where it sends the browser, and how it reports bad configurations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeElement, jsonResponse, loadCheckoutJs, settle } from './fake-dom.mjs';

const BASE = 'https://tillpoint.test:8443';
const PAYLOAD = '{"webCheckoutDetails":{"checkoutReviewReturnUrl":"https://shop.test/review"},"storeId":"amzn1.application-oa2-client.1"}';

function checkoutConfig(overrides = {}) {
  return {
    merchantId: 'A1B2C3D4E5F6G7',
    publicKeyId: 'SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA',
    ledgerCurrency: 'USD',
    checkoutLanguage: 'en_US',
    productType: 'PayAndShip',
    placement: 'Cart',
    buttonColor: 'Gold',
    sandbox: true,
    estimatedOrderAmount: { amount: '109.99', currencyCode: 'USD' },
    createCheckoutSessionConfig: { payloadJSON: PAYLOAD, signature: 'c2lnbmF0dXJl+/==', algorithm: 'AMZN-PAY-RSASSA-PSS-V2' },
    ...overrides,
  };
}

function render(config, options = {}) {
  const container = new FakeElement('div');
  const page = loadCheckoutJs({ elements: { '#AmazonPayButton': container }, ...options });
  const button = page.amazon.Pay.renderButton('#AmazonPayButton', config);
  return { page, container, button, element: container.children[0] };
}

function query(url) {
  return Object.fromEntries(new URL(url).searchParams);
}

test('amazon.Pay offers renderButton, initCheckout and bindChangeAction, and nothing else', () => {
  const page = loadCheckoutJs();

  assert.deepEqual(Object.keys(page.amazon.Pay).sort(), ['bindChangeAction', 'initCheckout', 'renderButton']);
  assert.ok(Object.isFrozen(page.amazon.Pay));
  assert.deepEqual(page.errors, []);
});

test('renderButton renders one accessible <button> labelled "Amazon Pay" in the chosen colours', () => {
  const { container, element, button, page } = render(checkoutConfig());

  assert.equal(container.children.length, 1);
  assert.equal(element.tagName, 'BUTTON');
  assert.equal(element.getAttribute('type'), 'button');
  assert.equal(element.textContent, 'Amazon Pay');
  assert.equal(element.style.background, '#FFD814');
  assert.equal(element.style.color, '#0F1111');
  assert.equal(element.style.minHeight, '45px');
  assert.equal(typeof button.onClick, 'function');
  assert.equal(typeof button.initCheckout, 'function');
  assert.deepEqual(page.errors, []);
});

test('buttonColor DarkGray is white on dark grey, and focus shows a visible ring that blur removes', () => {
  const { element } = render(checkoutConfig({ buttonColor: 'DarkGray' }));

  element.dispatch('focus');
  const focused = { ...element.style };
  element.dispatch('blur');

  assert.equal(element.style.background, '#232F3E');
  assert.equal(element.style.color, '#FFFFFF');
  assert.equal(focused.outline, '3px solid #005FCC');
  assert.equal(element.style.outline, 'none');
});

test('a SignIn button is labelled "Sign in with Amazon" and goes to /signin with its signed payload', () => {
  const config = checkoutConfig({
    productType: 'SignIn',
    createCheckoutSessionConfig: undefined,
    signInConfig: { payloadJSON: '{"signInReturnUrl":"https://shop.test/in","storeId":"s"}', signature: 'c2ln' },
  });
  delete config.createCheckoutSessionConfig;
  const { element, page } = render(config);

  element.click();

  assert.equal(element.textContent, 'Sign in with Amazon');
  assert.equal(page.navigations.length, 1);
  assert.ok(page.navigations[0].startsWith(`${BASE}/signin?`));
  assert.deepEqual(query(page.navigations[0]), {
    payload: '{"signInReturnUrl":"https://shop.test/in","storeId":"s"}',
    signature: 'c2ln',
    publicKeyId: 'SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA',
    sandbox: 'true',
    checkoutLanguage: 'en_US',
  });
});

test('a click sends the browser to /checkout/start with the exact payload, signature and button settings, its language included', () => {
  const { element, page } = render(checkoutConfig());

  const event = element.click();

  assert.ok(event.defaultPrevented);
  assert.equal(page.navigations.length, 1);
  assert.ok(page.navigations[0].startsWith(`${BASE}/checkout/start?`));
  assert.deepEqual(query(page.navigations[0]), {
    payload: PAYLOAD,
    signature: 'c2lnbmF0dXJl+/==',
    publicKeyId: 'SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA',
    algorithm: 'AMZN-PAY-RSASSA-PSS-V2',
    sandbox: 'true',
    checkoutLanguage: 'en_US',
    productType: 'PayAndShip',
    merchantId: 'A1B2C3D4E5F6G7',
  });
});

test('the hosted pages are found where the script came from, path prefix included', () => {
  const { element, page } = render(checkoutConfig(), { scriptSrc: 'https://pay.example.test/tillpoint/checkout.js?v=3' });

  element.click();

  assert.ok(page.navigations[0].startsWith('https://pay.example.test/tillpoint/checkout/start?'), page.navigations[0]);
});

test('without currentScript the script tag is found by its src; without either, a click reports the problem', () => {
  const found = render(checkoutConfig(), { scriptSrc: null, scriptTags: ['https://other.test/app.js', 'https://pay.test/checkout.js'] });
  const lost = render(checkoutConfig(), { scriptSrc: null });

  found.element.click();
  lost.element.click();

  assert.ok(found.page.navigations[0].startsWith('https://pay.test/checkout/start?'));
  assert.deepEqual(lost.page.navigations, []);
  assert.match(lost.page.errors.join('\n'), /address this script was loaded from is unknown/);
});

test('a double click starts checkout once', () => {
  const { element, page } = render(checkoutConfig());

  element.click();
  element.click();

  assert.equal(page.navigations.length, 1);
});

test('an invalid configuration is logged and shown in place of the button, never thrown', () => {
  const { container, page } = render(checkoutConfig({ ledgerCurrency: 'XYZ', buttonColor: 'Pink', placement: undefined }));

  const box = container.children[0];
  assert.equal(container.children.length, 1);
  assert.equal(box.tagName, 'P');
  assert.equal(box.getAttribute('role'), 'alert');
  assert.match(box.textContent, /ledgerCurrency 'XYZ' is not one of USD, EUR, GBP, JPY/);
  assert.match(box.textContent, /buttonColor 'Pink'/);
  assert.match(box.textContent, /placement is required/);
  assert.equal(page.errors.length, 1);
  assert.match(page.errors[0], /renderButton: .*ledgerCurrency/);
});

for (const [what, overrides, pattern] of [
  ['no merchantId', { merchantId: '' }, /merchantId is required/],
  ['an unknown algorithm', { createCheckoutSessionConfig: { payloadJSON: PAYLOAD, signature: 's', algorithm: 'RSA' } }, /algorithm 'RSA'/],
  ['a payload object instead of its signed string', { createCheckoutSessionConfig: { payloadJSON: {}, signature: 's' } }, /payloadJSON must be the exact JSON string/],
  ['no signature', { createCheckoutSessionConfig: { payloadJSON: PAYLOAD } }, /signature is required/],
  ['no publicKeyId with a signed payload', { publicKeyId: undefined }, /publicKeyId is required/],
  ['both checkout forms', { createCheckoutSession: { url: '/session' } }, /either createCheckoutSessionConfig or createCheckoutSession/],
  ['a sandbox flag that is not a boolean', { sandbox: 'yes' }, /sandbox must be true or false/],
  ['a malformed estimatedOrderAmount', { estimatedOrderAmount: { amount: 'ten', currencyCode: 'USD' } }, /estimatedOrderAmount/],
  ['an unknown productType', { productType: 'PayLater' }, /productType 'PayLater'/],
  ['PayAndShipMultiAddress', { productType: 'PayAndShipMultiAddress' }, /not offered by Tillpoint/],
  ['signInConfig on a checkout button', { signInConfig: { payloadJSON: '{}', signature: 's' } }, /signInConfig is for productType 'SignIn'/],
  ['an unknown createCheckoutSession method', { createCheckoutSessionConfig: undefined, createCheckoutSession: { url: '/s', method: 'DELETE' } }, /method 'DELETE'/],
]) {
  test(`renderButton with ${what} shows an inline error`, () => {
    const config = checkoutConfig(overrides);
    for (const key of Object.keys(overrides)) {
      if (overrides[key] === undefined) {
        delete config[key];
      }
    }

    const { container, page } = render(config);

    assert.equal(container.children[0].getAttribute('role'), 'alert');
    assert.match(container.children[0].textContent, pattern);
    assert.match(page.errors.join('\n'), pattern);
  });
}

test('a selector that matches nothing is logged and still returns a button object', () => {
  const page = loadCheckoutJs();

  const button = page.amazon.Pay.renderButton('#missing', checkoutConfig());

  assert.equal(typeof button.onClick, 'function');
  assert.match(page.errors[0], /no element matches the selector '#missing'/);
});

test('unknown options are warned about and ignored', () => {
  const { page, element } = render(checkoutConfig({ createCheckoutSessionConfiq: {} }));

  assert.equal(element.tagName, 'BUTTON');
  assert.match(page.warnings[0], /'createCheckoutSessionConfiq' is not known/);
});

test('onClick takes over the click; initCheckout from the callback starts checkout with the config given then', () => {
  const config = checkoutConfig();
  delete config.createCheckoutSessionConfig;
  const { element, button, page } = render(config);
  let clicks = 0;
  button.onClick(() => {
    clicks += 1;
    button.initCheckout({
      estimatedOrderAmount: { amount: '20.00', currencyCode: 'USD' },
      createCheckoutSessionConfig: { payloadJSON: PAYLOAD, signature: 'c2lnMg==' },
    });
  });

  element.click();

  assert.equal(clicks, 1);
  assert.equal(page.navigations.length, 1);
  const sent = query(page.navigations[0]);
  assert.equal(sent.signature, 'c2lnMg==');
  assert.equal(sent.algorithm, undefined);
  assert.deepEqual(page.errors, []);
});

test('a click with no checkout configuration at all shows why next to the button', () => {
  const config = checkoutConfig();
  delete config.createCheckoutSessionConfig;
  const { element, container, page } = render(config);

  element.click();

  assert.deepEqual(page.navigations, []);
  assert.equal(container.children.length, 2);
  assert.match(container.children[1].textContent, /createCheckoutSessionConfig \(or createCheckoutSession\) is required/);
  assert.match(page.errors[0], /checkout cannot start/);
});

test('the older createCheckoutSession form asks the merchant for the session and opens its hosted page', async () => {
  const config = checkoutConfig({ createCheckoutSession: { url: '/amazonpay/session' } });
  delete config.createCheckoutSessionConfig;
  const { element, page } = render(config, { fetch: () => jsonResponse(200, { checkoutSessionId: 'b7f0c9e2-1111-4a1a-9e8e-000000000001' }) });

  element.click();
  await settle();

  assert.equal(page.fetches.length, 1);
  assert.equal(page.fetches[0].url, '/amazonpay/session');
  assert.equal(page.fetches[0].init.method, 'POST');
  assert.deepEqual(page.navigations, [`${BASE}/checkout/b7f0c9e2-1111-4a1a-9e8e-000000000001`]);
});

test('the older form honours method and extractAmazonCheckoutSessionId (a name or a function)', async () => {
  const byName = checkoutConfig({ createCheckoutSession: { url: '/s', method: 'get', extractAmazonCheckoutSessionId: 'id' } });
  const byFunction = checkoutConfig({ createCheckoutSession: { url: '/s', extractAmazonCheckoutSessionId: (body) => body.session.id } });
  delete byName.createCheckoutSessionConfig;
  delete byFunction.createCheckoutSessionConfig;
  const named = render(byName, { fetch: () => jsonResponse(200, { id: 'one' }) });
  const computed = render(byFunction, { fetch: () => jsonResponse(200, { session: { id: 'two' } }) });

  named.element.click();
  computed.element.click();
  await settle();

  assert.equal(named.page.fetches[0].init.method, 'GET');
  assert.deepEqual(named.page.navigations, [`${BASE}/checkout/one`]);
  assert.deepEqual(computed.page.navigations, [`${BASE}/checkout/two`]);
});

test('when the merchant URL fails, the error is shown and the button can be clicked again', async () => {
  const config = checkoutConfig({ createCheckoutSession: { url: '/s' } });
  delete config.createCheckoutSessionConfig;
  let answers = [jsonResponse(500, {}), jsonResponse(200, { other: 'x' }), jsonResponse(200, 'html')];
  const { element, container, page } = render(config, { fetch: () => answers.shift() });

  element.click();
  await settle();
  element.click();
  await settle();
  element.click();
  await settle();

  assert.deepEqual(page.navigations, []);
  assert.equal(page.fetches.length, 3);
  assert.match(page.errors[0], /answered HTTP 500/);
  assert.match(page.errors[1], /answered no 'checkoutSessionId'/);
  assert.match(page.errors[2], /did not answer JSON/);
  assert.equal(container.children.length, 2, 'one error box, updated in place');
  assert.match(container.children[1].textContent, /did not answer JSON/);
});

test('amazon.Pay.initCheckout starts checkout without a rendered button, and only logs a bad config', () => {
  const page = loadCheckoutJs();
  const bad = checkoutConfig();
  delete bad.createCheckoutSessionConfig;

  page.amazon.Pay.initCheckout(checkoutConfig({ buttonColor: undefined }));
  page.amazon.Pay.initCheckout(bad);
  page.amazon.Pay.initCheckout('nonsense');

  assert.equal(page.navigations.length, 1);
  assert.ok(page.navigations[0].startsWith(`${BASE}/checkout/start?`));
  assert.match(page.errors[0], /initCheckout: .*createCheckoutSessionConfig/);
  assert.match(page.errors[1], /configuration must be an object/);
});

test('bindChangeAction opens the hosted page to change the address or the payment method', () => {
  const address = new FakeElement('a');
  const payment = new FakeElement('button');
  const page = loadCheckoutJs({ elements: { '#changeAddress': address, '.changePayment': [payment] } });

  page.amazon.Pay.bindChangeAction('#changeAddress', { amazonCheckoutSessionId: 'id 1', changeAction: 'changeAddress' });
  page.amazon.Pay.bindChangeAction('.changePayment', { amazonCheckoutSessionId: 'id-2', changeAction: 'changePayment' });
  const event = address.click();
  payment.click();

  assert.ok(event.defaultPrevented);
  assert.deepEqual(page.navigations, [`${BASE}/checkout/id%201?change=address`, `${BASE}/checkout/id-2?change=payment`]);
  assert.equal(address.getAttribute('role'), null);
  assert.deepEqual(page.errors, []);
});

test('bindChangeAction makes a bound <span> keyboard operable', () => {
  const span = new FakeElement('span');
  const page = loadCheckoutJs({ elements: { '#change': span } });

  page.amazon.Pay.bindChangeAction('#change', { amazonCheckoutSessionId: 'id', changeAction: 'changePayment' });
  span.dispatch('keydown', { key: 'Tab' });
  span.dispatch('keydown', { key: 'Enter' });

  assert.equal(span.getAttribute('role'), 'button');
  assert.equal(span.getAttribute('tabindex'), '0');
  assert.deepEqual(page.navigations, [`${BASE}/checkout/id?change=payment`]);
});

test('bindChangeAction with a bad changeAction logs it and shows it after the element', () => {
  const parent = new FakeElement('div');
  const link = parent.appendChild(new FakeElement('a'));
  const page = loadCheckoutJs({ elements: { '#change': link } });

  page.amazon.Pay.bindChangeAction('#change', { amazonCheckoutSessionId: 'id', changeAction: 'changeEverything' });
  page.amazon.Pay.bindChangeAction('#nothing', { amazonCheckoutSessionId: 'id', changeAction: 'changeAddress' });
  link.click();

  assert.deepEqual(page.navigations, []);
  assert.equal(parent.children[1].getAttribute('role'), 'alert');
  assert.match(parent.children[1].textContent, /changeAction 'changeEverything' is not one of changeAddress, changePayment/);
  assert.match(page.errors[1], /no element matches the selector '#nothing'/);
});
