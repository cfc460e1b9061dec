// A tiny stand-in for the browser, just enough for checkout.js: elements with attributes, children, inline style and
// event listeners; a document that finds elements by the exact selectors a test registers; a window whose navigation
// and fetch calls are recorded. checkout.js runs in its own VM context, as a <script> would.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const SCRIPT_PATH = fileURLToPath(new URL('../../src/Tillpoint.Server/Checkout/checkout.js', import.meta.url));

export class FakeElement {
  constructor(tagName) {
    this.tagName = tagName.toUpperCase();
    this.attributes = {};
    this.children = [];
    this.parentNode = null;
    this.style = {};
    this.listeners = {};
    this.textContent = '';
    this.focusVisible = true;
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  getAttribute(name) {
    return name in this.attributes ? this.attributes[name] : null;
  }

  appendChild(child) {
    child.parentNode = this;
    this.children.push(child);
    return child;
  }

  removeChild(child) {
    this.children = this.children.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }

  get firstChild() {
    return this.children[0] ?? null;
  }

  after(node) {
    const siblings = this.parentNode.children;
    siblings.splice(siblings.indexOf(this) + 1, 0, node);
    node.parentNode = this.parentNode;
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  dispatch(type, init = {}) {
    const event = { type, defaultPrevented: false, ...init };
    event.preventDefault = () => {
      event.defaultPrevented = true;
    };
    for (const listener of this.listeners[type] ?? []) {
      listener(event);
    }

    return event;
  }

  click() {
    return this.dispatch('click');
  }

  matches(selector) {
    if (selector === ':focus-visible') {
      return this.focusVisible;
    }

    throw new Error(`the fake DOM does not match '${selector}'`);
  }
}

/**
 * Runs checkout.js as if loaded from scriptSrc (null: document.currentScript is unknown, as in a module or a callback).
 * elements maps selectors to the elements (or lists of elements) querySelector(All) finds. fetch answers the older
 * createCheckoutSession form's request.
 */
export function loadCheckoutJs({ scriptSrc = 'https://tillpoint.test:8443/checkout.js', elements = {}, fetch, scriptTags = [] } = {}) {
  const errors = [];
  const warnings = [];
  const navigations = [];
  const fetches = [];
  const windowListeners = {};
  const lookup = (selector) => {
    const found = elements[selector];
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  };
  const body = new FakeElement('body');
  const document = {
    body,
    currentScript: scriptSrc === null ? null : { src: scriptSrc },
    createElement: (tag) => new FakeElement(tag),
    querySelector: (selector) => lookup(selector)[0] ?? null,
    querySelectorAll: (selector) => lookup(selector),
    getElementsByTagName: (tag) => (tag === 'script' ? scriptTags.map((src) => ({ src })) : []),
  };
  const window = {
    location: {
      assign(url) {
        navigations.push(url);
      },
    },
    addEventListener(type, listener) {
      (windowListeners[type] ??= []).push(listener);
    },
    removeEventListener(type, listener) {
      windowListeners[type] = (windowListeners[type] ?? []).filter((l) => l !== listener);
    },
    fetch(url, init) {
      fetches.push({ url, init });
      return fetch ? fetch(url, init) : Promise.reject(new Error('no fetch in this test'));
    },
  };
  const console = {
    error: (message) => errors.push(String(message)),
    warn: (message) => warnings.push(String(message)),
    log: () => {},
  };
  vm.runInNewContext(readFileSync(SCRIPT_PATH, 'utf8'), { window, document, console, URLSearchParams }, { filename: 'checkout.js' });
  return {
    amazon: window.amazon,
    errors,
    warnings,
    navigations,
    fetches,
    body,
    fire: (type, init = {}) => (windowListeners[type] ?? []).forEach((listener) => listener({ type, ...init })),
  };
}

/** A JSON response as fetch gives it. */
export function jsonResponse(status, body) {
  return Promise.resolve({
    ok: status >= 200 && status < 300,
    status,
    json: () => (typeof body === 'string' ? Promise.reject(new SyntaxError('not JSON')) : Promise.resolve(body)),
  });
}

/** Every element under root (depth first) whose attribute name has the value. */
export function findAll(root, name, value) {
  const found = [];
  const visit = (element) => {
    if (element.getAttribute && element.getAttribute(name) === value) {
      found.push(element);
    }

    (element.children ?? []).forEach(visit);
  };
  visit(root);
  return found;
}

/** The text of an element and everything under it. */
export function textOf(element) {
  return [element.textContent, ...(element.children ?? []).map(textOf)].filter(Boolean).join(' ');
}

/** Lets pending promise callbacks (the fetch chain) run. */
export function settle() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
