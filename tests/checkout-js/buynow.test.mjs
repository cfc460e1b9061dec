// checkout.js's Buy Now button and dialog against a fake Tillpoint (the fetch answers) and the fake DOM: the handlers
// it calls and with what, what it sends Tillpoint, what the buyer sees, and how errors are shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeElement, findAll, jsonResponse, loadCheckoutJs, settle, textOf } from './fake-dom.mjs';

const BASE = 'https://tillpoint.test:8443';
const PAYLOAD = '{"storeId":"amzn1.application-oa2-client.1","scopes":["name","email"]}';
const HOME = { name: 'Jane Doe', addressLine1: '410 Terry Ave N', city: 'Seattle', stateOrRegion: 'WA', postalCode: '98109', countryCode: 'US' };
const PORTLAND = { name: 'Jane Doe', addressLine1: '100 Main Street', city: 'Portland', stateOrRegion: 'OR', postalCode: '97201', countryCode: 'US' };
const usd = (amount) => ({ amount, currencyCode: 'USD' });

function cart(total, selected = 'standard') {
  return {
    totalBaseAmount: usd('20.00'),
    totalShippingAmount: usd(selected === 'express' ? '5.00' : '0.00'),
    totalChargeAmount: usd(total),
    lineItems: [{ id: 'tea', title: 'Tea', quantity: 2, listPrice: usd('10.00') }],
    deliveryOptions: [
      { id: 'standard', price: usd('0.00'), shippingMethod: { shippingMethodName: 'Standard' }, isDefault: true },
      { id: 'express', price: usd('5.00'), shippingMethod: { shippingMethodName: 'Express' } },
    ],
  };
}

/** A fake Tillpoint: answers the dialog's calls as the server does and records them. */
function fakeTillpoint({ startStatus = 201 } = {}) {
  const calls = [];
  const view = {
    checkoutSessionId: 'cs-1', state: 'Open', productType: 'PayAndShip', scopes: ['name', 'email'],
    buyers: [{ buyerId: 'jane', name: 'Jane Doe' }, { buyerId: 'john', name: 'John Smith' }], addresses: [], instruments: [],
  };
  const fetch = (url, init) => {
    const body = JSON.parse(init.body);
    calls.push({ step: url.replace(`${BASE}/checkout/buy-now`, ''), body, token: init.headers['x-tillpoint-buy-now-token'] });
    if (url === `${BASE}/checkout/buy-now`) {
      return startStatus === 201
        ? jsonResponse(201, { ...view, token: 'tok' })
        : jsonResponse(startStatus, { reasonCode: 'InvalidRequestSignature', message: 'The signature does not match.' });
    }

    if (url.endsWith('/sign-in')) {
      Object.assign(view, {
        buyer: { name: 'Jane Doe', email: 'jane@test' }, shippingAddress: HOME, billingAddress: HOME,
        paymentInstrumentId: 'visa-1111', paymentDescriptor: 'Visa ****1111',
        addresses: [{ id: '0', address: HOME, shippable: true }, { id: '1', address: PORTLAND, shippable: true }],
        instruments: [{ id: 'visa-1111', paymentDescriptor: 'Visa ****1111' }, { id: 'mastercard-4444', paymentDescriptor: 'Mastercard ****4444' }],
      });
    } else if (url.endsWith('/address')) {
      Object.assign(view, { shippingAddress: body.shippingAddressId === '1' ? PORTLAND : HOME, cart: undefined });
    } else if (url.endsWith('/cart')) {
      view.cart = { ...body.cart, selectedDeliveryOptionId: body.deliveryOptionId || 'standard' };
    } else if (url.endsWith('/cancel')) {
      Object.assign(view, { state: 'Canceled', reasonCode: 'BuyerCanceled' });
    }

    return jsonResponse(200, { ...view });
  };
  return { calls, fetch };
}

function buyNowConfig(handlers = {}, overrides = {}) {
  const seen = { init: [], address: [], delivery: [], complete: [], cancel: [], errors: [] };
  const config = {
    merchantId: 'A1B2C3D4E5F6G7',
    publicKeyId: 'SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA',
    ledgerCurrency: 'USD',
    checkoutLanguage: 'en_US',
    productType: 'PayAndShip',
    placement: 'Product',
    sandbox: true,
    estimatedOrderAmount: usd('109.99'),
    createCheckoutSessionConfig: { payloadJSON: PAYLOAD, signature: 'c2ln', algorithm: 'AMZN-PAY-RSASSA-PSS-V2' },
    onInitCheckout: (event) => {
      seen.init.push(event);
      return cart('20.00');
    },
    onShippingAddressSelection: (event) => {
      seen.address.push(event);
      return cart('22.00');
    },
    onDeliveryOptionSelection: (event) => {
      seen.delivery.push(event);
      return cart('25.00', event.deliveryOptions[0].id);
    },
    onCompleteCheckout: (event) => {
      seen.complete.push(event);
      return Promise.resolve();
    },
    onCancel: (event) => seen.cancel.push(event),
    onError: (error) => seen.errors.push(error),
    ...handlers,
    ...overrides,
  };
  return { config, seen };
}

function open(config, server = fakeTillpoint()) {
  const container = new FakeElement('div');
  const page = loadCheckoutJs({ elements: { '#AmazonPayButton': container }, fetch: server.fetch });
  page.amazon.Pay.renderButton('#AmazonPayButton', config);
  return { page, container, server, element: container.children[0] };
}

// Objects made inside checkout.js's VM context have that context's prototypes: compared as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value));
const dialogOf = (page) => findAll(page.body, 'role', 'dialog')[0];
const control = (page, name) => findAll(page.body, 'data-tillpoint', name)[0];

function choose(page, name, value) {
  const select = control(page, name);
  select.value = value;
  select.dispatch('change');
}

test('a Buy Now button is labelled in its language and shows the estimated order amount', () => {
  const english = open(buyNowConfig().config).element;
  const german = open(buyNowConfig({}, { checkoutLanguage: 'de_DE', estimatedOrderAmount: { amount: '109.99', currencyCode: 'EUR' }, ledgerCurrency: 'EUR' }).config).element;

  assert.equal(english.textContent, 'Buy Now · Amazon Pay');
  assert.equal(english.getAttribute('lang'), 'en-US');
  assert.equal(english.children[0].textContent, 'Estimated total: $109.99');
  assert.equal(german.textContent, 'Jetzt kaufen · Amazon Pay');
  // Intl separates amount and currency with a no-break space.
  assert.equal(german.children[0].textContent.replace(/\s/g, ' '), 'Voraussichtlicher Gesamtbetrag: 109,99 €');
});

test('each of the seven languages has its own label, and without checkoutLanguage the ledger currency picks one', () => {
  const labels = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'it_IT', 'es_ES', 'ja_JP'].map((language) =>
    open(buyNowConfig({}, { checkoutLanguage: language, productType: 'SignIn', signInConfig: { payloadJSON: '{}', signature: 'c2ln' }, onInitCheckout: undefined, onShippingAddressSelection: undefined, onDeliveryOptionSelection: undefined, onCompleteCheckout: undefined, onCancel: undefined, onError: undefined, createCheckoutSessionConfig: undefined }).config).element.textContent);
  const japanese = open(buyNowConfig({}, { checkoutLanguage: undefined, ledgerCurrency: 'JPY', estimatedOrderAmount: { amount: '1500', currencyCode: 'JPY' } }).config).element;

  assert.deepEqual(labels, ['Sign in with Amazon', 'Sign in with Amazon', 'Mit Amazon anmelden', 'Se connecter avec Amazon', 'Accedi con Amazon', 'Iniciar sesión con Amazon', 'Amazonでログイン']);
  assert.equal(japanese.textContent, '今すぐ購入 · Amazon Pay');
  assert.equal(japanese.getAttribute('lang'), 'ja-JP');
  assert.match(japanese.children[0].textContent, /^合計金額（概算）: [￥¥]1,500$/);
});

test('a Buy Now button without onCompleteCheckout or with a handler that is no function is shown as an error', () => {
  const { container, page } = open(buyNowConfig({ onCompleteCheckout: undefined, onCancel: 'nope' }).config);

  assert.equal(container.children[0].getAttribute('role'), 'alert');
  assert.match(container.children[0].textContent, /onCompleteCheckout is required for Buy Now/);
  assert.match(container.children[0].textContent, /onCancel must be a function/);
  assert.equal(page.fetches.length, 0);
});

test('a click starts the checkout at Tillpoint with the signed payload and opens the dialog to sign in', async () => {
  const { config } = buyNowConfig();
  const { page, element, server } = open(config);

  element.click();
  await settle();

  assert.deepEqual(server.calls[0], {
    step: '',
    token: undefined,
    body: {
      payloadJSON: PAYLOAD, signature: 'c2ln', algorithm: 'AMZN-PAY-RSASSA-PSS-V2', publicKeyId: 'SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA',
      sandbox: true, productType: 'PayAndShip', merchantId: 'A1B2C3D4E5F6G7',
    },
  });
  assert.equal(page.fetches[0].init.credentials, 'omit');
  const dialog = dialogOf(page);
  assert.equal(dialog.getAttribute('aria-modal'), 'true');
  assert.match(textOf(dialog), /Buy Now with Amazon Pay/);
  assert.deepEqual(control(page, 'buyerId').children.map((o) => o.textContent), ['Jane Doe', 'John Smith']);
});

test('the whole dialog: sign in, the handlers price the cart for each choice, and Pay hands over to onCompleteCheckout', async () => {
  const { config, seen } = buyNowConfig();
  const { page, element, server } = open(config);
  element.click();
  await settle();

  control(page, 'sign-in').click();
  await settle();
  assert.equal(seen.init.length, 1);
  assert.deepEqual(plain(seen.init[0]), {
    amazonCheckoutSessionId: 'cs-1', checkoutLanguage: 'en_US', scopes: ['name', 'email'], buyer: { name: 'Jane Doe', email: 'jane@test' },
    shippingAddress: HOME, billingAddress: HOME, paymentDescriptor: 'Visa ****1111',
  });
  assert.equal(server.calls.at(-1).step, '/cs-1/cart');
  assert.equal(server.calls.at(-1).token, 'tok');
  assert.deepEqual(server.calls.at(-1).body.cart, cart('20.00'));
  assert.match(textOf(control(page, 'total')), /\$20\.00/);
  assert.match(textOf(control(page, 'cart')), /2 × Tea/);

  choose(page, 'shippingAddressId', '1');
  await settle();
  assert.deepEqual(server.calls.at(-2), { step: '/cs-1/address', token: 'tok', body: { shippingAddressId: '1' } });
  assert.equal(seen.address[0].shippingAddress, PORTLAND);
  assert.match(textOf(control(page, 'total')), /\$22\.00/);

  choose(page, 'deliveryOptionId', 'express');
  await settle();
  assert.equal(seen.delivery[0].deliveryOptions[0].id, 'express');
  assert.equal(server.calls.at(-1).body.deliveryOptionId, 'express');
  assert.match(textOf(control(page, 'pay')), /\$25\.00/);

  choose(page, 'paymentInstrumentId', 'mastercard-4444');
  await settle();
  assert.deepEqual(server.calls.at(-1), { step: '/cs-1/payment', token: 'tok', body: { paymentInstrumentId: 'mastercard-4444' } });

  control(page, 'pay').click();
  await settle();
  assert.equal(seen.complete.length, 1);
  assert.equal(seen.complete[0].amazonCheckoutSessionId, 'cs-1');
  assert.deepEqual(plain(seen.complete[0].totalChargeAmount), usd('25.00'));
  assert.equal(seen.complete[0].deliveryOptionId, 'express');
  assert.equal(seen.complete[0].shippingAddress, PORTLAND);
  assert.equal(dialogOf(page), undefined);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(page.errors, []);
});

test('without the optional handlers, onInitCheckout prices every address and a delivery option is recorded as chosen', async () => {
  const { config, seen } = buyNowConfig({ onShippingAddressSelection: undefined, onDeliveryOptionSelection: undefined });
  const { page, element, server } = open(config);
  element.click();
  await settle();
  control(page, 'sign-in').click();
  await settle();

  choose(page, 'shippingAddressId', '1');
  await settle();
  choose(page, 'deliveryOptionId', 'express');
  await settle();

  assert.equal(seen.init.length, 3);
  assert.equal(seen.init[1].shippingAddress, PORTLAND);
  assert.equal(server.calls.at(-1).body.deliveryOptionId, 'express');
});

test('a handler answering { status: "error", reasonCode } is shown in the dialog and told to onError; no cart is recorded', async () => {
  const { config, seen } = buyNowConfig({ onInitCheckout: () => ({ status: 'error', reasonCode: 'shippingAddressInvalid' }) });
  const { page, element, server } = open(config);
  element.click();
  await settle();

  control(page, 'sign-in').click();
  await settle();

  assert.equal(server.calls.some((c) => c.step.endsWith('/cart')), false);
  assert.match(control(page, 'error').textContent, /shippingAddressInvalid/);
  assert.equal(seen.errors[0].reasonCode, 'shippingAddressInvalid');
  assert.ok(dialogOf(page));
});

test('onCompleteCheckout answering an error keeps the dialog open with the reason', async () => {
  const { config, seen } = buyNowConfig({ onCompleteCheckout: () => Promise.resolve({ status: 'error', reasonCode: 'AmountMismatch' }) });
  const { page, element } = open(config);
  element.click();
  await settle();
  control(page, 'sign-in').click();
  await settle();

  control(page, 'pay').click();
  await settle();

  assert.ok(dialogOf(page));
  assert.match(control(page, 'error').textContent, /AmountMismatch/);
  assert.equal(seen.errors[0].reasonCode, 'AmountMismatch');
});

test('Cancel (or Escape) cancels the checkout at Tillpoint, closes the dialog and tells onCancel; the button works again', async () => {
  const { config, seen } = buyNowConfig();
  const { page, element, server } = open(config);
  element.click();
  await settle();
  control(page, 'sign-in').click();
  await settle();

  page.fire('keydown', { key: 'Escape' });
  await settle();
  element.click();
  await settle();

  assert.equal(server.calls.filter((c) => c.step === '/cs-1/cancel').length, 1);
  assert.deepEqual(plain(seen.cancel), [{ amazonCheckoutSessionId: 'cs-1' }]);
  assert.equal(server.calls.at(-1).step, '');
  assert.equal(findAll(page.body, 'role', 'dialog').length, 1);
});

test('a start Tillpoint refuses is shown next to the button and told to onError', async () => {
  const { config, seen } = buyNowConfig();
  const { page, element, container } = open(config, fakeTillpoint({ startStatus: 403 }));

  element.click();
  await settle();

  assert.equal(dialogOf(page), undefined);
  assert.match(container.children[1].textContent, /The signature does not match/);
  assert.deepEqual(plain(seen.errors), [{ reasonCode: 'InvalidRequestSignature', message: 'The signature does not match.' }]);
});
