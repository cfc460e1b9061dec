using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// What the version 2 golden documents of checkout sessions and charge permissions hold. Version 2 added the recurring
/// and saved-wallet metadata and a saved wallet's missing expiry: the rich records are version 1's with those set, the
/// minimal permission is a saved wallet that never expires. These literals describe files that never change.
/// </summary>
internal static class GoldenRecordsV2
{
    private static readonly RecurringMetadata Recurring = new(new Frequency(FrequencyUnit.Week, 2), new Money(14.50m, Currency.EUR));

    public static CheckoutSession RichCheckoutSession { get; } = GoldenRecordsV1.RichCheckoutSession with
    {
        RecurringMetadata = Recurring,
        PaymentMethodOnFileMetadata = new PaymentMethodOnFileMetadata(true),
    };

    public static CheckoutSession MinimalCheckoutSession => GoldenRecordsV1.MinimalCheckoutSession;

    public static ChargePermission RichChargePermission { get; } = GoldenRecordsV1.RichChargePermission with
    {
        Reasons =
        [
            new ChargePermissionReason(ChargePermissionReasonCode.BuyerClosed, "The buyer closed the agreement in their account."),
            new ChargePermissionReason(ChargePermissionReasonCode.PaymentMethodInvalid, "The last charge was declined."),
        ],
        RecurringMetadata = Recurring,
        PaymentMethodOnFileMetadata = new PaymentMethodOnFileMetadata(true),
    };

    public static ChargePermission MinimalChargePermission { get; } = GoldenRecordsV1.MinimalChargePermission with
    {
        ChargePermissionType = ChargePermissionType.PaymentMethodOnFile,
        ExpirationTimestamp = null,
        AmountLimit = new Money(15_000m, Currency.USD),
    };
}
