namespace Tillpoint.Domain;

/// <summary>
/// Every number the money and lifetime rules use, in one place so that a deployment can tune them.
/// Defaults follow Amazon Pay's published rules; the over-capture rule for captures is an assumption (spec §7.3).
/// </summary>
public sealed record Limits
{
    public static Limits Default { get; } = new();

    /// <summary>A capture or the charge-permission limit may exceed the order amount by this fraction…</summary>
    public decimal OverCaptureFraction { get; init; } = 0.15m;

    /// <summary>…but by no more than this absolute amount per currency (whichever is less).</summary>
    public IReadOnlyDictionary<Currency, decimal> OverCaptureCap { get; init; } =
        PerCurrency.ToDictionary(c => c.Currency, c => c.OverCaptureCap);

    /// <summary>The largest single charge or refund per currency.</summary>
    public IReadOnlyDictionary<Currency, decimal> MaxTransactionAmount { get; init; } =
        PerCurrency.ToDictionary(c => c.Currency, c => c.MaxTransaction);

    public int MaxChargesPerChargePermission { get; init; } = 25;

    /// <summary>Refunds per charge; Amazon documents a limit without its number, the legacy API allowed 10.</summary>
    public int MaxRefundsPerCharge { get; init; } = 10;

    public int ClosureReasonMaxLength { get; init; } = 255;

    public int CancellationReasonMaxLength { get; init; } = 255;

    public int SoftDescriptorMaxLength { get; init; } = 16;

    public int MerchantReferenceIdMaxLength { get; init; } = 256;

    public int MerchantStoreNameMaxLength { get; init; } = 50;

    public int NoteToBuyerMaxLength { get; init; } = 255;

    public int CustomInformationMaxLength { get; init; } = 4096;

    public int UrlMaxLength { get; init; } = 2048;

    public int SupplementaryDataMaxLength { get; init; } = 1024;

    public int PlatformIdMaxLength { get; init; } = 64;

    public TimeSpan CheckoutSessionLifetime { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan AuthorizationLifetime { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan ChargePermissionLifetime { get; init; } = TimeSpan.FromDays(180);

    public TimeSpan ExtendedChargePermissionLifetime { get; init; } = TimeSpan.FromDays(396);

    /// <summary>A Recurring permission closes (Expired) this long after its last charge, or its creation: 13 months.</summary>
    public TimeSpan RecurringChargePermissionLifetime { get; init; } = TimeSpan.FromDays(396);

    /// <summary>The largest <c>recurringMetadata.frequency.value</c> accepted (a limit on everything; Amazon states none).</summary>
    public int RecurringFrequencyValueMax { get; init; } = 365;

    /// <summary>
    /// The most a Recurring permission may be charged per calendar month (UTC), per currency. Amazon publishes USD 1,000
    /// for the US; the rest are its legacy billing-agreement figures, the same in every region that offers the currency.
    /// </summary>
    public IReadOnlyDictionary<Currency, decimal> RecurringMonthlyCap { get; init; } =
        PerCurrency.ToDictionary(c => c.Currency, c => c.RecurringMonthlyCap);

    /// <summary>The most a PaymentMethodOnFile (saved wallet) permission may be charged per calendar month (UTC), per currency.</summary>
    public IReadOnlyDictionary<Currency, decimal> PaymentMethodOnFileMonthlyCap { get; init; } =
        PerCurrency.ToDictionary(c => c.Currency, c => c.PaymentMethodOnFileMonthlyCap);

    /// <summary>A capture this long after authorization is processed asynchronously (CaptureInitiated).</summary>
    public TimeSpan SynchronousCaptureWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long simulated asynchronous outcomes take, as in Amazon's sandbox.</summary>
    public TimeSpan SandboxAsyncDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a merchant has to contest a chargeback (the SDKs' changelogs: 11 days; 7 for A-to-z claims).</summary>
    public TimeSpan DisputeResponseWindow { get; init; } = TimeSpan.FromDays(11);

    /// <summary>
    /// Whether a dispute's amount is taken from its charge's refundable amount while it is open and once the buyer won it
    /// (spec §2.11 leaves this open). On by default: money a buyer may get back through their bank cannot also be refunded.
    /// </summary>
    public bool DisputesReduceRefundable { get; init; } = true;

    /// <summary>Which report types the sandbox offers (spec §1.1 against the SDKs' own tests; see <see cref="Reports.SandboxReportTypes"/>).</summary>
    public Reports.SandboxReportTypes SandboxReportTypes { get; init; } = Reports.SandboxReportTypes.Every;

    /// <summary>Evidence items one Contest Dispute may send.</summary>
    public int MaxMerchantEvidences { get; init; } = 20;

    public int EvidenceTextMaxLength { get; init; } = 4096;

    public int ProviderDisputeIdMaxLength { get; init; } = 255;

    public int DisputeReasonDescriptionMaxLength { get; init; } = 255;

    /// <summary>The most a capture (or the permission's total) may exceed <paramref name="amount"/> by.</summary>
    public Money OverCaptureAllowance(Money amount)
    {
        var fraction = new Money(amount.Amount * OverCaptureFraction, amount.Currency).Truncated();
        var cap = new Money(OverCaptureCap[amount.Currency], amount.Currency);
        return Money.Min(fraction, cap);
    }

    public Money MaxTransaction(Currency currency) => new(MaxTransactionAmount[currency], currency);

    /// <summary>What a permission of <paramref name="type"/> may be charged per calendar month; null for OneTime, which has a total limit instead.</summary>
    public Money? MonthlyCap(CheckoutSessions.ChargePermissionType type, Currency currency) => type switch
    {
        CheckoutSessions.ChargePermissionType.OneTime => null,
        CheckoutSessions.ChargePermissionType.Recurring => new Money(RecurringMonthlyCap[currency], currency),
        CheckoutSessions.ChargePermissionType.PaymentMethodOnFile => new Money(PaymentMethodOnFileMonthlyCap[currency], currency),
    };

    /// <summary>Amazon's per-currency figures, one row per currency so none is missing from either rule.</summary>
    private static (Currency Currency, decimal OverCaptureCap, decimal MaxTransaction, decimal RecurringMonthlyCap, decimal PaymentMethodOnFileMonthlyCap)[] PerCurrency =>
    [
        (Currency.USD, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.EUR, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.GBP, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.JPY, 8400m, 10_000_000m, 100_000m, 2_000_000m),
        (Currency.AUD, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.CHF, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.DKK, 750m, 1_500_000m, 10_000m, 150_000m),
        (Currency.HKD, 750m, 1_500_000m, 10_000m, 150_000m),
        (Currency.NOK, 750m, 1_500_000m, 10_000m, 150_000m),
        (Currency.NZD, 75m, 150_000m, 1_000m, 15_000m),
        (Currency.SEK, 750m, 1_500_000m, 10_000m, 150_000m),
        (Currency.ZAR, 750m, 1_500_000m, 10_000m, 150_000m),
    ];
}
