namespace Tillpoint.Domain.Buyers;

/// <summary>What the simulated processor does when a buyer pays with an instrument (spec §10.1).</summary>
public enum InstrumentBehavior
{
    /// <summary>Authorizes (and captures) at once.</summary>
    Succeeds,

    /// <summary>The buyer aborts during processing: the session is canceled with BuyerCanceled.</summary>
    BuyerCancels,

    /// <summary>Authorization is declined at checkout: the session is canceled with Declined.</summary>
    Declines,

    /// <summary>Authorization is pending, then succeeds after the sandbox delay.</summary>
    PendingThenAuthorized,

    /// <summary>Authorization is pending, then is hard-declined after the sandbox delay.</summary>
    PendingThenDeclined,

    /// <summary>
    /// Authorization is soft-declined during processing: the buyer is asked to choose another payment method and the
    /// session stays Open. Later charges on a permission set up with it are declined with SoftDeclined.
    /// </summary>
    SoftDeclines,
}

public sealed record PaymentInstrument(string InstrumentId, string Brand, string LastDigits, InstrumentBehavior Behavior)
{
    /// <summary>The text merchants see in paymentPreferences, e.g. "Visa ****1111".</summary>
    public string Descriptor => $"{Brand} ****{LastDigits}";
}

public sealed record SandboxBuyer(
    string BuyerId,
    string Name,
    string Email,
    string PhoneNumber,
    IReadOnlyList<Address> Addresses,
    IReadOnlyList<PaymentInstrument> Instruments)
{
    public Address BillingAddress => Addresses[0];
}

/// <summary>
/// The sandbox test buyers offered on the hosted pages. Instrument ids are stable so tests and scripts can name them.
/// </summary>
public static class SandboxBuyers
{
    private static readonly IReadOnlyList<PaymentInstrument> Instruments =
    [
        new("visa-1111", "Visa", "1111", InstrumentBehavior.Succeeds),
        new("mastercard-4444", "Mastercard", "4444", InstrumentBehavior.Succeeds),
        new("amex-0005", "American Express", "0005", InstrumentBehavior.Succeeds),
        new("discover-9424", "Discover", "9424", InstrumentBehavior.Succeeds),
        new("jcb-0000", "JCB", "0000", InstrumentBehavior.Succeeds),
        new("visa-3064", "Visa", "3064", InstrumentBehavior.BuyerCancels),
        new("visa-3434", "Visa", "3434", InstrumentBehavior.Declines),
        new("visa-0701", "Visa", "0701", InstrumentBehavior.PendingThenAuthorized),
        new("visa-4354", "Visa", "4354", InstrumentBehavior.PendingThenDeclined),
        new("visa-2222", "Visa", "2222", InstrumentBehavior.SoftDeclines),
    ];

    public static IReadOnlyList<SandboxBuyer> All { get; } =
    [
        new(
            "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJANE",
            "Jane Doe",
            "jane.doe@buyers.tillpoint.test",
            "+1 206-555-0100",
            [
                new("Jane Doe", "410 Terry Ave N", null, null, "Seattle", null, null, "WA", "98109", "US", "+1 206-555-0100"),
                new("Jane Doe", "100 Main Street", "Apt 4", null, "Portland", null, null, "OR", "97201", "US", "+1 503-555-0101"),
                new("Jane Doe", "PO Box 1234", null, null, "Bellevue", null, null, "WA", "98009", "US", "+1 206-555-0100"),
            ],
            Instruments),
        new(
            "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN",
            "John Smith",
            "john.smith@buyers.tillpoint.test",
            "+1 212-555-0199",
            [
                new("John Smith", "350 Fifth Avenue", null, null, "New York", null, null, "NY", "10118", "US", "+1 212-555-0199"),
            ],
            Instruments),
        new(
            "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXERIKA",
            "Erika Mustermann",
            "erika.mustermann@buyers.tillpoint.test",
            "+49 30 5550123",
            [
                new("Erika Mustermann", "Heidestraße 17", null, null, "Berlin", null, null, null, "10557", "DE", "+49 30 5550123"),
                new("Erika Mustermann", "Packstation 105", "12345678", null, "Köln", null, null, null, "50667", "DE", "+49 30 5550123"),
            ],
            Instruments),
    ];

    public static SandboxBuyer? Find(string? buyerId) => All.FirstOrDefault(b => b.BuyerId == buyerId);

    public static PaymentInstrument? FindInstrument(SandboxBuyer buyer, string? instrumentId) =>
        buyer.Instruments.FirstOrDefault(i => i.InstrumentId == instrumentId);
}
