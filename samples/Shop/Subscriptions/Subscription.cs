namespace Tillpoint.Shop.Subscriptions;

/// <summary>The one thing the shop sells by subscription: a monthly plan, the first month paid at checkout.</summary>
public static class SubscriptionPlan
{
    public const string Name = "Tillpoint coffee club";

    public const string Description = "A bag of freshly roasted beans every month. Cancel whenever you like.";

    public const decimal MonthlyPrice = 14.00m;
}

/// <summary>Where a subscription stands.</summary>
public enum SubscriptionState
{
    /// <summary>Signed up; the buyer is on Amazon Pay's processing page or has not come back yet.</summary>
    AwaitingPayment,

    /// <summary>Paid up to <see cref="Subscription.NextChargeAt"/>; the shop charges the next month then.</summary>
    Active,

    /// <summary>A month's charge was declined; <see cref="Subscription.Problem"/> says why. The buyer can choose another payment method at Amazon Pay.</summary>
    PaymentFailed,

    /// <summary>The checkout was canceled, or the agreement closed (by the buyer, the shop or Amazon Pay).</summary>
    Canceled,
}

/// <summary>One month's charge on the subscription's Charge Permission.</summary>
public sealed record SubscriptionCharge(string ChargeId, DateTimeOffset Month, decimal Amount, string State);

/// <summary>
/// A buyer's subscription: the Recurring Charge Permission Amazon Pay keeps, and the months the shop has charged on it.
/// Amazon Pay never charges on its own; the shop charges each month (<see cref="SubscriptionPayments.ChargeDueAsync"/>).
/// </summary>
public sealed record Subscription
{
    public required int Number { get; init; }

    public required string CheckoutSessionId { get; init; }

    public required DateTimeOffset SignedUpAt { get; init; }

    public string? BuyerName { get; init; }

    public string? BuyerEmail { get; init; }

    public SubscriptionState State { get; init; } = SubscriptionState.AwaitingPayment;

    public string? ChargePermissionId { get; init; }

    /// <summary>When the next month falls due; null until the first month is paid.</summary>
    public DateTimeOffset? NextChargeAt { get; init; }

    public IReadOnlyList<SubscriptionCharge> Charges { get; init; } = [];

    /// <summary>
    /// How many charges of the due month were refused: part of the next try's idempotency key, since Amazon Pay
    /// remembers a refusal with its key and would only replay it.
    /// </summary>
    public int RefusedAttempts { get; init; }

    /// <summary>Amazon Pay's reason code for a decline or a closed agreement.</summary>
    public string? Problem { get; init; }

    public string Reference => $"S{Number}";
}
