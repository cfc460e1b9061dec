using System.Security.Cryptography;
using System.Text;
using Tillpoint.Shop.Orders;

namespace Tillpoint.Shop.Payments;

/// <summary>
/// Idempotency keys derived from the order, never random, for the calls that move money: a retried request (a reload,
/// a double click, two tabs, a crash between the call and saving its answer) sends the same key, and Amazon Pay
/// replays the first answer instead of capturing or refunding twice. (Complete Checkout Session gets a fresh key; see
/// <see cref="OrderPayments.CompleteCheckoutAsync"/>.)
/// </summary>
/// <remarks>
/// A key is the purpose plus a hash of the order number and the ids the request acts on. Hashing in the ids keeps keys
/// unique for good, as they must be (they are remembered per merchant), even when the shop's order numbers start
/// over with a new database. Keys are at most 32 characters of <c>A-Z a-z 0-9 -</c>.
/// </remarks>
public static class IdempotencyKeys
{
    private const int MaxLength = 32;

    public static string Capture(Order order) => Key("capture", order.Reference, order.ChargeId);

    /// <summary>One refund per order and amount: asking again for the same amount is the same refund.</summary>
    public static string Refund(Order order, decimal amount) => Key("refund", order.Reference, order.ChargeId, Catalog.Money.ApiAmount(amount));

    public static string DeliveryTracker(Order order, string trackingNumber) => Key("ship", order.Reference, order.ChargePermissionId, trackingNumber);

    /// <summary>
    /// One charge per subscription, month and try: a second run of the month's charges charges nobody twice, and a try
    /// after a decline is a new request.
    /// </summary>
    public static string Renewal(Subscriptions.Subscription subscription, DateTimeOffset month) => Key(
        "renew",
        subscription.Reference,
        subscription.ChargePermissionId,
        month.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        subscription.RefusedAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Key(string purpose, params string?[] parts)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
        return $"{purpose}-{hash[..(MaxLength - purpose.Length - 1)]}";
    }
}
