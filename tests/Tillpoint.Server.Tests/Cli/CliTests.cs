using System.Diagnostics;
using System.Text.Json;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>The CLI forms scripts rely on: keep these shapes stable.</summary>
public sealed class CliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    [Fact]
    public async Task MerchantsCreate_Json_PrintsMerchantIdStoreIdAndRegion()
    {
        var (exit, output, _) = await Host.CliAsync("merchants", "create", "--json");

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["merchantId", "storeId", "region"], json.EnumerateObject().Select(p => p.Name));
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
    public async Task KeysCreate_OntoAnExistingFile_IsAConflict_AndLeavesItAlone()
    {
        var path = Path.Combine(Host.DataDirectory, $"existing-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, "mine");

        var (exit, _, error) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--out", path);

        Assert.Equal(ExitCodes.Conflict, exit);
        Assert.Contains("exists", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("mine", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task KeysCreate_OntoASymbolicLink_IsAConflict_AndLeavesItsTargetAlone()
    {
        var target = Path.Combine(Host.DataDirectory, $"target-{Guid.NewGuid():N}.txt");
        var link = Path.Combine(Host.DataDirectory, $"link-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(target, "someone else's");
        File.CreateSymbolicLink(link, target);

        var (exit, _, _) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--out", link);

        Assert.Equal(ExitCodes.Conflict, exit);
        Assert.Equal("someone else's", await File.ReadAllTextAsync(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task KeysCreate_WithForce_ReplacesTheFile_OwnerOnly()
    {
        var path = Path.Combine(Host.DataDirectory, $"replaced-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var (exit, _, _) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--out", path, "--force");

        Assert.Equal(ExitCodes.Success, exit);
        using var key = RsaSigningKey.FromPem(await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Host.DataDirectory, Path.GetFileName(path) + "*").Select(Path.GetFileName));
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
        Assert.Equal(ExitCodes.Success, revokeExit);
        Assert.Equal(ExitCodes.Conflict, againExit);
        Assert.Contains("already revoked", againError, StringComparison.Ordinal);
        var revoked = JsonDocument.Parse(relisted).RootElement.EnumerateArray().Single(k => k.GetProperty("publicKeyId").GetString() == merchant.LiveKeyId);
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task KeysCreate_ForAnUnknownMerchant_IsNotFound()
    {
        var (exit, _, error) = await Host.CliAsync("keys", "create", "--merchant", "ANOBODY", "--out", Path.Combine(Host.DataDirectory, "x.pem"));

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("No merchant", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysImport_OfAFileThatIsNotAKey_IsAUsageError()
    {
        var path = Path.Combine(Host.DataDirectory, "not-a-key.pem");
        await File.WriteAllTextAsync(path, "hello");

        var (exit, _, error) = await Host.CliAsync("keys", "import", "--merchant", fixture.Merchant.MerchantId, "--public-key", path);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Cannot read an RSA public key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_WithAnUnknownEnvironment_IsAUsageError()
    {
        var (exit, _, error) = await Host.CliAsync("keys", "create", "--merchant", fixture.Merchant.MerchantId, "--environment", "staging");

        Assert.Equal(ExitCodes.Usage, exit);
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

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--max-clock-skew must be between 1 and 1440 minutes", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--store postgres", "--store postgres needs --connection-string")]
    [InlineData("--connection-string Host=127.0.0.1", "the store is sqlite: add --store postgres")]
    [InlineData("--store mysql", "--store must be sqlite or postgres, not 'mysql'")]
    [InlineData("--store postgres --connection-string Hots=127.0.0.1", "--connection-string is not a valid PostgreSQL connection string")]
    public async Task StoreOptions_Inconsistent_AreUsageErrorsOnEveryVerbThatOpensTheStore(string options, string message)
    {
        string[][] verbs = [["serve"], ["migrate"], ["merchants", "create"], ["merchants", "list"], ["keys", "list"], ["keys", "revoke", "K"],
            ["keys", "create", "--merchant", "M"], ["keys", "import", "--merchant", "M", "--public-key", "key.pem"],
            ["export", "--merchant", "M", "--from", "2026-11-01", "--to", "2026-12-01"]];
        foreach (var verb in verbs)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exit = await TillpointCli.RunAsync([.. verb, .. options.Split(' '), "--data-dir", Host.DataDirectory], output, error);

            Assert.True(exit == ExitCodes.Usage, $"{string.Join(' ', verb)} {options}: exit {exit}, {error}");
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "merchants", "list" }, "cannot open the PostgreSQL store")]
    [InlineData(new[] { "migrate" }, "cannot open the PostgreSQL store")]
    [InlineData(new[] { "serve", "--urls", "http://127.0.0.1:0" }, "tillpoint could not start")]
    public async Task StoreFromTheEnvironment_WithNoServerThere_IsStoreUnavailable(string[] verb, string message)
    {
        // The environment forms, in a process of their own (the variables are process-wide): nothing listens on port 1.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), .. verb, "--data-dir", Host.DataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TILLPOINT_STORE"] = "postgres";
        start.Environment["TILLPOINT_CONNECTION_STRING"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=5";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.StoreUnavailable, process.ExitCode);
        Assert.Contains(message, await error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreFromTheEnvironment_ThatIsNotAStore_IsAUsageError()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), "merchants", "list", "--data-dir", Host.DataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TILLPOINT_STORE"] = "oracle";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.Usage, process.ExitCode);
        Assert.Contains("TILLPOINT_STORE must be sqlite or postgres, not 'oracle'", await error, StringComparison.Ordinal);
    }
    [Fact]
    public async Task KeysRevoke_OfAnUnknownKey_IsNotFound()
    {
        var (exit, _, error) = await Host.CliAsync("keys", "revoke", "SANDBOX-NOSUCHKEY");

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("No public key with id 'SANDBOX-NOSUCHKEY'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_WithJson_AreOneJsonLineOnStderr_AndNothingOnStdout()
    {
        var (exit, output, error) = await Host.CliAsync("keys", "create", "--merchant", "ANOBODY", "--json");

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Empty(output);
        var json = JsonDocument.Parse(error).RootElement;
        Assert.Equal(["error", "code"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("No merchant with id 'ANOBODY'.", json.GetProperty("error").GetString());
        Assert.Equal(ExitCodes.NotFound, json.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("merchants", "list", "--no-such-option")]
    [InlineData("no-such-verb")]
    [InlineData("keys", "create")]
    [InlineData("keys", "revoke")]
    public async Task CommandLines_ThatDoNotParse_AreUsageErrors_PointingAtHelp(params string[] args)
    {
        var (exit, output, error) = await Host.CliAsync(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--help'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_Json_ReportsTheSchemaVersion_AndNothingToApplyOnAnOpenStore()
    {
        var (exit, output, _) = await Host.CliAsync("migrate", "--json");

        Assert.Equal(ExitCodes.Success, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["store", "schemaVersion", "applied"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Host.Storage.Kind.ToString().ToLowerInvariant(), json.GetProperty("store").GetString());
        Assert.True(json.GetProperty("schemaVersion").GetInt32() >= 2);
        Assert.Equal(0, json.GetProperty("applied").GetArrayLength());
    }

    [Fact]
    public async Task Migrate_ANewSqliteStore_AppliesEveryMigration()
    {
        var folder = Path.Combine(Host.DataDirectory, "fresh-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(["migrate", "--data-dir", folder, "--json"], output, error);
        var again = await TillpointCli.RunAsync(["migrate", "--data-dir", folder], output, error);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(ExitCodes.Success, again);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse(lines[0]).RootElement;
        var version = json.GetProperty("schemaVersion").GetInt32();
        Assert.Equal(Enumerable.Range(1, version), json.GetProperty("applied").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal($"The sqlite store is up to date at schema version {version}.", lines[1]);
        Assert.True(File.Exists(Path.Combine(folder, "tillpoint.db")));
    }

    [Fact]
    public async Task MerchantsList_WhenRedirected_IsAPlainTable()
    {
        var (exit, output, _) = await Host.CliAsync("merchants", "list");

        Assert.Equal(ExitCodes.Success, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^MERCHANT ID +STORE ID +NAME +REGION +ROLES +ACCOUNT API$", lines[0]);
        Assert.Contains(lines, line => line.StartsWith(fixture.Merchant.MerchantId + "  ", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', output);
    }
}
