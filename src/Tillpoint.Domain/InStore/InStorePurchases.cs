using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.InStore;

/// <summary>The merchant's notes on an in-store purchase (the request's <c>metadata</c>).</summary>
public sealed record InStoreMetadata(string? MerchantNote, string? CustomInformation, string? MerchantStoreName, string? MerchantOrderId);

/// <summary>Merchant Scan, as the server checked it: the buyer's code and where it was scanned.</summary>
public sealed record MerchantScan(
    string ScanData,
    string ScanReferenceId,
    string MerchantCountryOfEstablishment,
    Currency LedgerCurrency,
    Money? ChargeTotal,
    string? StoreCountryCode,
    InStoreMetadata? Metadata);

/// <summary>
/// The in-store API (spec §5): a scanned buyer code becomes a charge permission, an in-store charge is a charge
/// captured at once on it, and an in-store refund is a refund of that charge. Everything after the scan goes through
/// <see cref="PaymentLedger"/>, so in-store money obeys the same rules as web checkout money and is counted with it.
/// </summary>
public static class InStorePurchases
{
    public const int ScanDataMaxLength = 1024;

    /// <summary>Reference ids are the merchant's own; the official tests send 32 hexadecimal digits.</summary>
    public const int ReferenceIdMaxLength = 64;

    public const int MerchantNoteMaxLength = 255;

    /// <summary>A scanned code pays for what is rung up at that till: its permission lapses after a day.</summary>
    public static readonly TimeSpan ChargePermissionLifetime = TimeSpan.FromDays(1);

    /// <summary>In-store charges are point-of-sale charges (the channel Create Charge names so).</summary>
    public const string Channel = "PointOfSale";

    /// <summary>The buyer behind a scanned code in the sandbox, when the code names no test instrument.</summary>
    private const string DefaultInstrumentId = "visa-1111";

    public static DomainError? Validate(MerchantScan scan, Limits limits) =>
        Required("scanData", scan.ScanData, ScanDataMaxLength)
        ?? ReferenceId("scanReferenceId", scan.ScanReferenceId)
        ?? MerchantAccounts.MerchantAccount.CountryCode("merchantCOE", scan.MerchantCountryOfEstablishment)
        ?? (scan.StoreCountryCode is null ? null : MerchantAccounts.MerchantAccount.CountryCode("storeLocation.countryCode", scan.StoreCountryCode))
        ?? (scan.ChargeTotal is { } total && total.Currency != scan.LedgerCurrency
            ? DomainError.CurrencyMismatch(scan.LedgerCurrency, total.Currency)
            : null)
        ?? Amounts.Validate("chargeTotal", scan.ChargeTotal, limits)
        ?? Validate(scan.Metadata, limits);

    public static DomainError? Validate(InStoreMetadata? metadata, Limits limits) => metadata is null
        ? null
        : DomainError.TooLong("metadata.merchantNote", metadata.MerchantNote, MerchantNoteMaxLength)
            ?? DomainError.TooLong("metadata.customInformation", metadata.CustomInformation, limits.CustomInformationMaxLength)
            ?? DomainError.TooLong("metadata.communicationContext.merchantStoreName", metadata.MerchantStoreName, limits.MerchantStoreNameMaxLength)
            ?? DomainError.TooLong("metadata.communicationContext.merchantOrderId", metadata.MerchantOrderId, limits.MerchantReferenceIdMaxLength);

    /// <summary>A reference id: 1 to 64 letters, digits, '-' or '_'.</summary>
    public static DomainError? ReferenceId(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DomainError.Missing(field);
        }

        if (value.Length > ReferenceIdMaxLength)
        {
            return DomainError.InvalidValue(field, $"it is longer than {ReferenceIdMaxLength} characters.");
        }

        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? null
            : DomainError.InvalidValue(field, "only letters, digits, '-' and '_' are allowed.");
    }

    /// <summary>
    /// The sandbox buyer and instrument a code stands for: a code that is the id of a sandbox test instrument (such as
    /// <c>visa-3434</c>, which declines) pays with it, any other code (the official SDKs' samples send
    /// <c>UKhrmatMeKdlfY6b</c>) with the first test buyer's Visa ending in 1111, which succeeds.
    /// </summary>
    public static (SandboxBuyer Buyer, PaymentInstrument Instrument) ScannedBuyer(string scanData)
    {
        var buyer = SandboxBuyers.All[0];
        var instrument = SandboxBuyers.FindInstrument(buyer, scanData) ?? SandboxBuyers.FindInstrument(buyer, DefaultInstrumentId)!;
        return (buyer, instrument);
    }

    /// <summary>
    /// The charge permission a scan makes. It has no checkout session; its limit is the chargeTotal the scan named
    /// (plus the usual allowance), or else the largest single transaction in the ledger currency.
    /// </summary>
    public static Transition<ChargePermission> Scan(
        MerchantScan scan, string chargePermissionId, string merchantId, string storeId, ReleaseEnvironment environment, DateTimeOffset now, Limits limits)
    {
        var (buyer, instrument) = ScannedBuyer(scan.ScanData);
        var limit = scan.ChargeTotal is { } total ? total + limits.OverCaptureAllowance(total) : limits.MaxTransaction(scan.LedgerCurrency);
        var permission = new ChargePermission
        {
            ChargePermissionId = chargePermissionId,
            MerchantId = merchantId,
            Environment = environment,
            CheckoutSessionId = string.Empty,
            StoreId = storeId,
            Buyer = new BuyerDetails(buyer.BuyerId, buyer.Name, buyer.Email, buyer.PhoneNumber),
            BillingAddress = buyer.BillingAddress,
            PaymentDescriptor = instrument.Descriptor,
            InstrumentId = instrument.InstrumentId,
            InstrumentBehavior = instrument.Behavior,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + ChargePermissionLifetime,
            MerchantMetadata = new MerchantMetadata(
                scan.ScanReferenceId, scan.Metadata?.MerchantStoreName, scan.Metadata?.MerchantNote, scan.Metadata?.CustomInformation),
            PresentmentCurrency = scan.LedgerCurrency,
            AmountLimit = limit,
        };
        return new Transition<ChargePermission>(permission, [permission.CreatedEvent()]);
    }

    /// <summary>An in-store charge: captured at once, never pending, its reference id as the merchant's reference.</summary>
    public static ChargeRequest ChargeRequest(Money chargeTotal, string chargeReferenceId, string? softDescriptor, InStoreMetadata? metadata) =>
        new(
            chargeTotal,
            CaptureNow: true,
            softDescriptor,
            CanHandlePendingAuthorization: false,
            new MerchantMetadata(chargeReferenceId, metadata?.MerchantStoreName, metadata?.MerchantNote, metadata?.CustomInformation),
            Channel: Channel);

    /// <summary>The in-store <c>chargeStatus.state</c> of a charge: Completed once captured.</summary>
    public static string ChargeStatus(Charge charge) => charge.State switch
    {
        ChargeState.Captured => "Completed",
        ChargeState.Declined => "Declined",
        ChargeState.Canceled => "Canceled",
        ChargeState.AuthorizationInitiated or ChargeState.Authorized or ChargeState.CaptureInitiated => "Pending",
    };

    /// <summary>The in-store <c>refundStatus.state</c> of a refund: Pending until it settles.</summary>
    public static string RefundStatus(Refund refund) => refund.State switch
    {
        RefundState.RefundInitiated => "Pending",
        RefundState.Refunded => "Completed",
        RefundState.Declined => "Declined",
    };

    private static DomainError? Required(string field, string? value, int maxLength) =>
        string.IsNullOrEmpty(value) ? DomainError.Missing(field) : DomainError.TooLong(field, value, maxLength);
}
