// Renders the Buy Now button of a product page with Tillpoint's checkout.js. Its handlers ask the shop's server for
// the cart (priced for the buyer's address and delivery option) and, when the buyer pays, ask it to finalize the order.
(function () {
  'use strict';
  var pay = window.amazon && window.amazon.Pay;
  var placeholder = document.getElementById('BuyNowButton');
  if (!pay || !placeholder) {
    return;
  }

  var d = placeholder.dataset;
  var status = document.getElementById('buyNowStatus');
  var post = function (step, event) {
    return fetch('/buy-now/' + encodeURIComponent(d.sku) + '/' + step, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event)
    }).then(function (response) { return response.json(); });
  };
  var price = function (event) { return post('cart', event); };

  pay.renderButton('#BuyNowButton', {
    merchantId: d.merchantId,
    publicKeyId: d.publicKeyId,
    ledgerCurrency: d.ledgerCurrency,
    checkoutLanguage: 'en_US',
    productType: 'PayAndShip',
    placement: 'Product',
    sandbox: d.sandbox === 'true',
    estimatedOrderAmount: { amount: d.estimatedAmount, currencyCode: d.ledgerCurrency },
    // The exact string that was signed: never parse and re-serialize it.
    createCheckoutSessionConfig: { payloadJSON: d.payloadJson, signature: d.signature, algorithm: d.algorithm },
    onInitCheckout: price,
    onShippingAddressSelection: price,
    onDeliveryOptionSelection: price,
    onCompleteCheckout: function (event) {
      return post('complete', event).then(function (answer) {
        if (answer.orderUrl) {
          window.location.assign(answer.orderUrl);
        }

        return answer;
      });
    },
    onCancel: function () { status.textContent = 'You canceled Buy Now. Nothing was charged.'; },
    onError: function (error) { status.textContent = 'Amazon Pay: ' + error.reasonCode; }
  });
}());
