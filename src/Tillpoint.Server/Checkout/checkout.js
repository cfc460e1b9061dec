/*
 * Tillpoint checkout.js: the Amazon Pay button script for merchant pages, served by Tillpoint at /checkout.js.
 *
 * It offers what merchant pages call on Amazon Pay's checkout.js (spec §9.2): amazon.Pay.renderButton (whose button
 * has onClick and initCheckout), amazon.Pay.initCheckout and amazon.Pay.bindChangeAction, and sends the buyer to the
 * hosted pages of the Tillpoint that served this script. It loads nothing from anywhere; the only request it makes
 * itself is the older createCheckoutSession form's call to the merchant's own URL.
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
  const CONFIG_KEYS = [
    'merchantId', 'publicKeyId', 'ledgerCurrency', 'checkoutLanguage', 'productType', 'placement', 'buttonColor',
    'sandbox', 'estimatedOrderAmount', 'createCheckoutSessionConfig', 'createCheckoutSession', 'signInConfig',
  ];

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

    if (startsCheckout && signed === undefined && (signIn || legacy === undefined)) {
      problems.push(signIn
        ? 'signInConfig is required to sign in.'
        : 'createCheckoutSessionConfig (or createCheckoutSession) is required to start checkout.');
    }

    return problems;
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
      element.textContent = signIn ? 'Sign in with Amazon' : 'Amazon Pay';
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
