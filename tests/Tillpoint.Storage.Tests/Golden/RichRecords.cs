using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// Today's records with every field set, unlike the golden records, which stay as their files were written: a field
/// added to a domain record is set here, and the round trip through the stored document then proves it is mapped.
/// </summary>
internal static class RichRecords
{
    public static CheckoutSession CheckoutSession => GoldenRecordsV3.RichCheckoutSession;

    public static ChargePermission ChargePermission => GoldenRecordsV2.RichChargePermission;

    public static Charge Charge => GoldenRecordsV1.RichCharge;

    public static Refund Refund => GoldenRecordsV1.RichRefund;
}
