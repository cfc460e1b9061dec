using System.Text.Json;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary><c>tillpoint merchants grant|revoke --merchant ID --role psp|solution-provider</c>: scripts rely on this form.</summary>
public sealed class MerchantRoleCliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private async Task<string[]> ListedRolesAsync(string merchantId)
    {
        var (_, output, _) = await Host.CliAsync("merchants", "list", "--json");
        var merchant = JsonDocument.Parse(output).RootElement.EnumerateArray().Single(m => m.GetProperty("merchantId").GetString() == merchantId);
        return [.. merchant.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
    }

    [Fact]
    public async Task Grant_ThenList_ShowsTheRole_InTheJsonAndTheTable()
    {
        var merchant = await Host.CreateMerchantAsync();

        var (exit, output, error) = await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp");
        var (_, table, _) = await Host.CliAsync("merchants", "list");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal($"Granted psp to {merchant.MerchantId}", output.Trim());
        Assert.Empty(error);
        Assert.Equal(["psp"], await ListedRolesAsync(merchant.MerchantId));
        Assert.Matches($"(?m)^{merchant.MerchantId} .* psp +auto\\s*$", table);
    }

    [Fact]
    public async Task Grant_Json_PrintsTheMerchantsRolesAndWhetherItChanged_AndAgainChangesNothing()
    {
        var merchant = await Host.CreateMerchantAsync();

        var (firstExit, first, _) = await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "solution-provider", "--json");
        var (_, second, _) = await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp", "--json");
        var (againExit, again, _) = await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "PSP", "--json");
        var (_, againText, _) = await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp");

        Assert.Equal(ExitCodes.Success, firstExit);
        var json = JsonDocument.Parse(first).RootElement;
        Assert.Equal(["merchantId", "roles", "changed"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(merchant.MerchantId, json.GetProperty("merchantId").GetString());
        Assert.True(json.GetProperty("changed").GetBoolean());
        Assert.Equal(["psp", "solution-provider"], JsonDocument.Parse(second).RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(ExitCodes.Success, againExit);
        Assert.False(JsonDocument.Parse(again).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal($"{merchant.MerchantId} already has the psp role; nothing changed", againText.Trim());
        Assert.Equal(["psp", "solution-provider"], await ListedRolesAsync(merchant.MerchantId));
    }

    [Fact]
    public async Task Revoke_RemovesOnlyThatRole_AndAgainSucceedsChangingNothing()
    {
        var merchant = await Host.CreateMerchantAsync();
        await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp");
        await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "solution-provider");

        var (exit, output, _) = await Host.CliAsync("merchants", "revoke", "--merchant", merchant.MerchantId, "--role", "psp");
        var (againExit, again, _) = await Host.CliAsync("merchants", "revoke", "--merchant", merchant.MerchantId, "--role", "psp", "--json");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal($"Revoked psp from {merchant.MerchantId}", output.Trim());
        Assert.Equal(ExitCodes.Success, againExit);
        Assert.False(JsonDocument.Parse(again).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(["solution-provider"], await ListedRolesAsync(merchant.MerchantId));
    }

    [Fact]
    public async Task MerchantsList_OfAMerchantWithoutRoles_ListsNone()
    {
        var merchant = await Host.CreateMerchantAsync();

        Assert.Empty(await ListedRolesAsync(merchant.MerchantId));
    }

    [Theory]
    [InlineData("grant")]
    [InlineData("revoke")]
    public async Task UnknownMerchant_IsNotFound_OnOneLine_AndChangesNothing(string verb)
    {
        var (exit, output, error) = await Host.CliAsync("merchants", verb, "--merchant", "ANOBODY", "--role", "psp");

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Empty(output);
        Assert.Equal("error: No merchant with id 'ANOBODY'.", error.Trim());
        var (_, listed, _) = await Host.CliAsync("merchants", "list", "--json");
        Assert.DoesNotContain("ANOBODY", listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grant", "admin")]
    [InlineData("revoke", "")]
    [InlineData("grant", "solution_provider")]
    public async Task UnknownRole_IsAUsageError_NamingTheRoles_AndChangesNothing(string verb, string role)
    {
        var merchant = await Host.CreateMerchantAsync();

        var (exit, output, error) = await Host.CliAsync("merchants", verb, "--merchant", merchant.MerchantId, "--role", role);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.StartsWith($"error: --role must be psp or solution-provider, not '{role}'.", error, StringComparison.Ordinal);
        Assert.Empty(await ListedRolesAsync(merchant.MerchantId));
    }

    [Theory]
    [InlineData("grant", "--role", "psp")]
    [InlineData("revoke", "--merchant", "A1B2C3D4E5F6G7")]
    public async Task MissingOption_IsAUsageError(params string[] args)
    {
        var (exit, output, error) = await Host.CliAsync(["merchants", .. args]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }
}
