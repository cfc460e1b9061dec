using Tillpoint.Domain.Throttling;

namespace Tillpoint.Server.Throttling;

/// <summary>An operation's request quotas in each environment, and whether Amazon publishes them.</summary>
internal readonly record struct OperationQuotas(RequestQuota Live, RequestQuota Sandbox, bool Published)
{
    public RequestQuota In(ReleaseEnvironment environment) => environment == ReleaseEnvironment.Sandbox ? Sandbox : Live;
}

/// <summary>
/// Amazon's per-operation request quotas (spec §12.1 and §8.1 of the supplement), keyed by the operation's name in
/// <c>Api/ApiOperations</c>; a test keeps every operation in this table. Operations Amazon publishes no quota for take
/// the suggested defaults of their kind: a read 20 burst and 4 a second live, 5 and 1 in the sandbox; a write 10 and 2
/// live, 2 and 1 in the sandbox. Get Authorization Token is live-only at Amazon ("N/A" in the sandbox); the sandbox
/// here gives it the read default.
/// </summary>
internal static class AmazonQuotas
{
    private static readonly OperationQuotas Read = Unpublished(new(20, 4), new(5, 1));
    private static readonly OperationQuotas Write = Unpublished(new(10, 2), new(2, 1));

    public static IReadOnlyDictionary<string, OperationQuotas> ByOperation { get; } = new Dictionary<string, OperationQuotas>(StringComparer.Ordinal)
    {
        ["CreateCheckoutSession"] = Published(40, 16, 5, 1),
        ["GetCheckoutSession"] = Published(40, 8, 10, 1),
        ["UpdateCheckoutSession"] = Published(20, 8, 5, 1),
        ["CompleteCheckoutSession"] = Published(20, 4, 2, 1),
        ["FinalizeCheckoutSession"] = Write,
        ["GetChargePermission"] = Published(20, 4, 10, 1),
        ["UpdateChargePermission"] = Published(10, 2, 5, 1),
        ["CloseChargePermission"] = Published(10, 2, 2, 1),
        ["CreateCharge"] = Published(10, 4, 2, 1),
        ["GetCharge"] = Published(20, 4, 5, 1),
        ["CaptureCharge"] = Published(20, 4, 2, 1),
        ["CancelCharge"] = Published(10, 2, 2, 1),
        ["UpdateCharge"] = Write,
        ["CreateRefund"] = Published(10, 4, 2, 1),
        ["GetRefund"] = Published(20, 4, 5, 1),
        ["CreateDeliveryTracker"] = Published(10, 1, 1, 1),
        ["GetBuyer"] = Read,
        ["GetAuthorizationToken"] = new(new(5, 1), Read.Sandbox, Published: true),
        ["GetReports"] = Read,
        ["GetReportById"] = Read,
        ["CreateReport"] = Write,
        ["GetReportDocument"] = Read,
        ["GetReportSchedules"] = Read,
        ["GetReportScheduleById"] = Read,
        ["CreateReportSchedule"] = Write,
        ["CancelReportSchedule"] = Write,
        ["GetDisbursements"] = Read,
        // Both generations of the account APIs share a path (spec §3.1); Create Merchant Account's published quota
        // holds for the POST, whichever generation answers it.
        ["CreateMerchantAccount"] = Published(10, 1, 1, 1),
        ["UpdateMerchantAccount"] = Write,
        ["DeleteAmazonPayAccount"] = Write,
        ["MerchantAccountClaim"] = Write,
        ["CreateStore"] = Write,
        ["UpdateStore"] = Write,
        ["MerchantScan"] = Write,
        ["InStoreCharge"] = Write,
        ["InStoreRefund"] = Write,
        ["CreateDispute"] = Write,
        ["GetDispute"] = Read,
        ["UpdateDispute"] = Write,
        ["ContestDispute"] = Write,
        ["UploadFile"] = Write,
    };

    /// <summary>The quotas of <paramref name="operation"/>; null for what is no operation (an unknown path).</summary>
    public static OperationQuotas? Of(string operation) => ByOperation.TryGetValue(operation, out var quotas) ? quotas : null;

    private static OperationQuotas Published(int liveBurst, double liveRestore, int sandboxBurst, double sandboxRestore) =>
        new(new(liveBurst, liveRestore), new(sandboxBurst, sandboxRestore), Published: true);

    private static OperationQuotas Unpublished(RequestQuota live, RequestQuota sandbox) => new(live, sandbox, Published: false);
}
