using Tillpoint.Domain;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Throttling;

/// <summary><c>serve --seed</c>: the same requests in the same order get the same ids from any server of the seed.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task TwoServersOfOneSeed_GiveTheSameIds_ForTheSameRequests()
    {
        var first = await IdsAsync(RandomSource.Seeded(42));
        var second = await IdsAsync(RandomSource.Seeded(42));
        var unseeded = await IdsAsync(RandomSource.Cryptographic);

        Assert.Equal(first, second);
        Assert.Empty(first.Intersect(unseeded));
    }

    /// <summary>A checkout session, a checkout to an Authorized charge, and a refund of its capture: every id they made.</summary>
    private static async Task<string[]> IdsAsync(RandomSource random)
    {
        await using var host = await TillpointHost.StartAsync(options => options with { Random = random });
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var created = (await Checkouts.CreateAsync(client, merchant)).Value;
        var authorized = await Checkouts.AuthorizedAsync(host, client, merchant);
        await Checkouts.CaptureAsync(client, authorized.ChargeId!);
        var refund = (await Payments.RefundAsync(client, authorized.ChargeId!, "4.00")).Value;
        return [created.CheckoutSessionId!, authorized.CheckoutSessionId!, authorized.ChargePermissionId!, authorized.ChargeId!, refund.RefundId!];
    }
}
