/*
 * Tillpoint checkout.js: the Amazon Pay button script for merchant pages, served by Tillpoint at /checkout.js.
 *
 * It offers what merchant pages call on Amazon Pay's checkout.js (spec §9.2): amazon.Pay.renderButton (whose button
 * has onClick and initCheckout), amazon.Pay.initCheckout and amazon.Pay.bindChangeAction, and sends the buyer to the
 * hosted pages of the Tillpoint that served this script. It loads nothing from anywhere; the requests it makes itself
 * are the older createCheckoutSession form's call to the merchant's own URL and the Buy Now dialog's calls.
 *
 * Buy Now (a renderButton configuration with onInitCheckout and onCompleteCheckout): no redirect. A click opens the
 * Tillpoint dialog inside the merchant's page; the sandbox buyer signs in there, the merchant's handlers price the cart
 * for the buyer's address and delivery option, the dialog shows it, and Pay hands over to onCompleteCheckout, where the
 * merchant's server calls Finalize Checkout Session.
 *
 * Mistakes in a configuration never throw into the merchant's page: they are logged with console.error and, where
 * there is a place for it, shown next to the button.
 */
(function (window, document) {
  'use strict';

  const PREFIX = 'Amazon Pay (Tillpoint checkout.js): ';
  const LEDGER_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];
  const LANGUAGES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'it_IT', 'es_ES', 'ja_JP'];
  const PRODUCT_TYPES = ['PayAndShip', 'PayOnly', 'SignIn'];
  const PLACEMENTS = ['Home', 'Product', 'Cart', 'Checkout', 'Other'];
  const ALGORITHMS = ['AMZN-PAY-RSASSA-PSS', 'AMZN-PAY-RSASSA-PSS-V2'];
  const METHODS = ['GET', 'POST', 'PUT'];
  const CHANGE_ACTIONS = { changeAddress: 'address', changePayment: 'payment' };
  const HANDLERS = [
    'onInitCheckout', 'onShippingAddressSelection', 'onDeliveryOptionSelection', 'onCompleteCheckout', 'onCancel', 'onError',
  ];
  const CONFIG_KEYS = [
    'merchantId', 'publicKeyId', 'ledgerCurrency', 'checkoutLanguage', 'productType', 'placement', 'buttonColor',
    'sandbox', 'estimatedOrderAmount', 'createCheckoutSessionConfig', 'createCheckoutSession', 'signInConfig',
  ].concat(HANDLERS);

  // What the button and the Buy Now dialog say, by checkoutLanguage; "Amazon Pay" is a name and stays as it is.
  const TEXT = {
    en_US: {
      signIn: 'Sign in with Amazon', buyNow: 'Buy Now', estimate: 'Estimated total', title: 'Buy Now with Amazon Pay',
      signInAs: 'Sign in as', continue: 'Continue', shipTo: 'Ship to', payWith: 'Pay with', delivery: 'Delivery',
      item: 'Item', subtotal: 'Subtotal', shipping: 'Shipping', tax: 'Tax', discount: 'Discount', total: 'Order total',
      pay: 'Pay now', cancel: 'Cancel', close: 'Close', working: 'One moment…', failed: 'This did not work:',
    },
    en_GB: {
      signIn: 'Sign in with Amazon', buyNow: 'Buy Now', estimate: 'Estimated total', title: 'Buy Now with Amazon Pay',
      signInAs: 'Sign in as', continue: 'Continue', shipTo: 'Deliver to', payWith: 'Pay with', delivery: 'Delivery',
      item: 'Item', subtotal: 'Subtotal', shipping: 'Postage', tax: 'VAT', discount: 'Discount', total: 'Order total',
      pay: 'Pay now', cancel: 'Cancel', close: 'Close', working: 'One moment…', failed: 'This did not work:',
    },
    de_DE: {
      signIn: 'Mit Amazon anmelden', buyNow: 'Jetzt kaufen', estimate: 'Voraussichtlicher Gesamtbetrag', title: 'Jetzt kaufen mit Amazon Pay',
      signInAs: 'Anmelden als', continue: 'Weiter', shipTo: 'Lieferadresse', payWith: 'Zahlungsart', delivery: 'Versandart',
      item: 'Artikel', subtotal: 'Zwischensumme', shipping: 'Versand', tax: 'MwSt.', discount: 'Rabatt', total: 'Gesamtbetrag',
      pay: 'Jetzt bezahlen', cancel: 'Abbrechen', close: 'Schließen', working: 'Einen Moment…', failed: 'Das hat nicht geklappt:',
    },
    fr_FR: {
      signIn: 'Se connecter avec Amazon', buyNow: 'Acheter maintenant', estimate: 'Total estimé', title: 'Acheter maintenant avec Amazon Pay',
      signInAs: 'Se connecter en tant que', continue: 'Continuer', shipTo: 'Livrer à', payWith: 'Payer avec', delivery: 'Livraison',
      item: 'Article', subtotal: 'Sous-total', shipping: 'Livraison', tax: 'TVA', discount: 'Remise', total: 'Total de la commande',
      pay: 'Payer', cancel: 'Annuler', close: 'Fermer', working: 'Un instant…', failed: 'Cela n’a pas fonctionné :',
    },
    it_IT: {
      signIn: 'Accedi con Amazon', buyNow: 'Acquista ora', estimate: 'Totale stimato', title: 'Acquista ora con Amazon Pay',
      signInAs: 'Accedi come', continue: 'Continua', shipTo: 'Spedisci a', payWith: 'Paga con', delivery: 'Spedizione',
      item: 'Articolo', subtotal: 'Subtotale', shipping: 'Spedizione', tax: 'IVA', discount: 'Sconto', total: 'Totale ordine',
      pay: 'Paga ora', cancel: 'Annulla', close: 'Chiudi', working: 'Un momento…', failed: 'Non è andato a buon fine:',
    },
    es_ES: {
      signIn: 'Iniciar sesión con Amazon', buyNow: 'Comprar ahora', estimate: 'Total estimado', title: 'Comprar ahora con Amazon Pay',
      signInAs: 'Iniciar sesión como', continue: 'Continuar', shipTo: 'Enviar a', payWith: 'Pagar con', delivery: 'Envío',
      item: 'Artículo', subtotal: 'Subtotal', shipping: 'Envío', tax: 'IVA', discount: 'Descuento', total: 'Total del pedido',
      pay: 'Pagar ahora', cancel: 'Cancelar', close: 'Cerrar', working: 'Un momento…', failed: 'No ha funcionado:',
    },
    ja_JP: {
      signIn: 'Amazonでログイン', buyNow: '今すぐ購入', estimate: '合計金額（概算）', title: 'Amazon Payで今すぐ購入',
      signInAs: 'ログインするアカウント', continue: '続行', shipTo: 'お届け先', payWith: 'お支払い方法', delivery: '配送方法',
      item: '商品', subtotal: '小計', shipping: '配送料', tax: '税', discount: '割引', total: 'ご請求額',
      pay: '今すぐ支払う', cancel: 'キャンセル', close: '閉じる', working: 'お待ちください…', failed: 'エラーが発生しました：',
    },
  };
  // Without checkoutLanguage, the language of the ledger currency's region (spec §7.5).
  const REGION_LANGUAGES = { USD: 'en_US', EUR: 'en_GB', GBP: 'en_GB', JPY: 'ja_JP' };

  // Text and background keep a contrast of at least 7:1 in every state; the focus ring is blue on a white halo, so it
  // shows on light and dark pages alike.
  const COLORS = {
    Gold: { background: '#FFD814', hover: '#F7CA00', text: '#0F1111', border: '#C7A200' },
    LightGray: { background: '#E7E9EC', hover: '#D5D9D9', text: '#0F1111', border: '#888C8C' },
    DarkGray: { background: '#232F3E', hover: '#37475A', text: '#FFFFFF', border: '#232F3E' },
  };

  // The hosted pages live where this script came from; a path prefix in front of /checkout.js is kept. currentScript
  // is only set while the script first runs, so it is read now.
  const base = baseUrl();

  function baseUrl() {
    const pattern = /\/checkout\.js(?:[?#].*)?$/;
    let src = document.currentScript && document.currentScript.src;
    if (!src) {
      const scripts = document.getElementsByTagName ? Array.from(document.getElementsByTagName('script')) : [];
      const own = scripts.find((s) => pattern.test(s.src || ''));
      src = own && own.src;
    }

    return src && pattern.test(src) ? src.replace(pattern, '') : null;
  }

  function report(message) {
    console.error(PREFIX + message);
    return message;
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function isText(value) {
    return typeof value === 'string' && value.trim() !== '';
  }

  function oneOf(value, allowed, name, problems, required) {
    if (value === undefined || value === null) {
      if (required) {
        problems.push(`${name} is required (one of ${allowed.join(', ')}).`);
      }
    } else if (!allowed.includes(value)) {
      problems.push(`${name} '${value}' is not one of ${allowed.join(', ')}.`);
    }
  }

  /** A signed payload configuration: createCheckoutSessionConfig or signInConfig. */
  function checkSigned(signed, name, problems) {
    if (!isObject(signed)) {
      problems.push(`${name} must be an object with payloadJSON, signature and optionally algorithm.`);
      return;
    }

    if (typeof signed.payloadJSON !== 'string' || signed.payloadJSON === '') {
      problems.push(`${name}.payloadJSON must be the exact JSON string that was signed.`);
    }

    if (!isText(signed.signature)) {
      problems.push(`${name}.signature is required.`);
    }

    oneOf(signed.algorithm, ALGORITHMS, `${name}.algorithm`, problems, false);
  }

  /**
   * What is wrong with a configuration, as sentences (empty when nothing is). With startsCheckout, the checkout or
   * sign-in configuration must be there; a rendered button may get it later through its initCheckout.
   */
  function problemsOf(config, startsCheckout) {
    if (!isObject(config)) {
      return ['the configuration must be an object.'];
    }

    const problems = [];
    if (!isText(config.merchantId)) {
      problems.push('merchantId is required.');
    }

    oneOf(config.ledgerCurrency, LEDGER_CURRENCIES, 'ledgerCurrency', problems, true);
    oneOf(config.placement, PLACEMENTS, 'placement', problems, true);
    oneOf(config.checkoutLanguage, LANGUAGES, 'checkoutLanguage', problems, false);
    if (config.productType === 'PayAndShipMultiAddress') {
      problems.push('productType PayAndShipMultiAddress is not offered by Tillpoint; use PayAndShip or PayOnly.');
    } else {
      oneOf(config.productType, PRODUCT_TYPES, 'productType', problems, false);
    }

    oneOf(config.buttonColor, Object.keys(COLORS), 'buttonColor', problems, false);
    if (config.sandbox !== undefined && typeof config.sandbox !== 'boolean') {
      problems.push('sandbox must be true or false.');
    }

    if (config.publicKeyId !== undefined && !isText(config.publicKeyId)) {
      problems.push('publicKeyId must be a non-empty string.');
    }

    const amount = config.estimatedOrderAmount;
    if (amount !== undefined && amount !== null
      && !(isObject(amount) && /^\d+(\.\d+)?$/.test(String(amount.amount)) && /^[A-Z]{3}$/.test(String(amount.currencyCode)))) {
      problems.push("estimatedOrderAmount must look like { amount: '109.99', currencyCode: 'USD' }.");
    }

    const signIn = config.productType === 'SignIn';
    const signed = signIn ? config.signInConfig : config.createCheckoutSessionConfig;
    const signedName = signIn ? 'signInConfig' : 'createCheckoutSessionConfig';
    if (signIn && (config.createCheckoutSessionConfig !== undefined || config.createCheckoutSession !== undefined)) {
      problems.push('a SignIn button takes signInConfig, not createCheckoutSessionConfig or createCheckoutSession.');
    }

    if (!signIn && config.signInConfig !== undefined) {
      problems.push("signInConfig is for productType 'SignIn'.");
    }

    if (!signIn && config.createCheckoutSessionConfig !== undefined && config.createCheckoutSession !== undefined) {
      problems.push('give either createCheckoutSessionConfig or createCheckoutSession, not both.');
    }

    if (signed !== undefined) {
      checkSigned(signed, signedName, problems);
      if (!isText(config.publicKeyId) && !(isObject(signed) && isText(signed.publicKeyId))) {
        problems.push(`publicKeyId is required with ${signedName}.`);
      }
    }

    const legacy = config.createCheckoutSession;
    if (!signIn && legacy !== undefined) {
      if (!isObject(legacy) || !isText(legacy.url)) {
        problems.push("createCheckoutSession must be an object with the merchant's url (and optionally method).");
      } else {
        if (legacy.method !== undefined && !METHODS.includes(String(legacy.method).toUpperCase())) {
          problems.push(`createCheckoutSession.method '${legacy.method}' is not one of ${METHODS.join(', ')}.`);
        }

        const extract = legacy.extractAmazonCheckoutSessionId;
        if (extract !== undefined && typeof extract !== 'function' && !isText(extract)) {
          problems.push('createCheckoutSession.extractAmazonCheckoutSessionId must be a property name or a function.');
        }
      }
    }

    if (isBuyNow(config)) {
      if (signIn) {
        problems.push('a SignIn button takes no Buy Now handlers.');
      }

      ['onInitCheckout', 'onCompleteCheckout'].filter((name) => typeof config[name] !== 'function').forEach((name) => {
        problems.push(`${name} is required for Buy Now and must be a function.`);
      });
      HANDLERS.filter((name) => config[name] !== undefined && typeof config[name] !== 'function').forEach((name) => {
        problems.push(`${name} must be a function.`);
      });
      if (legacy !== undefined) {
        problems.push('Buy Now takes createCheckoutSessionConfig, not createCheckoutSession.');
      }
    }

    if (startsCheckout && signed === undefined && (signIn || legacy === undefined)) {
      problems.push(signIn
        ? 'signInConfig is required to sign in.'
        : 'createCheckoutSessionConfig (or createCheckoutSession) is required to start checkout.');
    }

    return problems;
  }

  /** A Buy Now button: any of its handlers given (the required ones are then checked). */
  function isBuyNow(config) {
    return isObject(config) && HANDLERS.some((name) => config[name] !== undefined);
  }

  function textOf(config) {
    return TEXT[config.checkoutLanguage] || TEXT[REGION_LANGUAGES[config.ledgerCurrency]] || TEXT.en_US;
  }

  function languageOf(config) {
    return TEXT[config.checkoutLanguage] ? config.checkoutLanguage : REGION_LANGUAGES[config.ledgerCurrency] || 'en_US';
  }

  /** An amount as the buyer's language writes it: "$109.99", "109,99 €", "￥1,500". */
  function money(price, language) {
    if (!isObject(price)) {
      return '';
    }

    try {
      return new Intl.NumberFormat(language.replace('_', '-'), { style: 'currency', currency: price.currencyCode }).format(Number(price.amount));
    } catch (e) {
      return `${price.amount} ${price.currencyCode}`;
    }
  }

  function warnUnknownKeys(config, where) {
    if (isObject(config)) {
      Object.keys(config).filter((key) => !CONFIG_KEYS.includes(key)).forEach((key) => {
        console.warn(`${PREFIX}${where}: the option '${key}' is not known and is ignored.`);
      });
    }
  }

  function navigate(url) {
    window.location.assign(url);
  }

  function query(values) {
    const params = new URLSearchParams();
    Object.keys(values).forEach((key) => {
      if (values[key] !== undefined && values[key] !== null) {
        params.append(key, String(values[key]));
      }
    });
    return params.toString();
  }

  /**
   * Starts checkout or sign-in with a checked configuration. fail(message) is told when it cannot; it is not told of
   * success, since the page is then left.
   */
  function start(config, fail) {
    if (base === null) {
      fail(report('the address this script was loaded from is unknown; load it with <script src=".../checkout.js">.'));
      return;
    }

    const signIn = config.productType === 'SignIn';
    const signed = signIn ? config.signInConfig : config.createCheckoutSessionConfig;
    if (signed !== undefined) {
      const common = {
        payload: signed.payloadJSON,
        signature: signed.signature,
        publicKeyId: config.publicKeyId || signed.publicKeyId,
        algorithm: signed.algorithm,
        sandbox: config.sandbox,
        checkoutLanguage: config.checkoutLanguage,
      };
      navigate(signIn
        ? `${base}/signin?${query(common)}`
        : `${base}/checkout/start?${query(Object.assign(common, { productType: config.productType, merchantId: config.merchantId }))}`);
      return;
    }

    createAtMerchant(config.createCheckoutSession, fail);
  }

  /** The older form: the merchant's server creates the session and answers its id as JSON. */
  function createAtMerchant(legacy, fail) {
    const method = String(legacy.method || 'POST').toUpperCase();
    const extract = legacy.extractAmazonCheckoutSessionId || 'checkoutSessionId';
    Promise.resolve()
      .then(() => window.fetch(legacy.url, { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } }))
      .then((response) => {
        if (!response.ok) {
          throw new Error(`the createCheckoutSession url answered HTTP ${response.status}.`);
        }

        return response.json().catch(() => {
          throw new Error('the createCheckoutSession url did not answer JSON.');
        });
      })
      .then((body) => {
        const id = typeof extract === 'function' ? extract(body) : body && body[extract];
        if (!isText(id)) {
          throw new Error(`the createCheckoutSession url answered no ${typeof extract === 'function' ? 'checkout session id' : `'${extract}'`}.`);
        }

        navigate(`${base}/checkout/${encodeURIComponent(id)}`);
      })
      .catch((error) => {
        fail(report(error && error.message ? error.message : String(error)));
      });
  }

  /**
   * Buy Now: starts a checkout from the signed button at Tillpoint and runs the dialog. fail(message) is told when the
   * dialog cannot open; done() when it closes, however it closed, so the button works again.
   */
  function buyNow(config, fail, done) {
    if (base === null) {
      fail(report('the address this script was loaded from is unknown; load it with <script src=".../checkout.js">.'));
      return;
    }

    const signed = config.createCheckoutSessionConfig;
    call(`${base}/checkout/buy-now`, null, {
      payloadJSON: signed.payloadJSON,
      signature: signed.signature,
      algorithm: signed.algorithm,
      publicKeyId: config.publicKeyId || signed.publicKeyId,
      sandbox: config.sandbox,
      productType: config.productType,
      merchantId: config.merchantId,
    })
      .then((view) => new BuyNowDialog(config, view, done).signIn())
      .catch((error) => {
        fail(report(`Buy Now cannot start: ${error.message}`));
        handler(config, 'onError')(errorEvent(error));
      });
  }

  /** A POST to Tillpoint with the dialog's token; an error answer rejects with its reasonCode and message. */
  function call(url, token, body) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (token) {
      headers['x-tillpoint-buy-now-token'] = token;
    }

    return Promise.resolve()
      .then(() => window.fetch(url, { method: 'POST', mode: 'cors', credentials: 'omit', headers: headers, body: JSON.stringify(body || {}) }))
      .then((response) => response.json().catch(() => ({})).then((answer) => {
        if (!response.ok) {
          const error = new Error(answer.message || `Tillpoint answered HTTP ${response.status}.`);
          error.reasonCode = answer.reasonCode || 'InternalServerError';
          throw error;
        }

        return answer;
      }));
  }

  function errorEvent(error) {
    return { reasonCode: (error && error.reasonCode) || 'Error', message: (error && error.message) || String(error) };
  }

  /** A merchant handler, called safely: a missing optional one does nothing, one that throws is a rejected promise. */
  function handler(config, name) {
    return (event) => {
      if (typeof config[name] !== 'function') {
        return Promise.resolve(undefined);
      }

      try {
        return Promise.resolve(config[name](event));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }

  /** What a handler answered: a cart, or its {status: "error", reasonCode} as a rejection. */
  function cartFrom(answer, name) {
    if (isObject(answer) && answer.status === 'error') {
      const error = new Error(`${name} answered the error ${answer.reasonCode || '(no reasonCode)'}.`);
      error.reasonCode = answer.reasonCode || 'Error';
      error.fromMerchant = true;
      throw error;
    }

    if (!isObject(answer)) {
      throw new Error(`${name} must return the cart (an object with totalChargeAmount) or { status: 'error', reasonCode }.`);
    }

    return answer;
  }

  /**
   * The Buy Now dialog: an in-page modal built from DOM elements (no markup strings, so nothing the shop or the buyer
   * typed can become HTML), styled inline for pages whose Content-Security-Policy refuses inserted style sheets.
   */
  function BuyNowDialog(config, view, done) {
    this.config = config;
    this.view = view;
    this.token = view.token;
    this.done = done;
    this.text = textOf(config);
    this.language = languageOf(config);
    this.busy = false;
    this.overlay = document.createElement('div');
    this.overlay.setAttribute('class', 'tillpoint-buy-now');
    Object.assign(this.overlay.style, {
      position: 'fixed', inset: '0', zIndex: '2147483647', background: 'rgba(15,17,17,0.6)',
      display: 'flex', alignItems: 'center', justifyContent: 'center', font: '15px/1.4 system-ui, sans-serif',
    });
    this.box = this.element('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'tillpoint-buy-now-title', lang: this.language.replace('_', '-') });
    Object.assign(this.box.style, {
      background: '#FFFFFF', color: '#0F1111', borderRadius: '8px', padding: '20px', width: 'min(440px, 92vw)',
      maxHeight: '90vh', overflowY: 'auto', boxSizing: 'border-box',
    });
    this.overlay.appendChild(this.box);
    document.body.appendChild(this.overlay);
    this.keys = (event) => {
      if (event.key === 'Escape') {
        this.cancel();
      }
    };
    window.addEventListener('keydown', this.keys);
  }

  BuyNowDialog.prototype.element = function (tag, attributes, text) {
    const element = document.createElement(tag);
    Object.keys(attributes || {}).forEach((name) => {
      // Through the CSSOM: a Content-Security-Policy without 'unsafe-inline' refuses style attributes, not this.
      if (name === 'style') {
        element.style.cssText = attributes.style;
      } else {
        element.setAttribute(name, attributes[name]);
      }
    });
    if (text !== undefined) {
      element.textContent = text;
    }

    return element;
  };

  BuyNowDialog.prototype.button = function (action, label, primary, onClick) {
    const button = this.element('button', { type: 'button', 'data-tillpoint': action }, label);
    Object.assign(button.style, {
      margin: '12px 8px 0 0', padding: '8px 16px', borderRadius: '8px', cursor: 'pointer', font: 'bold 15px system-ui, sans-serif',
      border: primary ? '1px solid #C7A200' : '1px solid #888C8C', background: primary ? '#FFD814' : '#FFFFFF', color: '#0F1111',
    });
    button.addEventListener('click', (event) => {
      if (event && event.preventDefault) {
        event.preventDefault();
      }

      onClick();
    });
    return button;
  };

  /** A labelled <select> of options [{ value, label }] whose change runs onChange(value). */
  BuyNowDialog.prototype.choice = function (name, label, options, selected, onChange) {
    const wrapper = this.element('label', { style: 'display:block;margin-top:12px' });
    wrapper.appendChild(this.element('strong', {}, label));
    const select = this.element('select', { name: name, 'data-tillpoint': name });
    Object.assign(select.style, { display: 'block', width: '100%', marginTop: '4px', padding: '6px', font: 'inherit' });
    options.forEach((option) => {
      const element = this.element('option', { value: option.value }, option.label);
      if (option.value === selected) {
        element.setAttribute('selected', 'selected');
        element.selected = true;
      }

      select.appendChild(element);
    });
    select.addEventListener('change', () => onChange(select.value));
    wrapper.appendChild(select);
    return wrapper;
  };

  /** Redraws the dialog: the title, then the given parts, then any error. */
  BuyNowDialog.prototype.draw = function (parts) {
    clear(this.box);
    this.box.appendChild(this.element('h2', { id: 'tillpoint-buy-now-title', style: 'margin:0 0 8px;font-size:20px' }, this.text.title));
    parts.forEach((part) => this.box.appendChild(part));
    if (this.error) {
      const alert = this.element('p', { role: 'alert', 'data-tillpoint': 'error' }, `${this.text.failed} ${this.error}`);
      Object.assign(alert.style, { color: '#A4000F', border: '2px solid #A4000F', borderRadius: '4px', padding: '8px', background: '#FFF5F5' });
      this.box.appendChild(alert);
    }
  };

  /** Runs one step at a time; a failure is shown in the dialog and told to onError, and the dialog stays usable. */
  BuyNowDialog.prototype.run = function (step) {
    if (this.busy) {
      return Promise.resolve();
    }

    this.busy = true;
    this.error = null;
    return Promise.resolve()
      .then(step)
      .catch((error) => {
        this.error = error && error.fromMerchant ? error.reasonCode : (error && error.message) || String(error);
        report(`Buy Now: ${(error && error.message) || error}`);
        handler(this.config, 'onError')(errorEvent(error)).catch(() => {});
      })
      .then(() => {
        this.busy = false;
        if (this.overlay.parentNode) {
          this.render();
        }
      });
  };

  BuyNowDialog.prototype.post = function (step, body) {
    return call(`${base}/checkout/buy-now/${encodeURIComponent(this.view.checkoutSessionId)}/${step}`, this.token, body).then((view) => {
      this.view = view;
      return view;
    });
  };

  /** What every handler is given (spec §7.4): the buyer's details their scopes allow, the address, the language. */
  BuyNowDialog.prototype.event = function (extra) {
    const view = this.view;
    return Object.assign({
      amazonCheckoutSessionId: view.checkoutSessionId,
      checkoutLanguage: this.language,
      scopes: view.scopes || [],
      buyer: view.buyer || null,
      shippingAddress: view.shippingAddress || null,
      billingAddress: view.billingAddress || null,
      paymentDescriptor: view.paymentDescriptor || null,
    }, extra || {});
  };

  /** Asks the merchant's handler for the cart and records it as the buyer is shown it. */
  BuyNowDialog.prototype.price = function (name, event, deliveryOptionId) {
    const chosen = typeof this.config[name] === 'function' ? name : 'onInitCheckout';
    return handler(this.config, chosen)(event)
      .then((answer) => this.post('cart', { cart: cartFrom(answer, chosen), deliveryOptionId: deliveryOptionId }));
  };

  BuyNowDialog.prototype.signIn = function () {
    this.render();
    return this;
  };

  BuyNowDialog.prototype.render = function () {
    const view = this.view;
    const text = this.text;
    if (!view.buyer) {
      let buyerId = view.buyers.length > 0 ? view.buyers[0].buyerId : null;
      this.draw([
        this.choice('buyerId', text.signInAs, view.buyers.map((b) => ({ value: b.buyerId, label: b.name })), buyerId, (value) => {
          buyerId = value;
        }),
        this.button('sign-in', text.continue, true, () => this.run(() => this.post('sign-in', { buyerId: buyerId })
          .then(() => this.price('onInitCheckout', this.event())))),
        this.button('cancel', text.cancel, false, () => this.cancel()),
      ]);
      return;
    }

    const parts = [this.element('p', { 'data-tillpoint': 'buyer' }, [view.buyer.name, view.buyer.email].filter(Boolean).join(' · '))];
    if (view.addresses.length > 0) {
      const current = view.addresses.find((a) => sameAddress(a.address, view.shippingAddress));
      parts.push(this.choice('shippingAddressId', text.shipTo, view.addresses.map((a) => ({ value: a.id, label: addressLine(a.address) })),
        current ? current.id : undefined, (id) => this.run(() => this.post('address', { shippingAddressId: id })
          .then(() => this.price('onShippingAddressSelection', this.event())))));
    }

    parts.push(this.choice('paymentInstrumentId', text.payWith, view.instruments.map((i) => ({ value: i.id, label: i.paymentDescriptor })),
      view.paymentInstrumentId, (id) => this.run(() => this.post('payment', { paymentInstrumentId: id }))));
    const cart = view.cart;
    if (cart) {
      const options = cart.deliveryOptions || [];
      if (options.length > 0) {
        parts.push(this.choice('deliveryOptionId', text.delivery, options.map((o) => ({
          value: o.id,
          label: `${(o.shippingMethod && o.shippingMethod.shippingMethodName) || o.id} (${money(o.price, this.language)})`,
        })), cart.selectedDeliveryOptionId, (id) => this.run(() => this.price(
          'onDeliveryOptionSelection', this.event({ deliveryOptions: options.filter((o) => o.id === id) }), id))));
      }

      parts.push(this.summary(cart));
      parts.push(this.button('pay', `${text.pay} · ${money(cart.totalChargeAmount, this.language)}`, true, () => this.pay()));
    } else {
      parts.push(this.element('p', { 'aria-live': 'polite' }, text.working));
    }

    parts.push(this.button('cancel', text.cancel, false, () => this.cancel()));
    this.draw(parts);
  };

  /** The cart as the merchant priced it: its line items and totals. */
  BuyNowDialog.prototype.summary = function (cart) {
    const table = this.element('table', { 'data-tillpoint': 'cart', style: 'width:100%;margin-top:12px;border-collapse:collapse' });
    const row = (label, price, strong, key) => {
      if (!price) {
        return;
      }

      const tr = this.element('tr', key ? { 'data-tillpoint': key } : {});
      tr.appendChild(this.element('td', {}, label));
      tr.appendChild(this.element(strong ? 'th' : 'td', { style: 'text-align:right' }, money(price, this.language)));
      table.appendChild(tr);
    };
    (cart.lineItems || []).forEach((item) => row(`${item.quantity > 1 ? `${item.quantity} × ` : ''}${item.title}`, item.totalListPrice || item.listPrice, false));
    row(this.text.subtotal, cart.totalBaseAmount, false);
    row(this.text.shipping, cart.totalShippingAmount, false);
    row(this.text.tax, cart.totalTaxAmount, false);
    row(this.text.discount, cart.totalDiscountAmount, false);
    row(this.text.total, cart.totalChargeAmount, true, 'total');
    return table;
  };

  /** Pay: the merchant's onCompleteCheckout takes over; its server calls Finalize with what the buyer saw here. */
  BuyNowDialog.prototype.pay = function () {
    const cart = this.view.cart;
    return this.run(() => handler(this.config, 'onCompleteCheckout')(this.event({
      totalChargeAmount: cart.totalChargeAmount,
      totalOrderAmount: cart.totalOrderAmount || cart.totalChargeAmount,
      deliveryOptionId: cart.selectedDeliveryOptionId || null,
      cartDetails: cart,
    })).then((answer) => {
      if (isObject(answer) && answer.status === 'error') {
        cartFrom(answer, 'onCompleteCheckout');
      }

      this.close();
    }));
  };

  /** The buyer closes the dialog: the session is canceled and onCancel is told. */
  BuyNowDialog.prototype.cancel = function () {
    const event = { amazonCheckoutSessionId: this.view.checkoutSessionId };
    this.close();
    return this.post('cancel', {})
      .catch((error) => report(`Buy Now: the checkout could not be canceled: ${error.message}`))
      .then(() => handler(this.config, 'onCancel')(event))
      .catch((error) => report(`onCancel failed: ${(error && error.message) || error}`));
  };

  BuyNowDialog.prototype.close = function () {
    if (this.overlay.parentNode) {
      this.overlay.parentNode.removeChild(this.overlay);
    }

    if (window.removeEventListener) {
      window.removeEventListener('keydown', this.keys);
    }

    this.done();
  };

  function addressLine(address) {
    return [address.name, address.addressLine1, address.addressLine2, address.city, address.stateOrRegion, address.postalCode, address.countryCode]
      .filter(Boolean).join(', ');
  }

  function sameAddress(a, b) {
    return Boolean(a && b) && addressLine(a) === addressLine(b);
  }

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  /** A visible, announced error message in the merchant's page. */
  function errorBox(message) {
    const box = document.createElement('p');
    box.setAttribute('role', 'alert');
    box.setAttribute('class', 'tillpoint-pay-error');
    box.textContent = `Amazon Pay: ${message}`;
    Object.assign(box.style, {
      margin: '8px 0',
      padding: '8px 12px',
      border: '2px solid #A4000F',
      borderRadius: '4px',
      background: '#FFF5F5',
      color: '#A4000F',
      font: '14px/1.4 system-ui, sans-serif',
    });
    return box;
  }

  function styleButton(button, colors) {
    // Styles go on the element itself: a merchant page's Content-Security-Policy may refuse inserted style sheets.
    Object.assign(button.style, {
      display: 'block',
      boxSizing: 'border-box',
      width: '100%',
      minWidth: '150px',
      maxWidth: '500px',
      minHeight: '45px',
      padding: '8px 16px',
      border: `1px solid ${colors.border}`,
      borderRadius: '8px',
      background: colors.background,
      color: colors.text,
      font: 'bold 16px/1.2 system-ui, sans-serif',
      cursor: 'pointer',
      outline: 'none',
    });
    button.addEventListener('mouseenter', () => {
      button.style.background = colors.hover;
    });
    button.addEventListener('mouseleave', () => {
      button.style.background = colors.background;
    });
    button.addEventListener('focus', () => {
      let visible = true;
      try {
        visible = button.matches(':focus-visible');
      } catch (e) {
        // Browsers without :focus-visible show the ring on every focus.
      }

      if (visible) {
        button.style.outline = '3px solid #005FCC';
        button.style.outlineOffset = '2px';
        button.style.boxShadow = '0 0 0 2px #FFFFFF';
      }
    });
    button.addEventListener('blur', () => {
      button.style.outline = 'none';
      button.style.boxShadow = 'none';
    });
  }

  /**
   * Renders the button into the element the selector names and returns it, with onClick(callback) to take over the
   * click and initCheckout(config) to start checkout from that callback, as Amazon Pay's button does.
   */
  function renderButton(selector, config) {
    const state = { config: config, onClick: null, busy: false, container: null, error: null };
    const fail = (message) => {
      state.busy = false;
      if (state.container) {
        if (state.error) {
          state.error.textContent = `Amazon Pay: ${message}`;
        } else {
          state.error = errorBox(message);
          state.container.appendChild(state.error);
        }
      }
    };
    const begin = (merged) => {
      const problems = problemsOf(merged, true);
      if (problems.length > 0) {
        fail(report(`checkout cannot start: ${problems.join(' ')}`));
        return;
      }

      if (state.busy) {
        return;
      }

      state.busy = true;
      if (isBuyNow(merged)) {
        buyNow(merged, fail, () => {
          state.busy = false;
        });
        return;
      }

      start(merged, fail);
    };
    const button = {
      onClick(callback) {
        if (typeof callback !== 'function') {
          report('onClick needs a function.');
          return;
        }

        state.onClick = callback;
      },
      initCheckout(checkout) {
        if (checkout !== undefined && !isObject(checkout)) {
          fail(report('initCheckout needs an object such as { createCheckoutSessionConfig: { payloadJSON, signature } }.'));
          return;
        }

        warnUnknownKeys(checkout, 'initCheckout');
        const merged = Object.assign({}, state.config, checkout);
        // A configuration given now replaces the other form given at render time.
        if (checkout && checkout.createCheckoutSessionConfig !== undefined && checkout.createCheckoutSession === undefined) {
          delete merged.createCheckoutSession;
        }

        if (checkout && checkout.createCheckoutSession !== undefined && checkout.createCheckoutSessionConfig === undefined) {
          delete merged.createCheckoutSessionConfig;
        }

        begin(merged);
      },
    };

    try {
      const container = typeof selector === 'string' && selector !== '' ? document.querySelector(selector) : null;
      if (!container) {
        report(`renderButton: no element matches the selector '${selector}'.`);
        return button;
      }

      state.container = container;
      warnUnknownKeys(config, 'renderButton');
      const problems = problemsOf(config, false);
      if (problems.length > 0) {
        clear(container);
        state.error = errorBox(report(`renderButton: ${problems.join(' ')}`));
        container.appendChild(state.error);
        return button;
      }

      const signIn = config.productType === 'SignIn';
      const element = document.createElement('button');
      element.setAttribute('type', 'button');
      element.setAttribute('class', 'tillpoint-pay-button');
      element.setAttribute('data-product-type', config.productType || 'PayAndShip');
      const text = textOf(config);
      element.setAttribute('lang', languageOf(config).replace('_', '-'));
      element.textContent = signIn ? text.signIn : isBuyNow(config) ? `${text.buyNow} · Amazon Pay` : 'Amazon Pay';
      if (!signIn && isObject(config.estimatedOrderAmount)) {
        // The estimate is shown until the cart is known (spec §9.2), on a line of its own under the label.
        const estimate = document.createElement('span');
        estimate.setAttribute('class', 'tillpoint-pay-estimate');
        estimate.textContent = `${text.estimate}: ${money(config.estimatedOrderAmount, languageOf(config))}`;
        Object.assign(estimate.style, { display: 'block', font: '12px/1.4 system-ui, sans-serif' });
        element.appendChild(estimate);
      }

      styleButton(element, COLORS[config.buttonColor || 'Gold']);
      element.addEventListener('click', (event) => {
        if (event && event.preventDefault) {
          event.preventDefault();
        }

        if (state.onClick) {
          state.onClick();
          return;
        }

        begin(state.config);
      });
      clear(container);
      container.appendChild(element);
      // Back from the hosted page (the browser's page cache): the button works again.
      window.addEventListener('pageshow', () => {
        state.busy = false;
      });
    } catch (error) {
      report(`renderButton failed: ${error && error.message ? error.message : error}`);
    }

    return button;
  }

  /** Starts checkout or sign-in without a rendered button (a merchant's own button calls it). */
  function initCheckout(config) {
    try {
      warnUnknownKeys(config, 'initCheckout');
      const problems = problemsOf(config, true);
      if (problems.length > 0) {
        report(`initCheckout: ${problems.join(' ')}`);
        return;
      }

      if (isBuyNow(config)) {
        buyNow(config, () => {}, () => {});
        return;
      }

      start(config, () => {});
    } catch (error) {
      report(`initCheckout failed: ${error && error.message ? error.message : error}`);
    }
  }

  /**
   * Makes the merchant's "change" links on the review page reopen the hosted page for the address or the payment
   * method; the buyer then returns to checkoutReviewReturnUrl.
   */
  function bindChangeAction(selector, options) {
    try {
      const elements = typeof selector === 'string' && selector !== '' ? Array.from(document.querySelectorAll(selector)) : [];
      if (elements.length === 0) {
        report(`bindChangeAction: no element matches the selector '${selector}'.`);
        return;
      }

      const problems = [];
      if (!isObject(options) || !isText(options.amazonCheckoutSessionId)) {
        problems.push('amazonCheckoutSessionId is required.');
      }

      oneOf(isObject(options) ? options.changeAction : undefined, Object.keys(CHANGE_ACTIONS), 'changeAction', problems, true);
      if (base === null) {
        problems.push('the address this script was loaded from is unknown.');
      }

      if (problems.length > 0) {
        const message = report(`bindChangeAction: ${problems.join(' ')}`);
        elements.forEach((element) => element.after(errorBox(message)));
        return;
      }

      const url = `${base}/checkout/${encodeURIComponent(options.amazonCheckoutSessionId)}?change=${CHANGE_ACTIONS[options.changeAction]}`;
      elements.forEach((element) => {
        element.addEventListener('click', (event) => {
          if (event && event.preventDefault) {
            event.preventDefault();
          }

          navigate(url);
        });
        // A bound <span> or <div> becomes keyboard operable too; links and buttons already are.
        if (!['A', 'BUTTON', 'INPUT'].includes(String(element.tagName).toUpperCase())) {
          element.setAttribute('role', 'button');
          element.setAttribute('tabindex', '0');
          element.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              navigate(url);
            }
          });
        }
      });
    } catch (error) {
      report(`bindChangeAction failed: ${error && error.message ? error.message : error}`);
    }
  }

  const amazon = window.amazon || (window.amazon = {});
  amazon.Pay = Object.freeze({ renderButton: renderButton, initCheckout: initCheckout, bindChangeAction: bindChangeAction });
}(window, document));
