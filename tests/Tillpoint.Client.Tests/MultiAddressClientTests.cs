using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client.Tests;

/// <summary>A PayAndShipMultiAddress checkout through the client: the addresses typed, the split sent, several addresses chosen.</summary>
public sealed class MultiAddressClientTests
{
    private const string SessionId = "bd504926-f659-4ad7-a1a9-9a747aaf5275";

    /// <summary>A session as the server answers it: each address a JSON string, the split in the .NET SDK's position.</summary>
    private const string Session = """
        {"checkoutSessionId":"bd504926-f659-4ad7-a1a9-9a747aaf5275","productType":"PayAndShipMultiAddress",
         "multiAddressesCheckoutMetadata":[{"addressId":"0","price":{"amount":"12.50","currencyCode":"USD"}},{"addressId":"2","price":{"amount":"17.50","currencyCode":"USD"}}],
         "shippingAddress":null,
         "shippingAddressList":[
           "{\"addressId\":\"0\",\"name\":\"Jane Doe\",\"addressLine1\":\"410 Terry Ave N\",\"addressLine2\":null,\"addressLine3\":null,\"city\":\"Seattle\",\"county\":null,\"district\":null,\"stateOrRegion\":\"WA\",\"postalCode\":\"98109\",\"countryCode\":\"US\",\"phoneNumber\":\"+1 206-555-0100\"}",
           "{\"addressId\":\"2\",\"name\":\"Jane Doe\",\"addressLine1\":\"PO Box 1234\",\"city\":\"Bellevue\",\"countryCode\":\"US\"}"]}
        """;

    [Fact]
    public async Task GetCheckoutSession_reads_the_addresses_as_text_and_ShippingAddresses_parses_them()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, Session));

        var session = (await harness.Client.GetCheckoutSessionAsync(SessionId)).Value;

        Assert.Equal(2, session.ShippingAddressList!.Count);
        var addresses = session.ShippingAddresses()!;
        Assert.Equal(["0", "2"], addresses.Select(a => a.AddressId));
        Assert.Equal(("410 Terry Ave N", "Seattle", "WA", "98109", "US", "+1 206-555-0100"),
            (addresses[0].AddressLine1, addresses[0].City, addresses[0].StateOrRegion, addresses[0].PostalCode, addresses[0].CountryCode, addresses[0].PhoneNumber));
        Assert.Null(addresses[1].PostalCode);
        Assert.Equal(
            [("0", "12.50"), ("2", "17.50")],
            session.MultiAddressesCheckoutMetadata!.Select(m => (m.AddressId!, m.Price!.Amount!)));
    }

    [Fact]
    public void ShippingAddresses_is_null_for_a_session_without_the_list()
    {
        Assert.Null(new CheckoutSessionDto().ShippingAddresses());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    public void ShippingAddresses_refuses_an_element_that_is_no_address(string element)
    {
        var session = new CheckoutSessionDto { ShippingAddressList = [element] };

        Assert.ThrowsAny<JsonException>(() => session.ShippingAddresses());
    }

    [Fact]
    public async Task UpdateCheckoutSession_sends_the_split_as_a_list_of_address_ids_and_prices()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, Session));

        await harness.Client.UpdateCheckoutSessionAsync(SessionId, new UpdateCheckoutSessionRequest
        {
            MultiAddressesCheckoutMetadata =
            [
                new MultiAddressesCheckoutMetadataDto { AddressId = "0", Price = new Price { Amount = "12.50", CurrencyCode = "USD" } },
                new MultiAddressesCheckoutMetadataDto { AddressId = "2", Price = new Price { Amount = "17.50", CurrencyCode = "USD" } },
            ],
        });

        Assert.Equal(
            """{"multiAddressesCheckoutMetadata":[{"addressId":"0","price":{"amount":"12.50","currencyCode":"USD"}},{"addressId":"2","price":{"amount":"17.50","currencyCode":"USD"}}]}""",
            Encoding.UTF8.GetString(harness.Request.Body));
    }

    [Fact]
    public async Task ApproveCheckout_sends_several_addresses()
    {
        using var harness = new OperatorHarness(new CapturingHandler(
            HttpStatusCode.OK, $$"""{"redirectUrl":"https://merchant.example/review?amazonCheckoutSessionId={{SessionId}}"}"""));

        await harness.Client.ApproveCheckoutAsync(SessionId, new BuyerChoice { ShippingAddressIds = ["0", "2"] });

        Assert.Equal("""{"shippingAddressIds":["0","2"]}""", Encoding.UTF8.GetString(harness.Request.Body));
    }
}
