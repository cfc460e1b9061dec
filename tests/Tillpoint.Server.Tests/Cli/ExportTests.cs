using System.Text.Json;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>
/// A payment lifecycle run through the server once (checkout, authorize 80.00, capture 50.00, refund 20.00 settled 30 s
/// later on the sandbox clock), then exported in every form.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    public TillpointHost Host { get; private set; } = null!;

    public TestMerchant Merchant { get; private set; } = null!;

    public string ChargePermissionId { get; private set; } = null!;

    public string ChargeId { get; private set; } = null!;

    public string RefundId { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync();
        Merchant = await Host.CreateMerchantAsync();
        using var client = Host.Client(Merchant);
        ChargePermissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        ChargeId = (await Payments.CreateChargeAsync(client, ChargePermissionId, "80.00")).Value.ChargeId!;
        await Checkouts.CaptureAsync(client, ChargeId, "50.00");
        RefundId = (await Payments.RefundAsync(client, ChargeId, "20.00")).Value.RefundId!;
        await Host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Refunded", (await client.GetRefundAsync(RefundId)).Value.StatusDetails!.State);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class ExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private const string Header = "time,environment,movement,chargePermissionId,chargeId,refundId,merchantReferenceId,state,amount,currency,reasonCode,eventId";

    private TillpointHost Host => fixture.Host;

    private string[] Export(params string[] more) => ["export", "--merchant", fixture.Merchant.MerchantId, .. more];

    /// <summary>The CSV's records without the trailing event id, which the store hands out.</summary>
    private static List<string> Records(string csv, out List<long> eventIds)
    {
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        var lines = csv[..^2].Split("\r\n");
        Assert.Equal(Header, lines[0]);
        eventIds = [.. lines.Skip(1).Select(line => long.Parse(line[(line.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture))];
        return [.. lines.Skip(1).Select(line => line[..line.LastIndexOf(',')])];
    }

    [Fact]
    public async Task Settlement_Csv_HasOneRowPerMoneyMovement_WithItsObjectsReferenceAndAmount()
    {
        var (exit, output, error) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(error);
        var p = fixture.ChargePermissionId;
        var c = fixture.ChargeId;
        Assert.Equal(
            [
                $"2026-11-27T12:00:00.000Z,Sandbox,Authorization,{p},{c},,order-1001,Authorized,80.00,USD,",
                $"2026-11-27T12:00:00.000Z,Sandbox,Capture,{p},{c},,order-1001,Captured,50.00,USD,",
                $"2026-11-27T12:00:30.000Z,Sandbox,Refund,{p},{c},{fixture.RefundId},order-1001,Refunded,20.00,USD,",
            ],
            Records(output, out var eventIds));
        Assert.Equal(eventIds.Order(), eventIds);
    }

    [Fact]
    public async Task ChargesAndRefunds_AreTheirPartsOfTheSettlement()
    {
        var (_, charges, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "charges"));
        var (_, refunds, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "refunds"));

        Assert.Equal(["Authorization", "Capture"], Records(charges, out _).Select(r => r.Split(',')[2]));
        Assert.Equal(["Refund"], Records(refunds, out _).Select(r => r.Split(',')[2]));
    }

    [Fact]
    public async Task Events_Json_IsOneArrayOfEveryStateChange_WithAmountsAsApiStrings()
    {
        var (exit, output, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "events", "--format", "json"));

        Assert.Equal(ExitCodes.Success, exit);
        var events = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["eventId", "time", "environment", "objectType", "objectId", "chargePermissionId", "fromState", "toState", "reasonCode", "amount", "currency", "detail"],
            events[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["Charge", "ChargePermission", "CheckoutSession", "Refund"],
            events.Select(e => e.GetProperty("objectType").GetString()).Distinct().Order(StringComparer.Ordinal));
        var refund = events.Where(e => e.GetProperty("objectId").GetString() == fixture.RefundId).ToList();
        Assert.Equal([JsonValueKind.Null, JsonValueKind.String], refund.Select(e => e.GetProperty("fromState").ValueKind));
        Assert.Equal(["RefundInitiated", "Refunded"], refund.Select(e => e.GetProperty("toState").GetString()));
        Assert.All(refund, e => Assert.Equal("20.00", e.GetProperty("amount").GetString()));
        Assert.Equal("2026-11-27T12:00:30.000Z", refund[1].GetProperty("time").GetString());
        var ids = events.Select(e => e.GetProperty("eventId").GetInt64()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
    }

    [Fact]
    public async Task Range_IncludesItsStart_AndExcludesItsEnd()
    {
        var (_, fromRefund, _) = await Host.CliAsync(Export("--from", "2026-11-27T12:00:30Z", "--to", "2026-11-28"));
        var (_, untilRefund, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-27T12:00:30Z"));
        var (_, withOffset, _) = await Host.CliAsync(Export("--from", "2026-11-27T13:00:30+01:00", "--to", "2026-11-27T12:00:30.001"));

        Assert.Equal(["Refund"], Records(fromRefund, out _).Select(r => r.Split(',')[2]));
        Assert.Equal(["Authorization", "Capture"], Records(untilRefund, out _).Select(r => r.Split(',')[2]));
        Assert.Equal(["Refund"], Records(withOffset, out _).Select(r => r.Split(',')[2]));
    }

    [Fact]
    public async Task EmptyRange_IsAHeaderInCsv_AndAnEmptyArrayInJson_AndAnotherEnvironmentIsEmptyToo()
    {
        var (csvExit, csv, _) = await Host.CliAsync(Export("--from", "2026-11-28", "--to", "2026-11-29"));
        var (_, json, _) = await Host.CliAsync(Export("--from", "2026-11-28", "--to", "2026-11-29", "--format", "json"));
        var (_, jsonl, _) = await Host.CliAsync(Export("--from", "2026-11-28", "--to", "2026-11-29", "--format", "jsonl"));
        var (_, live, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--environment", "live"));

        Assert.Equal(ExitCodes.Success, csvExit);
        Assert.Equal(Header + "\r\n", csv);
        Assert.Equal("[]\n", json);
        Assert.Equal(string.Empty, jsonl);
        Assert.Equal(Header + "\r\n", live);
    }

    [Fact]
    public async Task PagesOfOneEvent_GiveTheSameExport()
    {
        var (_, whole, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "events"));
        var (exit, paged, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "events", "--page-size", "1"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.True(whole.Split("\r\n").Length > 8, whole);
        Assert.Equal(whole, paged);
    }

    [Fact]
    public async Task Jsonl_IsOneObjectPerLine()
    {
        var (_, output, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--format", "jsonl"));

        var rows = output.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["80.00", "50.00", "20.00"], rows.Select(r => r.GetProperty("amount").GetString()));
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.String], rows.Select(r => r.GetProperty("refundId").ValueKind));
    }

    [Fact]
    public async Task ToAFile_IsOwnerOnly_AndForceReplacesASymbolicLinkNotItsTarget()
    {
        var folder = Path.Combine(Host.DataDirectory, "exports-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "november.csv");
        var target = Path.Combine(folder, "someone-elses.txt");
        var link = Path.Combine(folder, "linked.csv");
        await File.WriteAllTextAsync(target, "someone else's");
        File.CreateSymbolicLink(link, target);

        var (exit, _, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", path));
        var (refused, _, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", link));
        var (forced, _, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", link, "--force"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(ExitCodes.Conflict, refused);
        Assert.Equal(ExitCodes.Success, forced);
        Assert.Equal("someone else's", await File.ReadAllTextAsync(target));
        Assert.Null(new FileInfo(link).LinkTarget);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(link));
        }
    }

    [Fact]
    public async Task ToAFile_WritesItWhole_PrintsASummary_AndRefusesToOverwriteWithoutForce()
    {
        var path = Path.Combine(Host.DataDirectory, "exports", $"{Guid.NewGuid():N}.csv");

        var (exit, summary, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", path, "--json"));
        var (again, _, againError) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", path));
        var (forced, forcedSummary, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--out", path, "--force", "--kind", "refunds"));
        var (_, stdout, _) = await Host.CliAsync(Export("--from", "2026-11-27", "--to", "2026-11-28", "--kind", "refunds"));

        Assert.Equal(ExitCodes.Success, exit);
        var json = JsonDocument.Parse(summary).RootElement;
        Assert.Equal(path, json.GetProperty("path").GetString());
        Assert.Equal("settlement", json.GetProperty("kind").GetString());
        Assert.Equal("csv", json.GetProperty("format").GetString());
        Assert.Equal("2026-11-27T00:00:00.000Z", json.GetProperty("from").GetString());
        Assert.Equal(3, json.GetProperty("rows").GetInt64());
        Assert.True(json.GetProperty("events").GetInt64() > 3);
        Assert.Equal(ExitCodes.Conflict, again);
        Assert.Contains("--force", againError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, forced);
        Assert.StartsWith($"Wrote 1 refunds row (", forcedSummary, StringComparison.Ordinal);
        Assert.Equal(stdout, await File.ReadAllTextAsync(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--from", "yesterday", "--to", "2026-11-28", "--from must be a date")]
    [InlineData("--from", "2026-11-27", "--to", "2026-13-01", "--to must be a date")]
    [InlineData("--from", "27/11/2026", "--to", "2026-11-28", "--from must be a date")]
    [InlineData("--from", "2026-11-28", "--to", "2026-11-27", "--to must be after --from")]
    [InlineData("--from", "2026-11-27", "--to", "2026-11-27", "--to must be after --from")]
    [InlineData("--from", "2026-11-27", "--to", "2026-11-28", "--kind must", "--kind", "orders")]
    [InlineData("--from", "2026-11-27", "--to", "2026-11-28", "--page-size must be between 1 and 10000", "--page-size", "0")]
    [InlineData("--from", "2026-11-27", "--to", "2026-11-28", "--json describes the file written", "--json")]
    [InlineData("--from", "2026-11-27", "--to", "2026-11-28", "--environment must be sandbox or live", "--environment", "staging")]
    public async Task BadArguments_AreRefusedWithCode2(string fromName, string from, string toName, string to, string message, params string[] more)
    {
        var (exit, output, error) = await Host.CliAsync(Export([fromName, from, toName, to, .. more]));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMerchant_IsNotFound()
    {
        var (exit, output, error) = await Host.CliAsync("export", "--merchant", "ANOBODY", "--from", "2026-11-27", "--to", "2026-11-28");

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Empty(output);
        Assert.Contains("No merchant with id 'ANOBODY'", error, StringComparison.Ordinal);
    }
}
