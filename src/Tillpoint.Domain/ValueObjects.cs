using System.Text.RegularExpressions;

namespace Tillpoint.Domain;

/// <summary>A postal address as the API returns it.</summary>
public sealed record Address(
    string? Name,
    string? AddressLine1,
    string? AddressLine2,
    string? AddressLine3,
    string? City,
    string? County,
    string? District,
    string? StateOrRegion,
    string? PostalCode,
    string? CountryCode,
    string? PhoneNumber);

/// <summary>The buyer data a merchant may see, already filtered by the session's scopes.</summary>
public sealed record BuyerDetails(string BuyerId, string? Name, string? Email, string? PhoneNumber);

/// <summary>Merchant-owned free text attached to sessions, permissions and charges.</summary>
public sealed record MerchantMetadata(
    string? MerchantReferenceId,
    string? MerchantStoreName,
    string? NoteToBuyer,
    string? CustomInformation)
{
    public static MerchantMetadata Empty { get; } = new(null, null, null, null);

    /// <summary>Fields given in an update replace the stored ones; absent fields stay.</summary>
    public MerchantMetadata Merge(MerchantMetadata? update) => update is null
        ? this
        : new MerchantMetadata(
            update.MerchantReferenceId ?? MerchantReferenceId,
            update.MerchantStoreName ?? MerchantStoreName,
            update.NoteToBuyer ?? NoteToBuyer,
            update.CustomInformation ?? CustomInformation);

    public DomainError? Validate(Limits limits) =>
        DomainError.TooLong("merchantMetadata.merchantReferenceId", MerchantReferenceId, limits.MerchantReferenceIdMaxLength)
        ?? DomainError.TooLong("merchantMetadata.merchantStoreName", MerchantStoreName, limits.MerchantStoreNameMaxLength)
        ?? DomainError.TooLong("merchantMetadata.noteToBuyer", NoteToBuyer, limits.NoteToBuyerMaxLength)
        ?? DomainError.TooLong("merchantMetadata.customInformation", CustomInformation, limits.CustomInformationMaxLength);
}

/// <summary>Where a shipping address may or may not be, per country (request's deliverySpecifications).</summary>
public sealed record AddressRestriction(IReadOnlyList<string> StatesOrRegions, IReadOnlyList<string> ZipCodes);

public enum AddressRestrictionType
{
    Allowed,
    NotAllowed,
}

public enum SpecialRestriction
{
    RestrictPOBoxes,
    RestrictPackstations,
}

public sealed partial record DeliverySpecifications(
    IReadOnlyList<SpecialRestriction>? SpecialRestrictions,
    AddressRestrictionType? AddressRestrictionType,
    IReadOnlyDictionary<string, AddressRestriction>? AddressRestrictions)
{
    /// <summary>Whether the buyer may ship to <paramref name="address"/> under these restrictions.</summary>
    public bool Permits(Address address)
    {
        var lines = $"{address.AddressLine1}\n{address.AddressLine2}\n{address.AddressLine3}";
        if (SpecialRestrictions?.Contains(SpecialRestriction.RestrictPOBoxes) == true && PostOfficeBox().IsMatch(lines))
        {
            return false;
        }

        if (SpecialRestrictions?.Contains(SpecialRestriction.RestrictPackstations) == true
            && lines.Contains("Packstation", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (AddressRestrictions is null || AddressRestrictionType is null)
        {
            return true;
        }

        var matches = address.CountryCode is not null
            && AddressRestrictions.TryGetValue(address.CountryCode, out var rule)
            && Matches(rule, address);
        return AddressRestrictionType == Domain.AddressRestrictionType.Allowed ? matches : !matches;
    }

    /// <summary>"PO Box", "P.O. Box", "P O Box", "Post Office Box".</summary>
    [GeneratedRegex(@"\b(P\.?\s*O\.?|Post\s+Office)\s*Box\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PostOfficeBox();

    private static bool Matches(AddressRestriction rule, Address address)
    {
        // A country listed with no states or zip codes matches the whole country.
        if (rule.StatesOrRegions.Count == 0 && rule.ZipCodes.Count == 0)
        {
            return true;
        }

        return rule.StatesOrRegions.Contains(address.StateOrRegion ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            || rule.ZipCodes.Contains(address.PostalCode ?? string.Empty, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>What kind of object an event or notification is about.</summary>
public enum ObjectType
{
    CheckoutSession,
    ChargePermission,
    Charge,
    Refund,
    Dispute,
}

/// <summary>
/// One state change: the audit trail, the dashboard's timeline and the source of notifications.
/// Amount is the amount the change concerns (authorized, captured, refunded), where there is one.
/// </summary>
public sealed record DomainEvent(
    ObjectType ObjectType,
    string ObjectId,
    string? ChargePermissionId,
    string? FromState,
    string ToState,
    string? ReasonCode,
    Money? Amount,
    DateTimeOffset At,
    string? Detail = null);

/// <summary>A new version of an aggregate plus the events that produced it.</summary>
public readonly record struct Transition<T>(T Value, IReadOnlyList<DomainEvent> Events);
