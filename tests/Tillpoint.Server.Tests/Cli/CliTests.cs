using System.Text.Json;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>The CLI forms scripts rely on: keep these shapes stable.</summary>
public sealed class CliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    [Fact]
    public async Task MerchantsCreate_Json_PrintsMerchantIdAndStoreId()
    {
        var (exit, output, _) = await Host.CliAsync("merchants", "create", "--json");

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["merchantId", "storeId"], json.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^A[A-Z0-9]{13}$", json.GetProperty("merchantId").GetString());
        Assert.Matches("^amzn1\\.application-oa2-client\\.[0-9a-f]{32}$", json.GetProperty("storeId").GetString());
    }

    [Theory]
    [InlineData("sandbox", "^SANDBOX-[A-Z0-9]{24}$")]
    [InlineData("live", "^LIVE-[A-Z0-9]{24}$")]
    public async Task KeysCreate_Json_WritesAPrivateKeyOnlyItsOwnerCanRead(string environment, string pattern)
    {
        var path = Path.Combine(Host.DataDirectory, $"key-{environment}.pem");

        var (exit, output, _) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--environment", environment, "--out", path, "--json");

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["publicKeyId", "privateKeyPath"], json.EnumerateObject().Select(p => p.Name));
        Assert.Matches(pattern, json.GetProperty("publicKeyId").GetString());
        Assert.Equal(path, json.GetProperty("privateKeyPath").GetString());
        using var key = RsaSigningKey.FromPem(await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task KeysList_And_Revoke()
    {
        var merchant = await Host.CreateMerchantAsync();

        var (_, listed, _) = await Host.CliAsync("keys", "list", "--merchant", merchant.MerchantId, "--json");
        var (revokeExit, _, _) = await Host.CliAsync("keys", "revoke", merchant.LiveKeyId);
        var (againExit, _, againError) = await Host.CliAsync("keys", "revoke", merchant.LiveKeyId);
        var (_, relisted, _) = await Host.CliAsync("keys", "list", "--merchant", merchant.MerchantId, "--json");

        Assert.Equal(3, JsonDocument.Parse(listed).RootElement.GetArrayLength());
        Assert.Equal(0, revokeExit);
        Assert.Equal(2, againExit);
        Assert.Contains("No active public key", againError, StringComparison.Ordinal);
        var revoked = JsonDocument.Parse(relisted).RootElement.EnumerateArray().Single(k => k.GetProperty("publicKeyId").GetString() == merchant.LiveKeyId);
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task KeysCreate_ForAnUnknownMerchant_Fails()
    {
        var (exit, _, error) = await Host.CliAsync("keys", "create", "--merchant", "ANOBODY", "--out", Path.Combine(Host.DataDirectory, "x.pem"));

        Assert.Equal(2, exit);
        Assert.Contains("No merchant", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysImport_OfAFileThatIsNotAKey_Fails()
    {
        var path = Path.Combine(Host.DataDirectory, "not-a-key.pem");
        await File.WriteAllTextAsync(path, "hello");

        var (exit, _, error) = await Host.CliAsync("keys", "import", "--merchant", fixture.Merchant.MerchantId, "--public-key", path);

        Assert.Equal(2, exit);
        Assert.Contains("Cannot read an RSA public key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_WithAnUnknownEnvironment_Fails()
    {
        var (exit, _, error) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--environment", "staging");

        Assert.Equal(2, exit);
        Assert.Contains("sandbox or live", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_AnswersOk_AndTheCertificateIsKeptInTheDataFolder()
    {
        using var http = RawRequests.Http(Host);

        using var response = await http.GetAsync(new Uri(Host.HttpsBase, "/healthz"));

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(Host.DataDirectory, "tillpoint-https.pfx")));
    }

    [Fact]
    public async Task Serve_WithAnOutOfRangeClockSkew_RefusesToStart()
    {
        var (exit, _, error) = await Host.CliAsync("serve", "--max-clock-skew", "0");

        Assert.Equal(1, exit);
        Assert.Contains("--max-clock-skew must be between 1 and 1440 minutes", error, StringComparison.Ordinal);
    }
}
