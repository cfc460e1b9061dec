using Tillpoint.Domain;

namespace Tillpoint.Storage.Documents;

/// <summary>An amount as stored: <c>{"amount":14.00,"currency":"USD"}</c>, the decimal written with its scale.</summary>
internal readonly record struct StoredMoney(decimal Amount, Currency Currency)
{
    public static StoredMoney From(Money money) => new(money.Amount, money.Currency);

    public static StoredMoney? From(Money? money) => money is { } m ? From(m) : null;

    public Money ToDomain() => new(Amount, Currency);
}

internal sealed record StoredAddress(
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
    string? PhoneNumber)
{
    public static StoredAddress? From(Address? address) => address is null
        ? null
        : new(
            address.Name,
            address.AddressLine1,
            address.AddressLine2,
            address.AddressLine3,
            address.City,
            address.County,
            address.District,
            address.StateOrRegion,
            address.PostalCode,
            address.CountryCode,
            address.PhoneNumber);

    public Address ToDomain() =>
        new(Name, AddressLine1, AddressLine2, AddressLine3, City, County, District, StateOrRegion, PostalCode, CountryCode, PhoneNumber);
}

internal sealed record StoredBuyerDetails(string BuyerId, string? Name, string? Email, string? PhoneNumber)
{
    public static StoredBuyerDetails From(BuyerDetails buyer) => new(buyer.BuyerId, buyer.Name, buyer.Email, buyer.PhoneNumber);

    public BuyerDetails ToDomain() => new(BuyerId, Name, Email, PhoneNumber);
}

internal sealed record StoredMerchantMetadata(
    string? MerchantReferenceId,
    string? MerchantStoreName,
    string? NoteToBuyer,
    string? CustomInformation)
{
    public static StoredMerchantMetadata? From(MerchantMetadata? metadata) => metadata is null
        ? null
        : new(metadata.MerchantReferenceId, metadata.MerchantStoreName, metadata.NoteToBuyer, metadata.CustomInformation);

    public MerchantMetadata ToDomain() => new(MerchantReferenceId, MerchantStoreName, NoteToBuyer, CustomInformation);
}
