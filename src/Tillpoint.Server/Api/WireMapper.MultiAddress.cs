using System.Text.Json;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>The fields of a PayAndShipMultiAddress checkout, which other checkouts leave out of their responses.</summary>
internal static partial class WireMapper
{
    /// <summary>
    /// Each address as the JSON text of an address with its id, every key written: the official SDKs parse each element
    /// with <c>JSON.parse</c> (Node) or a JSON converter (.NET) and would fail on an object.
    /// </summary>
    private static List<string>? ToShippingAddressList(IReadOnlyList<AddressWithId>? addresses) => addresses?
        .Select(chosen => JsonSerializer.Serialize(
            new AddressWithIdDto
            {
                AddressId = chosen.AddressId,
                Name = chosen.Address.Name,
                AddressLine1 = chosen.Address.AddressLine1,
                AddressLine2 = chosen.Address.AddressLine2,
                AddressLine3 = chosen.Address.AddressLine3,
                City = chosen.Address.City,
                County = chosen.Address.County,
                District = chosen.Address.District,
                StateOrRegion = chosen.Address.StateOrRegion,
                PostalCode = chosen.Address.PostalCode,
                CountryCode = chosen.Address.CountryCode,
                PhoneNumber = chosen.Address.PhoneNumber,
            },
            ApiJsonContext.Default.AddressWithIdDto))
        .ToList();

    private static List<MultiAddressesCheckoutMetadataDto>? ToDto(IReadOnlyList<MultiAddressesCheckoutMetadata>? metadata) => metadata?
        .Select(entry => new MultiAddressesCheckoutMetadataDto { AddressId = entry.AddressId, Price = ToPrice(entry.Price) })
        .ToList();
}
