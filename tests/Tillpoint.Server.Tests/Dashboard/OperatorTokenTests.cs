using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Server.Dashboard;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>
/// The operator token wherever it is checked (/operator/…, /metrics, the dashboard's sign-in): the backoff after wrong
/// tokens, which never keeps the right one out, whose client it counts, and rotation.
/// </summary>
public sealed class OperatorTokenTests
{
    [Theory]
    [InlineData("/operator/clock")]
    [InlineData("/metrics")]
    public async Task WrongBearerTokens_PastTheFreeOnes_Are429InTheApiFormat_AndTheRightTokenStillGetsIn(string path)
    {
        await using var host = await TillpointHost.StartAsync(options => options with { MetricsAccess = MetricsAccess.Operator });
        using var http = RawRequests.Http(host);
        for (var i = 0; i < TokenBackoff.FreeFailures; i++)
        {
            using var wrong = await GetAsync(http, host, path, $"wrong-token-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await GetAsync(http, host, path, "wrong-token-again");
        using var right = await GetAsync(http, host, path, TillpointHost.OperatorToken);
        var body = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(["reasonCode", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("TooManyRequests", body.GetProperty("reasonCode").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Backoff_DoublesWithEachFurtherWrongToken_AndEndsWhenItsWaitIsOver()
    {
        await using var host = await TillpointHost.StartAsync();
        using var http = RawRequests.Http(host);
        for (var i = 0; i < TokenBackoff.FreeFailures; i++)
        {
            using var wrong = await GetAsync(http, host, "/operator/clock", $"wrong-token-{i}");
        }

        host.SignatureClock.Advance(TimeSpan.FromSeconds(1));
        using var afterFirstWait = await GetAsync(http, host, "/operator/clock", "wrong-token-6");
        using var throttled = await GetAsync(http, host, "/operator/clock", "wrong-token-7");

        Assert.Equal(HttpStatusCode.Unauthorized, afterFirstWait.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task WithoutATrustedProxy_ASpoofedForwardedFor_NeitherResetsNorShiftsTheCount()
    {
        await using var host = await TillpointHost.StartAsync();
        using var http = RawRequests.Http(host);
        for (var i = 0; i < TokenBackoff.FreeFailures; i++)
        {
            using var wrong = await GetAsync(http, host, "/operator/clock", $"wrong-token-{i}", forwardedFor: $"203.0.113.{i + 1}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var spoofed = await GetAsync(http, host, "/operator/clock", "wrong-token-again", forwardedFor: "198.51.100.77");

        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
    }

    [Fact]
    public async Task BehindATrustedProxy_ForwardedClients_BackOffEachOnTheirOwn()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { TrustedProxies = new HashSet<IPAddress> { IPAddress.Loopback } });
        using var http = RawRequests.Http(host);
        for (var i = 0; i < TokenBackoff.FreeFailures; i++)
        {
            using var wrong = await GetAsync(http, host, "/operator/clock", $"wrong-token-{i}", forwardedFor: "203.0.113.1");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var sameClient = await GetAsync(http, host, "/operator/clock", "wrong-token-again", forwardedFor: "198.51.100.9, 203.0.113.1");
        using var otherClient = await GetAsync(http, host, "/operator/clock", "wrong-token-again", forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherClient.StatusCode);
    }

    [Fact]
    public void Backoff_UnderASprayOfAddresses_KeepsABoundedTable_AndStillThrottlesTheSprayers()
    {
        var backoff = new TokenBackoff(new ServerOptions { DataDirectory = ".", SignatureClock = new TestClock(TillpointHost.Start) });
        for (var i = 0; i < TokenBackoff.MaxClients * 2; i++)
        {
            backoff.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        }

        Assert.True(backoff.Count <= TokenBackoff.MaxClients + 1, $"{backoff.Count} clients kept");
        Assert.True(backoff.Wait(IPAddress.Parse("192.0.2.200")) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Rotate_EndsOldTokenAndSessions_AndTheNewTokenWorks()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { OperatorToken = null, MetricsAccess = MetricsAccess.Operator });
        var oldToken = host.Services.GetRequiredService<OperatorToken>().Value;
        using var http = RawRequests.Http(host);
        using var dashboard = new DashboardClient(host);
        using var signIn = await dashboard.SignInAsync(oldToken);
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        using var copied = DashboardClient.Replaying(host, dashboard.SessionCookie());

        var (exit, output, error) = await host.CliAsync("operator-token", "rotate", "--json");
        var newToken = await KeptTokenAsync(host);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.NotEqual(oldToken, newToken);
        Assert.DoesNotContain(newToken, output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, host, "/operator/clock", oldToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, host, "/metrics", oldToken));
        Assert.Equal(HttpStatusCode.Redirect, (await copied.GetAsync("/dashboard")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.GetAsync("/dashboard")).Status);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, host, "/operator/clock", newToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, host, "/metrics", newToken));
        using var signInAgain = await dashboard.SignInAsync(newToken);
        Assert.Equal(HttpStatusCode.SeeOther, signInAgain.StatusCode);
    }

    [Fact]
    public async Task Rotate_WithAConfiguredToken_StillEndsEveryDashboardSession()
    {
        await using var host = await TillpointHost.StartAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (exit, _, _) = await host.CliAsync("operator-token", "rotate");

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.Redirect, (await dashboard.GetAsync("/dashboard")).Status);
        using var signInAgain = await dashboard.SignInAsync(TillpointHost.OperatorToken);
        Assert.Equal(HttpStatusCode.SeeOther, signInAgain.StatusCode);
    }

    [Fact]
    public async Task Rotate_WritesTheTokenFileOwnerOnly_AndSaysHowToReadIt()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { OperatorToken = null });

        var (exit, output, _) = await host.CliAsync("operator-token", "rotate");
        var file = Path.Combine(host.DataDirectory, OperatorToken.FileName);

        Assert.Equal(0, exit);
        if (host.Storage.Kind == StoreKind.Postgres)
        {
            Assert.Contains($"SELECT value FROM settings WHERE key = '{OperatorToken.Setting}'", output, StringComparison.Ordinal);
            return;
        }

        Assert.Contains($"cat {file}", output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    /// <summary>The token as the operator reads it after a rotation: the file with SQLite, the settings table with PostgreSQL.</summary>
    private static async Task<string> KeptTokenAsync(TillpointHost host) => host.Storage.Kind switch
    {
        StoreKind.Sqlite => (await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, OperatorToken.FileName))).Trim(),
        StoreKind.Postgres => host.Store.Read(reader => reader.GetSetting(OperatorToken.Setting))!,
    };

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, TillpointHost host, string path, string token)
    {
        using var response = await GetAsync(http, host, path, token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, TillpointHost host, string path, string token, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.HttpsBase, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return await http.SendAsync(request);
    }
}
