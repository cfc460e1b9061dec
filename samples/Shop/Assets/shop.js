// Renders the Amazon Pay button and binds the change links with Tillpoint's checkout.js, when it has loaded.
// Without it (no script, or an older Tillpoint) the plain links the page already has do the same job.
(function () {
  'use strict';
  var pay = window.amazon && window.amazon.Pay;
  if (!pay) {
    return;
  }

  var button = document.getElementById('AmazonPayButton');
  if (button && typeof pay.renderButton === 'function') {
    var d = button.dataset;
    var config = {
      merchantId: d.merchantId,
      publicKeyId: d.publicKeyId,
      ledgerCurrency: d.ledgerCurrency,
      checkoutLanguage: d.checkoutLanguage,
      productType: d.productType,
      placement: d.placement,
      buttonColor: d.buttonColor,
      sandbox: d.sandbox === 'true',
      estimatedOrderAmount: { amount: d.estimatedAmount, currencyCode: d.ledgerCurrency },
      // The exact string that was signed: never parse and re-serialize it.
      createCheckoutSessionConfig: { payloadJSON: d.payloadJson, signature: d.signature, algorithm: d.algorithm }
    };
    try {
      pay.renderButton('#AmazonPayButton', config);
      var fallback = document.getElementById('AmazonPayFallback');
      if (fallback) {
        fallback.hidden = true;
      }
    } catch (e) {
      console.error('Amazon Pay button not rendered; the plain link stays.', e);
    }
  }

  if (typeof pay.bindChangeAction === 'function') {
    ['changeAddress', 'changePayment'].forEach(function (action) {
      var link = document.getElementById(action);
      if (!link) {
        return;
      }
      try {
        pay.bindChangeAction('#' + action, { amazonCheckoutSessionId: link.dataset.amazonCheckoutSessionId, changeAction: action });
        // The script now opens Amazon Pay's page; the link's own navigation would race it.
        link.addEventListener('click', function (event) { event.preventDefault(); });
      } catch (e) {
        console.error('Change action not bound; the plain link stays.', e);
      }
    });
  }
})();
