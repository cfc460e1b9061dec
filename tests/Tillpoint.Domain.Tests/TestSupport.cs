using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests;

/// <summary>Predictable identifiers: every kind counts up from 1.</summary>
internal sealed class SequentialIds : IIdGenerator
{
    private int _sessions;
    private int _permissions;
    private int _charges;
    private int _refunds;
    private int _disputes;
    private int _requests;

    public string NewCheckoutSessionId() => $"cs-{++_sessions:D4}";

    public string NewChargePermissionId(ReleaseEnvironment environment) =>
        $"{(environment == ReleaseEnvironment.Sandbox ? "S01" : "P01")}-0000000-{++_permissions:D7}";

    public string NewChargeId(string chargePermissionId) => $"{chargePermissionId}-C{++_charges:D6}";

    public string NewRefundId(string chargePermissionId) => $"{chargePermissionId}-R{++_refunds:D6}";

    public string NewDisputeId(string chargePermissionId) => $"{chargePermissionId}-B{++_disputes:D6}";

    public string NewRequestId() => $"req-{++_requests}";
}

/// <summary>Fixed instants; no test reads a clock.</summary>
internal static class Times
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
}

internal static class Usd
{
    public static Money Of(decimal amount) => new(amount, Currency.USD);
}

/// <summary>Builds sessions, selections and charges in the states the tests need.</summary>
internal static class Build
{
    public const string MerchantId = "MERCHANT1";
    public const string StoreId = "amzn1.application-oa2-client.0123456789abcdef";
    public const string ReviewUrl = "https://shop.example/review";
    public const string ResultUrl = "https://shop.example/result";

    public static readonly SandboxBuyer Jane = SandboxBuyers.All[0];
    public static readonly SandboxBuyer Erika = SandboxBuyers.All[2];

    /// <summary>Jane's Seattle address (WA 98109).</summary>
    public static Address JaneHome => Jane.Addresses[0];

    /// <summary>Jane's Portland address (OR 97201).</summary>
    public static Address JanePortland => Jane.Addresses[1];

    /// <summary>Jane's "PO Box 1234" address (WA 98009).</summary>
    public static Address JanePoBox => Jane.Addresses[2];

    public static CreateCheckoutSession Create(
        WebCheckoutDetails? web = null,
        PaymentDetails? payment = null,
        Address? addressDetails = null,
        MerchantMetadata? metadata = null,
        DeliverySpecifications? delivery = null,
        IReadOnlyList<string>? scopes = null,
        ChargePermissionType? type = null,
        string? platformId = null,
        ProductType? productType = null) =>
        new(
            web ?? new WebCheckoutDetails(ReviewUrl, null, null, null),
            StoreId,
            scopes,
            type,
            payment,
            addressDetails,
            metadata,
            delivery,
            platformId,
            null,
            productType);

    public static Result<Transition<CheckoutSession>> TryCreate(
        CreateCheckoutSession command, ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) =>
        CheckoutSession.Create(command, MerchantId, environment, new SequentialIds(), Times.T0, Limits.Default);

    public static CheckoutSession NewSession(CreateCheckoutSession? command = null, ReleaseEnvironment environment = ReleaseEnvironment.Sandbox)
    {
        var created = TryCreate(command ?? Create(), environment);
        Assert.Null(created.Error);
        return created.Value.Value;
    }

    public static PaymentDetails Payment(
        PaymentIntent? intent = PaymentIntent.Authorize,
        Money? chargeAmount = null,
        bool canHandlePendingAuthorization = false,
        Money? totalOrderAmount = null,
        string? softDescriptor = null,
        bool? allowOvercharge = null,
        bool? extendExpiration = null) =>
        new(intent, canHandlePendingAuthorization, chargeAmount ?? Usd.Of(14.00m), totalOrderAmount, softDescriptor, null,
            allowOvercharge, extendExpiration);

    /// <summary>A session with every constraint met except the buyer.</summary>
    public static CheckoutSession Configured(PaymentDetails? payment = null, DeliverySpecifications? delivery = null, ProductType? productType = null)
    {
        var session = NewSession(Create(payment: payment ?? Payment(), delivery: delivery, productType: productType));
        var updated = session.Update(
            new UpdateCheckoutSession(null, ResultUrl, null, null, null, null, null, null), Times.T0, Limits.Default);
        Assert.Null(updated.Error);
        return updated.Value.Value;
    }

    public static BuyerSelection Selection(InstrumentBehavior behavior, Address? shipping = null, SandboxBuyer? buyer = null)
    {
        var who = buyer ?? Jane;
        var instrument = who.Instruments.First(i => i.Behavior == behavior);
        return new BuyerSelection(
            new BuyerDetails(who.BuyerId, who.Name, who.Email, who.PhoneNumber),
            shipping ?? who.Addresses[0],
            who.BillingAddress,
            instrument.InstrumentId,
            instrument.Descriptor,
            instrument.Behavior);
    }

    /// <summary>A session ready for processing: configured and with a buyer.</summary>
    public static CheckoutSession Ready(PaymentDetails? payment = null, InstrumentBehavior behavior = InstrumentBehavior.Succeeds)
    {
        var associated = Configured(payment).AssociateBuyer(Selection(behavior), Times.T0.AddMinutes(1));
        Assert.Null(associated.Error);
        return associated.Value.Value;
    }

    /// <summary>A session the buyer has been through processing with, still Open.</summary>
    public static CheckoutSession Processed(PaymentDetails? payment = null, InstrumentBehavior behavior = InstrumentBehavior.Succeeds)
    {
        var processed = Ready(payment, behavior).Process(Times.T0.AddMinutes(2));
        Assert.Null(processed.Error);
        Assert.True(processed.Value.Value.Processed);
        return processed.Value.Value;
    }

    public static CompletedCheckout Completed(
        PaymentDetails? payment = null, InstrumentBehavior behavior = InstrumentBehavior.Succeeds, DateTimeOffset? at = null, IIdGenerator? ids = null)
    {
        var session = Processed(payment, behavior);
        var completed = CheckoutCompletion.Complete(
            session, session.PaymentDetails.ChargeAmount!.Value, null, ids ?? new SequentialIds(), null, at ?? Times.T0.AddMinutes(3), Limits.Default);
        Assert.Null(completed.Error);
        return completed.Value!;
    }

    public static ChargePermission Permission(Money amountLimit, string id = "S01-0000000-0000001") => new()
    {
        ChargePermissionId = id,
        MerchantId = MerchantId,
        Environment = ReleaseEnvironment.Sandbox,
        CheckoutSessionId = "cs-0001",
        StoreId = StoreId,
        Buyer = new BuyerDetails(Jane.BuyerId, Jane.Name, Jane.Email, Jane.PhoneNumber),
        ShippingAddress = JaneHome,
        BillingAddress = Jane.BillingAddress,
        PaymentDescriptor = "Visa ****1111",
        InstrumentId = "visa-1111",
        LastUpdatedTimestamp = Times.T0,
        CreationTimestamp = Times.T0,
        ExpirationTimestamp = Times.T0.AddDays(180),
        PresentmentCurrency = amountLimit.Currency,
        AmountLimit = amountLimit,
    };

    /// <summary>A plain authorization request: no capture, no descriptor, no pending authorization.</summary>
    public static ChargeRequest Request(Money amount, bool captureNow = false, bool canHandlePendingAuthorization = false) =>
        new(amount, captureNow, null, canHandlePendingAuthorization);

    /// <summary>An Authorized charge of <paramref name="amount"/> on a permission whose limit is amount + allowance.</summary>
    public static (Charge Charge, ChargePermission Permission) Authorized(Money amount, DateTimeOffset? at = null)
    {
        var permission = Permission(amount + Limits.Default.OverCaptureAllowance(amount));
        var charge = Charge.Authorize(
            permission, permission.ChargePermissionId + "-C000001", Request(amount), AuthorizationOutcome.Approved, at ?? Times.T0, Limits.Default);
        Assert.Equal(ChargeState.Authorized, charge.Value.State);
        return (charge.Value, permission);
    }
}
