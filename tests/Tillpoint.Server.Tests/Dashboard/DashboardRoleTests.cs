using System.Net;
using Tillpoint.Storage;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The roles on the dashboard's merchants page: the same grants as the CLI's, in effect at once on this node.</summary>
public sealed class DashboardRoleTests
{
    private static async Task<HttpResponseMessage> ChangeAsync(DashboardClient dashboard, string merchantId, string role, string change)
    {
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");
        return await dashboard.PostAsync($"/dashboard/merchants/{merchantId}/roles", DashboardClient.Token(merchants), ("role", role), ("change", change));
    }

    [Fact]
    public async Task GrantAndRevoke_FromTheMerchantsPage_ShowOnThePage_InTheCli_AndAtOnceInTheApi()
    {
        // A long key cache: the dashboard's change must not wait for it on the node that made it.
        await using var host = await TillpointHost.StartAsync(options => options with { KeyCacheTtl = TimeSpan.FromHours(1) });
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var permission = await Payments.ChargePermissionAsync(host, client, merchant);
        var chargeId = (await Payments.CreateChargeAsync(client, permission, "20.00")).Value.ChargeId!;
        var update = new UpdateChargeRequest { StatusDetails = new UpdateChargeStatusDetails { State = "Captured" } };
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), await Payments.OutcomeAsync(() => client.UpdateChargeAsync(chargeId, update)));
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, before) = await dashboard.GetAsync("/dashboard/merchants");

        using var granted = await ChangeAsync(dashboard, merchant.MerchantId, "psp", "grant");
        var (_, after) = await dashboard.GetAsync("/dashboard/merchants?done=role-granted");
        var (_, cliList, _) = await host.CliAsync("merchants", "list", "--json");
        var captured = await Payments.OutcomeAsync(() => client.UpdateChargeAsync(chargeId, update));
        using var revoked = await ChangeAsync(dashboard, merchant.MerchantId, "psp", "revoke");
        var refused = await Payments.OutcomeAsync(() => client.UpdateChargeAsync(chargeId, update));

        Assert.Contains($"id=\"grant-psp-{merchant.MerchantId}\"", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, granted.StatusCode);
        Assert.Contains("The role was granted.", after, StringComparison.Ordinal);
        Assert.Contains($"id=\"revoke-psp-{merchant.MerchantId}\"", after, StringComparison.Ordinal);
        Assert.Contains($"id=\"grant-solution-provider-{merchant.MerchantId}\"", after, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"psp\"]", cliList, StringComparison.Ordinal);
        Assert.Equal(new Outcome(200, null), captured);
        Assert.Equal(HttpStatusCode.SeeOther, revoked.StatusCode);
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), refused);
        Assert.Empty(host.Store.Read(reader => reader.GetMerchantRoles(merchant.MerchantId)));
    }

    [Fact]
    public async Task Grant_Twice_IsStillOneGrant()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var first = await ChangeAsync(dashboard, merchant.MerchantId, "solution-provider", "grant");
        using var second = await ChangeAsync(dashboard, merchant.MerchantId, "solution-provider", "grant");

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal([MerchantRole.SolutionProvider], host.Store.Read(reader => reader.GetMerchantRoles(merchant.MerchantId)));
    }

    [Theory]
    [InlineData("admin", "grant", "the role must be psp or solution-provider")]
    [InlineData("psp", "delete", "the change must be grant or revoke")]
    [InlineData("", "grant", "the role must be psp or solution-provider")]
    public async Task BadForm_IsRefusedWithTheReason_AndChangesNothing(string role, string change, string reason)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await ChangeAsync(dashboard, merchant.MerchantId, role, change);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(reason, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListRoleGrants()));
    }

    [Fact]
    public async Task Grant_ToAnUnknownMerchant_IsRefused()
    {
        await using var host = await TillpointHost.StartAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await ChangeAsync(dashboard, "ANOBODY", "psp", "grant");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Not changed: there is no merchant", page, StringComparison.Ordinal);
        Assert.Contains("ANOBODY", page, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListRoleGrants()));
    }

    [Fact]
    public async Task Change_WithoutTheAntiforgeryToken_IsRefused()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await dashboard.PostAsync($"/dashboard/merchants/{merchant.MerchantId}/roles", null, ("role", "psp"), ("change", "grant"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(host.Store.Read(reader => reader.ListRoleGrants()));
    }
}
