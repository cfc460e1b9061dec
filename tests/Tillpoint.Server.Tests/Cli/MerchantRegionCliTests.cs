using System.Text.Json;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary><c>tillpoint merchants create --region na|eu|uk|jp</c> and the region <c>merchants list</c> shows.</summary>
public sealed class MerchantRegionCliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private async Task<JsonElement[]> ListedAsync()
    {
        var (_, output, _) = await Host.CliAsync("merchants", "list", "--json");
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }

    [Theory]
    [InlineData("na", "na")]
    [InlineData("eu", "eu")]
    [InlineData("UK", "uk")]
    [InlineData("jp", "jp")]
    public async Task Create_WithRegion_PrintsIt_AndListShowsIt_InTheJsonAndTheTable(string option, string region)
    {
        var (exit, output, error) = await Host.CliAsync("merchants", "create", "--name", "Shop", "--region", option, "--json");
        var merchantId = JsonDocument.Parse(output).RootElement.GetProperty("merchantId").GetString()!;
        var (_, text, _) = await Host.CliAsync("merchants", "create", "--region", option);
        var (_, table, _) = await Host.CliAsync("merchants", "list");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(error);
        Assert.Equal(region, JsonDocument.Parse(output).RootElement.GetProperty("region").GetString());
        Assert.EndsWith($"Region {region}", text.Trim(), StringComparison.Ordinal);
        var listed = (await ListedAsync()).Single(m => m.GetProperty("merchantId").GetString() == merchantId);
        Assert.Equal(region, listed.GetProperty("region").GetString());
        Assert.Matches($"(?m)^{merchantId} +\\S+ +Shop +{region} ", table);
        Assert.Contains("REGION", table.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutRegion_IsNA()
    {
        var (_, output, _) = await Host.CliAsync("merchants", "create", "--json");

        Assert.Equal("na", JsonDocument.Parse(output).RootElement.GetProperty("region").GetString());
    }

    [Theory]
    [InlineData("de")]
    [InlineData("fe")]
    [InlineData("")]
    public async Task Create_UnknownRegion_IsAUsageError_NamingTheRegions_AndCreatesNothing(string region)
    {
        var before = (await ListedAsync()).Length;

        var (exit, output, error) = await Host.CliAsync("merchants", "create", "--region", region);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.StartsWith($"error: --region must be na, eu, uk or jp, not '{region}'.", error, StringComparison.Ordinal);
        Assert.Equal(before, (await ListedAsync()).Length);
    }
}
