using System.Security.Cryptography;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Payments;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Orders;

/// <summary>
/// The order page (step 7 of the guide, managing the payment after checkout): its state, refreshed from Amazon Pay on
/// every visit, and the merchant's two actions, ship and refund.
/// </summary>
/// <remarks>
/// In a real shop, ship and refund belong in the back office behind the merchant's login. They sit on the order page
/// here so the whole guide can be walked through in one browser.
/// </remarks>
public static class OrderEndpoints
{
    public static void MapOrders(this WebApplication app)
    {
        app.MapGet("/orders/{number}", ShowAsync);
        app.MapPost("/orders/{number}/ship", ShipAsync);
        app.MapPost("/orders/{number}/refund", RefundAsync);
    }

    private static async Task<IResult> ShowAsync(string number, HttpContext context, OrderStore orders, OrderPayments payments, CancellationToken ct)
    {
        if (Find(orders, number) is not { } order)
        {
            return NotFound(context);
        }

        string? problem = null;
        try
        {
            order = await payments.RefreshAsync(order, ct);
        }
        catch (HttpRequestException)
        {
            // The order is still worth showing; what it says may just be a little old.
            problem = "Amazon Pay could not be reached, so this is the last known state of the order.";
        }

        var notice = context.Request.Query["notice"].ToString() switch
        {
            "shipped" => "The shipment was sent to Amazon Pay; the buyer gets a delivery notification.",
            "refunded" => "The refund was requested. Amazon Pay settles refunds shortly; refresh to see it.",
            _ => null,
        };
        return Render(context, StatusCodes.Status200OK, order, notice, problem);
    }

    private static async Task<IResult> ShipAsync(string number, HttpContext context, OrderStore orders, OrderPayments payments, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        if (Find(orders, number) is not { } order)
        {
            return NotFound(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        var (shipped, problem) = await payments.ShipAsync(order, form["trackingNumber"].ToString().Trim(), ct);
        return shipped is not null
            ? Layout.SeeOther($"/orders/{order.Number}?notice=shipped")
            : Render(context, StatusCodes.Status422UnprocessableEntity, order, notice: null, problem);
    }

    private static async Task<IResult> RefundAsync(string number, HttpContext context, OrderStore orders, OrderPayments payments, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        if (Find(orders, number) is not { } order)
        {
            return NotFound(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        var (refunded, problem) = await payments.RefundAsync(order, Money.ParseInput(form["amount"]), ct);
        return refunded is not null
            ? Layout.SeeOther($"/orders/{order.Number}?notice=refunded")
            : Render(context, StatusCodes.Status422UnprocessableEntity, order, notice: null, problem);
    }

    private static IResult Render(HttpContext context, int status, Order order, string? notice, string? problem)
    {
        var state = order.State;
        var lines = order.Lines.Select(l => Html.Of($"""
            <tr><th scope="row">{l.Name}</th><td>{l.Quantity}</td><td class="amount">{Money.Display(l.Amount, order.Currency)}</td></tr>
            """));
        var refunds = order.Refunds.Count == 0
            ? Html.Of($"""<p id="noRefunds">No refunds.</p>""")
            : Html.Of($"""
                <ul id="refunds">{Html.Join(order.Refunds.Select(r => Html.Of($"""
                    <li data-refund-id="{r.RefundId}" data-state="{r.State}">{Money.Display(r.Amount, order.Currency)}: <span class="refund-state">{r.State}</span>{(r.ReasonCode is null ? "" : " (" + r.ReasonCode + ")")}</li>
                    """)))}</ul>
                """);
        var shipment = order.Shipment is { } s
            ? Html.Of($"""<p id="tracking">Shipped with {s.CarrierCode}, tracking number <span id="trackingNumber">{s.TrackingNumber}</span>.</p>""")
            : Html.Of($"""<p id="tracking">Not shipped yet.</p>""");
        var cancel = state == OrderState.Canceled
            ? Html.Of($"""<p class="alert" id="cancelReason" data-reason="{order.CancelReason}">{BuyerWords.Canceled(order.CancelReason)} <a id="tryAgain" href="/cart">Try again</a></p>""")
            : Html.Empty;

        var shipForm = state == OrderState.Paid
            ? Html.Of($"""
                <form id="shipForm" method="post" action="/orders/{order.Number}/ship">
                  {Layout.TokenField(context)}
                  <label for="trackingNumberInput">{OrderPayments.Carrier} tracking number</label>
                  <input id="trackingNumberInput" name="trackingNumber" value="{NewTrackingNumber()}" required maxlength="64" pattern="[A-Za-z0-9\-]+" autocomplete="off">
                  <button id="ship" type="submit">Mark as shipped</button>
                </form>
                """)
            : Html.Empty;
        var refundForm = order.AmountCaptured > 0m && order.Refundable > 0m
            ? Html.Of($"""
                <form id="refundForm" method="post" action="/orders/{order.Number}/refund">
                  {Layout.TokenField(context)}
                  <label for="refundAmount">Refund amount ({order.Currency})</label>
                  <input id="refundAmount" name="amount" value="{Money.ApiAmount(order.Refundable)}" required inputmode="decimal" autocomplete="off">
                  <button id="refund" type="submit" class="secondary">Refund</button>
                </form>
                """)
            : Html.Empty;
        var actions = shipForm.ToString().Length + refundForm.ToString().Length == 0
            ? Html.Of($"""<p>Nothing to do for this order right now.</p>""")
            : Html.Of($"{shipForm}{refundForm}");

        var body = Html.Of($"""
            <h1>Order #{order.Reference}</h1>
            {(notice is null ? Html.Empty : Html.Of($"""<p class="notice" role="status" id="notice">{notice}</p>"""))}
            {(problem is null ? Html.Empty : Html.Of($"""<p class="alert" role="alert" id="problem">{problem}</p>"""))}
            <p>Order state: <strong id="orderState" data-state="{state}">{state}</strong> <a id="refreshOrder" href="/orders/{order.Number}">Refresh</a></p>
            {cancel}
            <dl class="amounts">
              <dt>Total</dt><dd id="orderTotal">{Money.Display(order.Total, order.Currency)}</dd>
              <dt>Authorized</dt><dd id="amountAuthorized">{Money.Display(order.AmountAuthorized, order.Currency)}</dd>
              <dt>Captured</dt><dd id="amountCaptured">{Money.Display(order.AmountCaptured, order.Currency)}</dd>
              <dt>Refunded</dt><dd id="amountRefunded">{Money.Display(order.AmountRefunded, order.Currency)}</dd>
            </dl>
            <table class="lines">
              <caption class="visually-hidden">Items</caption>
              <thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
              <tbody>{Html.Join(lines)}</tbody>
              <tfoot><tr><th scope="row" colspan="2">Shipping</th><td class="amount">{Money.Display(order.ShippingCost, order.Currency)}</td></tr></tfoot>
            </table>
            <h2>Delivery</h2>
            <address id="deliveryAddress">{Html.Lines(order.Buyer.ShipTo)}</address>
            {shipment}
            <h2>Refunds</h2>
            {refunds}
            <h2>Amazon Pay</h2>
            <dl class="ids">
              <dt>Paid with</dt><dd>{order.Buyer.PaymentDescriptor ?? "—"}</dd>
              <dt>Charge permission</dt><dd id="chargePermissionId">{order.ChargePermissionId ?? "—"}</dd>
              <dt>Charge</dt><dd id="chargeId">{order.ChargeId ?? "—"}</dd>
              <dt>Charge state</dt><dd id="chargeState">{order.ChargeState ?? "—"}</dd>
            </dl>
            <section class="merchant" aria-labelledby="merchant-heading">
              <h2 id="merchant-heading">Merchant actions</h2>
              <p class="hint">In a real shop these live in the back office, behind the merchant's login.</p>
              {actions}
            </section>
            """);
        return Layout.Page(context, status, $"Order #{order.Reference}", body);
    }

    private static Order? Find(OrderStore orders, string number) =>
        int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? orders.Find(n) : null;

    private static IResult NotFound(HttpContext context) =>
        Layout.Problem(context, StatusCodes.Status404NotFound, "Order not found", "There is no order with this number.");

    /// <summary>A UPS-style number (1Z, then 16 letters and digits) to fill the form with; a tracking number goes to Amazon Pay once.</summary>
    private static string NewTrackingNumber() => "1Z" + RandomNumberGenerator.GetString("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", 16);
}
