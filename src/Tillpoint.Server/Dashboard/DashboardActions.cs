using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Charges;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// Capture, cancel, refund and close: a confirmation page (GET), then the POST runs the same domain method in the same
/// store transaction as the API (load the ledger as of now, apply, persist, retried on conflict). A refusal is shown on
/// the confirmation page and changes nothing but the time-driven changes the API would also have saved.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>The field carrying a form's one-time key, so a form posted twice acts once.</summary>
    private const string FormKeyField = "formKey";

    private static void MapActions(RouteGroupBuilder pages)
    {
        pages.MapGet("/charges/{merchantId}/{id}/capture", (HttpContext c, ITillpointStore s, BusinessClocks k, IAntiforgery a, string merchantId, string id) =>
            ConfirmCharge(c, s, k, a, merchantId, id, ChargeAction.Capture, null, StatusCodes.Status200OK));
        pages.MapGet("/charges/{merchantId}/{id}/cancel", (HttpContext c, ITillpointStore s, BusinessClocks k, IAntiforgery a, string merchantId, string id) =>
            ConfirmCharge(c, s, k, a, merchantId, id, ChargeAction.Cancel, null, StatusCodes.Status200OK));
        pages.MapGet("/charges/{merchantId}/{id}/refund", (HttpContext c, ITillpointStore s, BusinessClocks k, IAntiforgery a, string merchantId, string id) =>
            ConfirmCharge(c, s, k, a, merchantId, id, ChargeAction.Refund, null, StatusCodes.Status200OK));
        pages.MapPost("/charges/{merchantId}/{id}/capture", (HttpContext c, string merchantId, string id) => ChargeActionAsync(c, merchantId, id, ChargeAction.Capture));
        pages.MapPost("/charges/{merchantId}/{id}/cancel", (HttpContext c, string merchantId, string id) => ChargeActionAsync(c, merchantId, id, ChargeAction.Cancel));
        pages.MapPost("/charges/{merchantId}/{id}/refund", (HttpContext c, string merchantId, string id) => ChargeActionAsync(c, merchantId, id, ChargeAction.Refund));
        pages.MapGet("/charge-permissions/{merchantId}/{id}/close", (HttpContext c, ITillpointStore s, IAntiforgery a, string merchantId, string id) =>
            ConfirmClose(c, s, a, merchantId, id, null, StatusCodes.Status200OK));
        pages.MapPost("/charge-permissions/{merchantId}/{id}/close", CloseAsync);
    }

    private enum ChargeAction
    {
        Capture,
        Cancel,
        Refund,
    }

    private static IResult ConfirmCharge(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id,
        ChargeAction action, string? error, int status) => ConfirmOnCharge(context, store, clocks, antiforgery, merchantId, id, error, status, charge =>
    {
        var (verb, explanation, amountField, defaultAmount) = action switch
        {
            ChargeAction.Capture => ("Capture", "Captures the charge: the buyer is charged this amount.", true, charge.ChargeAmount),
            ChargeAction.Cancel => ("Cancel", "Cancels the charge: its authorization is released and it can no longer be captured.", false, charge.ChargeAmount),
            ChargeAction.Refund => ("Refund", "Creates a refund of this amount to the buyer.", true, (charge.CaptureAmount ?? charge.ChargeAmount) - charge.RefundedAmount),
        };
        var given = context.Request.HasFormContentType ? context.Request.Form["amount"].ToString() : null;
        var amount = amountField
            ? $"<label for=\"amount\">Amount ({E(charge.ChargeAmount.Currency.ToString())})</label><input id=\"amount\" name=\"amount\" inputmode=\"decimal\" required value=\"{E(given ?? defaultAmount.ToAmountString())}\">"
            : string.Empty;
        return new ChargeConfirmation($"{verb} charge {id}?", explanation, verb.ToLowerInvariant(), amount, verb, action == ChargeAction.Cancel);
    });

    /// <summary>
    /// What a confirmation page of an action on a charge asks: its heading, what the action does, the path under the
    /// charge its form posts to, the form's inputs (HTML) and its button (red when <see cref="Danger"/>).
    /// </summary>
    private sealed record ChargeConfirmation(string Heading, string Explanation, string Path, string InputsHtml, string Button, bool Danger);

    /// <summary>
    /// The confirmation page of an action on a charge: the charge's amounts as of now, what the action does, and its form
    /// with a one-time key; <paramref name="error"/> is why an earlier try was refused.
    /// </summary>
    private static IResult ConfirmOnCharge(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id,
        string? error, int status, Func<Charge, ChargeConfirmation> ask)
    {
        var stored = store.Read(reader => reader.GetCharge(merchantId, id));
        if (stored is null)
        {
            return NotFound(context, $"There is no charge '{id}' of merchant '{merchantId}'.");
        }

        var charge = store.Read(reader => PaymentObjects.CurrentCharge(reader, new Owner(merchantId, stored.Environment), id, clocks.Now(stored.Environment)))!;
        var tokens = antiforgery.GetAndStoreTokens(context);
        var confirmation = ask(charge);
        return Page(
            status,
            confirmation.Heading,
            $"""
            {Alert(error)}
            <div class="card">
            {Fields(
                ("State", StateBadge(charge.State.ToString())),
                ("Authorized", Amount(charge.ChargeAmount)),
                ("Captured", Amount(charge.CaptureAmount)),
                ("Refunded", Amount(charge.RefundedAmount)))}
            </div>
            <div class="card">
            <p>{E(confirmation.Explanation)}</p>
            <form method="post" action="{DetailPath(ObjectType.Charge, merchantId, id)}/{confirmation.Path}" id="confirm">
              {TokenField(tokens)}
              <input type="hidden" name="{FormKeyField}" value="{E(FormKey(context))}">
              {confirmation.InputsHtml}
              <div class="actions">
                <button type="submit" class="{(confirmation.Danger ? "danger" : string.Empty)}">{E(confirmation.Button)}</button>
                <a class="button secondary" href="{DetailPath(ObjectType.Charge, merchantId, id)}">Back</a>
              </div>
            </form>
            </div>
            """,
            "/dashboard/charges",
            tokens);
    }

    private static async Task<IResult> ChargeActionAsync(HttpContext context, string merchantId, string id, ChargeAction action)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<ITillpointStore>();
        var clocks = services.GetRequiredService<BusinessClocks>();
        var antiforgery = services.GetRequiredService<IAntiforgery>();
        var limits = services.GetRequiredService<ServerOptions>().Limits;
        var stored = store.Read(reader => reader.GetCharge(merchantId, id));
        if (stored is null)
        {
            return NotFound(context, $"There is no charge '{id}' of merchant '{merchantId}'.");
        }

        var form = await context.Request.ReadFormAsync();
        var currency = stored.ChargeAmount.Currency;
        Money amount = default;
        if (action is ChargeAction.Capture or ChargeAction.Refund
            && (!Money.TryParse(form["amount"].ToString().Trim(), currency, out amount) || !amount.IsPositive))
        {
            return ConfirmCharge(
                context, store, clocks, antiforgery, merchantId, id, action,
                $"Enter a positive amount in {currency} with at most {Currencies.Scale(currency)} decimals, such as {Money.Zero(currency).ToAmountString().Replace('0', '9')}.",
                StatusCodes.Status400BadRequest);
        }

        var owner = new Owner(merchantId, stored.Environment);
        var now = clocks.Now(stored.Environment);
        var ids = services.GetRequiredService<Domain.IIdGenerator>();
        // The same commands the API runs, with no simulation and no soft descriptor.
        var command = new CommandContext(owner, now, limits, null, ids);
        var error = await RunOnceAsync(context, form, store, owner, $"charges/{id}/{action}", session => action switch
        {
            ChargeAction.Capture => LedgerCommands.Capture(session, command, id, amount, null).Error,
            ChargeAction.Cancel => LedgerCommands.CancelCharge(session, command, id).Error,
            ChargeAction.Refund => LedgerCommands.CreateRefund(session, command, id, amount, null).Error,
        });
        if (error is not null)
        {
            return ConfirmCharge(context, store, clocks, antiforgery, merchantId, id, action, $"Not done: {error.Message}", StatusForRefusal(error));
        }

        var done = action switch
        {
            ChargeAction.Capture => "captured",
            ChargeAction.Cancel => "canceled",
            ChargeAction.Refund => "refunded",
        };
        return HostedPage.SeeOther($"{DetailPath(ObjectType.Charge, merchantId, id)}?done={done}");
    }

    private static IResult ConfirmClose(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, string merchantId, string id, string? error, int status)
    {
        var permission = store.Read(reader => reader.GetChargePermission(merchantId, id));
        if (permission is null)
        {
            return NotFound(context, $"There is no charge permission '{id}' of merchant '{merchantId}'.");
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var reason = context.Request.HasFormContentType ? context.Request.Form["reason"].ToString() : string.Empty;
        return Page(
            status,
            $"Close charge permission {id}?",
            $"""
            {Alert(error)}
            <div class="card">
            <p>Closes the charge permission: no new charges can be made with it. This cannot be undone.</p>
            <form method="post" action="{DetailPath(ObjectType.ChargePermission, merchantId, id)}/close" id="confirm">
              {TokenField(tokens)}
              <input type="hidden" name="{FormKeyField}" value="{E(FormKey(context))}">
              <label for="reason">Closure reason</label>
              <input id="reason" name="reason" maxlength="255" value="{E(reason)}">
              <p><label class="checkbox"><input type="checkbox" name="cancelPendingCharges" value="true" style="width:auto"> Also cancel its open charges</label></p>
              <div class="actions">
                <button type="submit" class="danger">Close</button>
                <a class="button secondary" href="{DetailPath(ObjectType.ChargePermission, merchantId, id)}">Back</a>
              </div>
            </form>
            </div>
            """,
            "/dashboard/charge-permissions",
            tokens);
    }

    private static async Task<IResult> CloseAsync(HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id)
    {
        var stored = store.Read(reader => reader.GetChargePermission(merchantId, id));
        if (stored is null)
        {
            return NotFound(context, $"There is no charge permission '{id}' of merchant '{merchantId}'.");
        }

        var form = await context.Request.ReadFormAsync();
        var reason = form["reason"].ToString().Trim() is { Length: > 0 } text ? text : null;
        if (DomainError.TooLong("closureReason", reason, options.Limits.ClosureReasonMaxLength) is { } tooLong)
        {
            return ConfirmClose(context, store, antiforgery, merchantId, id, tooLong.Message, StatusCodes.Status400BadRequest);
        }

        var cancelPending = form["cancelPendingCharges"].ToString() == "true";
        var owner = new Owner(merchantId, stored.Environment);
        var now = clocks.Now(stored.Environment);
        var command = new CommandContext(owner, now, options.Limits, null, context.RequestServices.GetRequiredService<Domain.IIdGenerator>());
        var error = await RunOnceAsync(
            context, form, store, owner, $"chargePermissions/{id}/close",
            session => LedgerCommands.CloseChargePermission(session, command, id, reason, cancelPending).Error);
        return error is null
            ? HostedPage.SeeOther($"{DetailPath(ObjectType.ChargePermission, merchantId, id)}?done=closed")
            : ConfirmClose(context, store, antiforgery, merchantId, id, $"Not done: {error.Message}", StatusForRefusal(error));
    }

    /// <summary>
    /// Runs an action in one store transaction, at most once per form: the form's key is kept like an API idempotency
    /// key (scoped to the merchant, environment and action), so a double-click or a resubmitted form does nothing more.
    /// </summary>
    private static Task<DomainError?> RunOnceAsync(
        HttpContext context, IFormCollection form, ITillpointStore store, Owner owner, string action, Func<IWriteSession, DomainError?> command)
    {
        var key = form[FormKeyField].ToString();
        if (key.Length is 0 or > 64)
        {
            return Task.FromResult<DomainError?>(new DomainError(ErrorCode.InvalidRequest, "The form is incomplete; go back and try again."));
        }

        var scope = new IdempotencyScope(owner.MerchantId, owner.Environment, "DASHBOARD", action, key);
        return store.WriteAsync(
            session =>
            {
                if (session.FindIdempotency(scope) is not null)
                {
                    return null;
                }

                var error = command(session);
                if (error is null)
                {
                    session.PutIdempotency(scope, new IdempotencyRecord(SHA256.HashData(Encoding.UTF8.GetBytes(action)), StatusCodes.Status200OK, []));
                }

                return error;
            },
            context.RequestAborted);
    }

    private static string FormKey(HttpContext context) =>
        context.Request.HasFormContentType && context.Request.Form[FormKeyField].ToString() is { Length: > 0 and <= 64 } posted
            ? posted
            : Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static int StatusForRefusal(DomainError error) => Errors.ApiErrors.StatusOf(error.Code);
}
