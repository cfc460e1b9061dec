using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Operator;
using Tillpoint.Server.Signing;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// What the Buy Now dialog (built by checkout.js inside the merchant's page) calls: start a checkout from the signed
/// button, sign the sandbox buyer in, change the address or the instrument, record the cart the merchant's handlers
/// returned, cancel. Every answer is the dialog's view of the session as JSON; refusals are the API's errors.
/// <para>
/// The dialog runs on the merchant's origin, so these are cross-origin calls without cookies. Start is trusted for its
/// signature, as <c>/checkout/start</c> is; it answers a token (the session's id, protected with Data Protection) that
/// every later call sends in <see cref="TokenHeader"/>. A custom header cannot be sent across origins without a
/// preflight, and the token is in no cookie, so another site can neither forge a step nor read a buyer's details.
/// </para>
/// </summary>
internal static class BuyNowDialog
{
    public const string TokenHeader = "x-tillpoint-buy-now-token";
    private const string Prefix = "/checkout/buy-now";
    private const string TokenPurpose = "Tillpoint.Checkout.BuyNow";
    private const byte TokenVersion = 1;

    public static void MapBuyNow(this WebApplication app)
    {
        var dialog = app.MapGroup(Prefix).AddEndpointFilter(AllowOtherOrigins);
        dialog.MapMethods("/{**path}", [HttpMethods.Options], () => Results.NoContent());
        dialog.MapPost("/", StartAsync);
        dialog.MapPost("/{checkoutSessionId}/sign-in", SignInAsync);
        dialog.MapPost("/{checkoutSessionId}/address", ChangeAddressAsync);
        dialog.MapPost("/{checkoutSessionId}/payment", ChangePaymentAsync);
        dialog.MapPost("/{checkoutSessionId}/cart", ShowCartAsync);
        dialog.MapPost("/{checkoutSessionId}/cancel", CancelAsync);
    }

    /// <summary>Any origin may call (the token, not the origin, is the authority), and may send the token header.</summary>
    private static ValueTask<object?> AllowOtherOrigins(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var headers = invocation.HttpContext.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "POST";
        headers.AccessControlAllowHeaders = $"content-type, {TokenHeader}";
        headers.AccessControlMaxAge = "600";
        headers.CacheControl = "no-store";
        return next(invocation);
    }

    /// <summary>
    /// <c>POST /checkout/buy-now</c> with the button's signed configuration: creates the session exactly as Create
    /// Checkout Session would (a Buy Now one) and answers 201 with the view and the token. Nothing is created on refusal.
    /// </summary>
    private static async Task StartAsync(
        HttpContext context, PublicKeyCache keys, ITillpointStore store, IIdGenerator ids, BusinessClocks clocks, ServerOptions options,
        IDataProtectionProvider protection)
    {
        var body = await OperatorEndpoints.ReadBodyAsync(context, BuyNowJsonContext.Default.BuyNowStartRequest, optional: false);
        if (!body.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, body.Error);
            return;
        }

        var start = body.Value;
        var sandbox = start.Sandbox is { } flag ? (flag ? "true" : "false") : null;
        var verified = ButtonPayloads.Verify(keys, start.PublicKeyId, start.Algorithm, sandbox, start.PayloadJson, start.Signature);
        if (!verified.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, verified.Error);
            return;
        }

        var caller = verified.Value;
        var command = CheckoutButton.ToCreate(caller, start.PayloadJson!, start.MerchantId, start.ProductType, buyNow: true);
        if (!command.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, command.Error);
            return;
        }

        var created = await store.WriteAsync(
            write => CheckoutSessionCommands.Create(
                write,
                new CommandContext(new Owner(caller.MerchantId, caller.Environment), clocks.Now(caller.Environment), options.Limits, null, ids),
                command.Value),
            CancellationToken.None);
        if (!created.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, created.Error);
            return;
        }

        var view = ViewOf(created.Value);
        view.Token = SignInProtection.Protect(protection, TokenPurpose, TokenVersion, writer => writer.Write(created.Value.CheckoutSessionId));
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(view, BuyNowJsonContext.Default.BuyNowView);
    }

    /// <summary>The buyer signs in as a sandbox test buyer (the first when none is named), with their defaults chosen.</summary>
    private static Task SignInAsync(string checkoutSessionId, HttpContext context) =>
        StepAsync(context, checkoutSessionId, BuyNowJsonContext.Default.BuyNowSignInRequest, (write, session, request, now) =>
            SandboxBuyers.Find(request.BuyerId ?? SandboxBuyers.All[0].BuyerId) is { } buyer
                ? BuyNowCheckout.SignIn(write, session, buyer, now)
                : new BuyerStep(session, DomainError.InvalidValue("buyerId", $"'{request.BuyerId}' is not a sandbox test buyer.")));

    private static Task ChangeAddressAsync(string checkoutSessionId, HttpContext context) =>
        StepAsync(context, checkoutSessionId, BuyNowJsonContext.Default.BuyNowAddressRequest, (write, session, request, now) =>
            request.ShippingAddressId is null
                ? new BuyerStep(session, DomainError.Missing("shippingAddressId"))
                : BuyNowCheckout.Change(write, session, request.ShippingAddressId, null, now));

    private static Task ChangePaymentAsync(string checkoutSessionId, HttpContext context) =>
        StepAsync(context, checkoutSessionId, BuyNowJsonContext.Default.BuyNowPaymentRequest, (write, session, request, now) =>
            request.PaymentInstrumentId is null
                ? new BuyerStep(session, DomainError.Missing("paymentInstrumentId"))
                : BuyNowCheckout.Change(write, session, null, request.PaymentInstrumentId, now));

    /// <summary>The cart a merchant's handler returned, as the dialog shows it; checked before anything is loaded.</summary>
    private static Task ShowCartAsync(string checkoutSessionId, HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<ServerOptions>().Limits;
        return StepAsync(context, checkoutSessionId, BuyNowJsonContext.Default.BuyNowCartRequest, (write, session, request, now) =>
        {
            var cart = BuyNowCart.ToShownCart(request.Cart, request.DeliveryOptionId, limits);
            return cart.IsSuccess
                ? BuyNowCheckout.ShowCart(write, session, cart.Value, limits, now)
                : new BuyerStep(session, cart.Error);
        });
    }

    private static Task CancelAsync(string checkoutSessionId, HttpContext context) =>
        StepAsync(context, checkoutSessionId, BuyNowJsonContext.Default.BuyNowCancelRequest, (write, session, _, now) =>
            BuyNowCheckout.Cancel(write, session, now));

    /// <summary>
    /// Checks the token, reads the body, runs <paramref name="step"/> in one write and answers the view, or the refusal
    /// in the API's error format with nothing changed.
    /// </summary>
    private static async Task StepAsync<T>(
        HttpContext context, string checkoutSessionId, JsonTypeInfo<T> bodyType, Func<IWriteSession, CheckoutSession, T, DateTimeOffset, BuyerStep> step)
        where T : class, new()
    {
        var services = context.RequestServices;
        var tokenFor = SignInProtection.Unprotect(
            services.GetRequiredService<IDataProtectionProvider>(), TokenPurpose, TokenVersion, context.Request.Headers[TokenHeader], reader => reader.ReadString());
        if (tokenFor != checkoutSessionId)
        {
            await ApiErrors.WriteAsync(context, new DomainError(
                ErrorCode.UnauthorizedAccess, $"The {TokenHeader} header is missing or was not given for this Checkout Session."));
            return;
        }

        var body = await OperatorEndpoints.ReadBodyAsync(context, bodyType, optional: true);
        if (!body.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, body.Error);
            return;
        }

        var outcome = await BuyerCheckout.WriteAsync(
            services.GetRequiredService<ITillpointStore>(),
            checkoutSessionId,
            services.GetRequiredService<BusinessClocks>(),
            (write, session, now) => step(write, session, body.Value, now));
        if (outcome.Session is null)
        {
            await ApiErrors.WriteAsync(context, DomainError.NotFound("Checkout Session", checkoutSessionId));
            return;
        }

        if (outcome.Error is not null)
        {
            await ApiErrors.WriteAsync(context, outcome.Error);
            return;
        }

        await context.Response.WriteAsJsonAsync(ViewOf(outcome.Session), BuyNowJsonContext.Default.BuyNowView);
    }

    /// <summary>What the dialog shows: the session's state, the buyer and their choices, their options, the cart.</summary>
    private static BuyNowView ViewOf(CheckoutSession session)
    {
        var selection = session.Selection;
        var buyer = SandboxBuyers.Find(selection?.Buyer.BuyerId);
        return new BuyNowView
        {
            CheckoutSessionId = session.CheckoutSessionId,
            State = session.State.ToString(),
            ReasonCode = session.ReasonCode?.ToString(),
            ProductType = session.ProductType.ToString(),
            Scopes = session.Scopes?.ToList(),
            Buyers = [.. SandboxBuyers.All.Select(b => new BuyNowBuyerDto { BuyerId = b.BuyerId, Name = b.Name })],
            Buyer = selection is null ? null : WireMapper.ToDto(selection.Buyer, session.Scopes),
            ShippingAddress = selection?.ShippingAddress is { } shipping ? WireMapper.ToDto(shipping) : null,
            BillingAddress = selection is null ? null : WireMapper.ToDto(selection.BillingAddress),
            PaymentInstrumentId = selection?.InstrumentId,
            PaymentDescriptor = selection?.PaymentDescriptor,
            Addresses = buyer is null || !BuyerCheckout.NeedsAddress(session)
                ? []
                : [.. buyer.Addresses.Select((address, i) => new BuyNowAddressDto
                {
                    Id = i.ToString(CultureInfo.InvariantCulture),
                    Address = WireMapper.ToDto(address),
                    Shippable = session.DeliverySpecifications?.Permits(address) ?? true,
                })],
            Instruments = buyer is null ? [] : [.. buyer.Instruments.Select(i => new BuyNowInstrumentDto { Id = i.InstrumentId, PaymentDescriptor = i.Descriptor })],
            Cart = session.Cart is { } cart ? JsonSerializer.Deserialize(cart.Details, BuyNowJsonContext.Default.CartDetailsDto) : null,
        };
    }
}

/// <summary>Body of <c>POST /checkout/buy-now</c>: the button's configuration as checkout.js has it.</summary>
internal sealed class BuyNowStartRequest
{
    [JsonPropertyName("payloadJSON")]
    public string? PayloadJson { get; set; }

    public string? Signature { get; set; }

    public string? PublicKeyId { get; set; }

    public string? Algorithm { get; set; }

    public bool? Sandbox { get; set; }

    public string? ProductType { get; set; }

    public string? MerchantId { get; set; }
}

internal sealed class BuyNowSignInRequest
{
    public string? BuyerId { get; set; }
}

internal sealed class BuyNowAddressRequest
{
    /// <summary>The address's position in the buyer's list, as the view gives it.</summary>
    public string? ShippingAddressId { get; set; }
}

internal sealed class BuyNowPaymentRequest
{
    public string? PaymentInstrumentId { get; set; }
}

internal sealed class BuyNowCartRequest
{
    public CartDetailsDto? Cart { get; set; }

    public string? DeliveryOptionId { get; set; }
}

internal sealed class BuyNowCancelRequest;

/// <summary>The dialog's view of a Buy Now checkout.</summary>
internal sealed class BuyNowView
{
    public string? CheckoutSessionId { get; set; }

    /// <summary>Only in Start's answer: what the later calls send in the token header.</summary>
    public string? Token { get; set; }

    public string? State { get; set; }

    public string? ReasonCode { get; set; }

    public string? ProductType { get; set; }

    public List<string>? Scopes { get; set; }

    public List<BuyNowBuyerDto> Buyers { get; set; } = [];

    public BuyerDto? Buyer { get; set; }

    public AddressDto? ShippingAddress { get; set; }

    public AddressDto? BillingAddress { get; set; }

    public string? PaymentInstrumentId { get; set; }

    public string? PaymentDescriptor { get; set; }

    public List<BuyNowAddressDto> Addresses { get; set; } = [];

    public List<BuyNowInstrumentDto> Instruments { get; set; } = [];

    public CartDetailsDto? Cart { get; set; }
}

internal sealed class BuyNowBuyerDto
{
    public string? BuyerId { get; set; }

    public string? Name { get; set; }
}

internal sealed class BuyNowAddressDto
{
    public string? Id { get; set; }

    public AddressDto? Address { get; set; }

    /// <summary>The merchant's deliverySpecifications permit it.</summary>
    public bool Shippable { get; set; }
}

internal sealed class BuyNowInstrumentDto
{
    public string? Id { get; set; }

    public string? PaymentDescriptor { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BuyNowStartRequest))]
[JsonSerializable(typeof(BuyNowSignInRequest))]
[JsonSerializable(typeof(BuyNowAddressRequest))]
[JsonSerializable(typeof(BuyNowPaymentRequest))]
[JsonSerializable(typeof(BuyNowCartRequest))]
[JsonSerializable(typeof(BuyNowCancelRequest))]
[JsonSerializable(typeof(BuyNowView))]
[JsonSerializable(typeof(CartDetailsDto))]
internal sealed partial class BuyNowJsonContext : JsonSerializerContext;
