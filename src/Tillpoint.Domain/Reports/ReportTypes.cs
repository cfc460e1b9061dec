namespace Tillpoint.Domain.Reports;

/// <summary>
/// The report types of the API (spec §1.8), by their wire names, and what each allows: manual creation, schedules, and
/// the environment that offers it. Live offers every type but the sandbox settlement report; what the sandbox offers is
/// <see cref="SandboxReportTypes"/>.
/// </summary>
public static class ReportTypes
{
    public const string Settlement = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_";
    public const string SandboxSettlement = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_";
    public const string OrderReference = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_ORDER_REFERENCE_DATA_";
    public const string BillingAgreement = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_BILLING_AGREEMENT_DATA_";
    public const string Authorization = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_AUTHORIZATION_DATA_";
    public const string Capture = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_";
    public const string Refund = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_REFUND_DATA_";
    public const string MultiCurrency = "_GET_CSV_CUSTOM_OFFAMAZONPAYMENTS_MULTI_CURRENCY_PAYMENTS_DATA_";

    /// <summary>Every type, in the order of the API reference.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Settlement, SandboxSettlement, OrderReference, BillingAgreement, Authorization, Capture, Refund, MultiCurrency];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>Settlement reports are made per settlement by Amazon; they cannot be asked for.</summary>
    public static bool CanCreate(string type) => type != Settlement;

    /// <summary>Neither settlement reports nor the multi-currency report can be scheduled.</summary>
    public static bool CanSchedule(string type) => type is not (Settlement or MultiCurrency);

    public static bool OfferedIn(string type, ReleaseEnvironment environment, SandboxReportTypes sandbox) => environment switch
    {
        ReleaseEnvironment.Live => type != SandboxSettlement,
        _ => sandbox == SandboxReportTypes.Every || type == SandboxSettlement,
    };

    /// <summary>The refusal of a type for an operation, or null when it may be used: unknown, not offered here, or not allowed.</summary>
    public static DomainError? Check(string? type, string field, ReleaseEnvironment environment, SandboxReportTypes sandbox, bool scheduling)
    {
        if (type is null)
        {
            return DomainError.Missing(field);
        }

        if (!IsKnown(type))
        {
            return DomainError.InvalidValue(field, $"'{type}' is not a report type.");
        }

        if (!OfferedIn(type, environment, sandbox))
        {
            return DomainError.InvalidValue(
                field,
                environment == ReleaseEnvironment.Sandbox
                    ? $"the sandbox offers only {SandboxSettlement}."
                    : $"{SandboxSettlement} is offered in the sandbox only.");
        }

        if (scheduling ? !CanSchedule(type) : !CanCreate(type))
        {
            return DomainError.InvalidValue(
                field, scheduling ? $"{type} reports cannot be scheduled." : $"{type} reports are made per settlement and cannot be requested.");
        }

        return null;
    }
}

/// <summary>
/// Which report types the sandbox offers. Amazon documents the sandbox settlement report only, yet the official SDKs' own
/// tests create an authorization report in the sandbox and expect 201; Tillpoint follows the SDKs unless told otherwise.
/// </summary>
public enum SandboxReportTypes
{
    /// <summary>Every type that may be asked for, built from the sandbox's own payments.</summary>
    Every,

    /// <summary>The sandbox settlement report alone, as Amazon documents it; any other type is refused.</summary>
    Settlement,
}
