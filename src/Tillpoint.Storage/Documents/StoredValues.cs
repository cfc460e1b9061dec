using Tillpoint.Domain;

namespace Tillpoint.Storage.Documents;

// The storage types are plain classes with setters rather than records with constructors or init-only properties:
// source-generated deserialization then fills them as it reads, instead of collecting each value (boxed) in an argument
// array first, which more than pays for the mapping to the domain records.

/// <summary>An amount as stored: <c>{"amount":14.00,"currency":"USD"}</c>, the decimal written with its scale.</summary>
internal sealed class StoredMoney
{
    public decimal Amount { get; set; }

    public Currency Currency { get; set; }

    public static StoredMoney From(Money money) => new() { Amount = money.Amount, Currency = money.Currency };

    public static StoredMoney? From(Money? money) => money is { } m ? From(m) : null;

    public Money ToDomain() => new(Amount, Currency);
}

internal sealed class StoredAddress
{
    public string? Name { get; set; }

    public string? AddressLine1 { get; set; }

    public string? AddressLine2 { get; set; }

    public string? AddressLine3 { get; set; }

    public string? City { get; set; }

    public string? County { get; set; }

    public string? District { get; set; }

    public string? StateOrRegion { get; set; }

    public string? PostalCode { get; set; }

    public string? CountryCode { get; set; }

    public string? PhoneNumber { get; set; }

    public static StoredAddress? From(Address? address) => address is null
        ? null
        : new()
        {
            Name = address.Name,
            AddressLine1 = address.AddressLine1,
            AddressLine2 = address.AddressLine2,
            AddressLine3 = address.AddressLine3,
            City = address.City,
            County = address.County,
            District = address.District,
            StateOrRegion = address.StateOrRegion,
            PostalCode = address.PostalCode,
            CountryCode = address.CountryCode,
            PhoneNumber = address.PhoneNumber,
        };

    public Address ToDomain() =>
        new(Name, AddressLine1, AddressLine2, AddressLine3, City, County, District, StateOrRegion, PostalCode, CountryCode, PhoneNumber);
}

internal sealed class StoredBuyerDetails
{
    public string BuyerId { get; set; } = null!;

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? PhoneNumber { get; set; }

    public static StoredBuyerDetails From(BuyerDetails buyer) =>
        new() { BuyerId = buyer.BuyerId, Name = buyer.Name, Email = buyer.Email, PhoneNumber = buyer.PhoneNumber };

    public BuyerDetails ToDomain() => new(BuyerId, Name, Email, PhoneNumber);
}

internal sealed class StoredMerchantMetadata
{
    public string? MerchantReferenceId { get; set; }

    public string? MerchantStoreName { get; set; }

    public string? NoteToBuyer { get; set; }

    public string? CustomInformation { get; set; }

    public static StoredMerchantMetadata? From(MerchantMetadata? metadata) => metadata is null
        ? null
        : new()
        {
            MerchantReferenceId = metadata.MerchantReferenceId,
            MerchantStoreName = metadata.MerchantStoreName,
            NoteToBuyer = metadata.NoteToBuyer,
            CustomInformation = metadata.CustomInformation,
        };

    public MerchantMetadata ToDomain() => new(MerchantReferenceId, MerchantStoreName, NoteToBuyer, CustomInformation);
}
