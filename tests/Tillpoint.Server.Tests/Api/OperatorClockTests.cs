using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// The operator's sandbox clock (<c>/operator/clock</c>): its authentication, its input, and what moving it does to
/// Sandbox and Live objects. The shared host's clock is never moved; tests that move it start their own server.
/// </summary>
public sealed class OperatorClockTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    [Fact]
    public async Task GetClock_WithoutAToken_IsUnauthorizedAccess_InTheApiErrorFormat()
    {
        using var http = RawRequests.Http(Host);

        using var response = await http.GetAsync(new Uri(Host.HttpsBase, "/operator/clock"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["reasonCode", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("UnauthorizedAccess", body.GetProperty("reasonCode").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Single(response.Headers.GetValues("x-amz-pay-request-id"));
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer test-operator-token-012345678")]
    [InlineData("Bearer test-operator-token-01234567890")]
    [InlineData("Basic test-operator-token-0123456789")]
    [InlineData("test-operator-token-0123456789")]
    public async Task GetClock_WithAWrongToken_IsUnauthorizedAccess(string authorization)
    {
        using var http = RawRequests.Http(Host);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpsBase, "/operator/clock"));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UnauthorizedAccess", body.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task GetClock_WithTheToken_ReportsSandboxNowAndTheOffset()
    {
        using var client = Host.Operator();

        var clock = await client.GetClockAsync();

        Assert.Equal("2026-11-27T12:00:00.000Z", clock.Now);
        Assert.Equal(0, clock.OffsetSeconds);
    }

    [Fact]
    public async Task UnknownOperatorPath_IsResourceNotFound_OnlyForTheOperator()
    {
        using var http = RawRequests.Http(Host);
        using var anonymous = await http.GetAsync(new Uri(Host.HttpsBase, "/operator/nothing-here"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpsBase, "/operator/nothing-here"));
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {TillpointHost.OperatorToken}");

        using var authorized = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, authorized.StatusCode);
        Assert.Equal("ResourceNotFound", JsonDocument.Parse(await authorized.Content.ReadAsStringAsync()).RootElement.GetProperty("reasonCode").GetString());
    }

    [Theory]
    [InlineData("{\"seconds\":0}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":-60}", "InvalidParameterValue")]
    [InlineData("{}", "MissingParameterValue")]
    [InlineData("{\"seconds\":null}", "MissingParameterValue")]
    [InlineData("{\"seconds\":\"60\"}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":1.5}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":true}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":316224001}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":9223372036854775807}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":99999999999999999999999}", "InvalidParameterValue")]
    [InlineData("{\"seconds\":60,\"minutes\":1}", "UnrecognizedField")]
    [InlineData("", "InvalidRequestFormat")]
    [InlineData("[60]", "InvalidRequestFormat")]
    [InlineData("{\"seconds\":", "InvalidRequestFormat")]
    public async Task Advance_WithBadSeconds_IsRefused_AndTheClockStays(string body, string reasonCode)
    {
        var (status, answer) = await PostAdvanceAsync(Host, body);
        using var client = Host.Operator();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(reasonCode, answer.GetProperty("reasonCode").GetString());
        Assert.Equal(0, (await client.GetClockAsync()).OffsetSeconds);
    }

    [Fact]
    public async Task Advance_BeyondACenturyInTotal_IsRefused_AndTheClockStays()
    {
        await using var host = await TillpointHost.StartAsync();
        using var clock = host.Operator();
        for (var decade = 0; decade < 10; decade++)
        {
            await clock.AdvanceClockAsync(TimeSpan.FromDays(3660));
        }

        var (status, answer) = await PostAdvanceAsync(host, "{\"seconds\":86400}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameterValue", answer.GetProperty("reasonCode").GetString());
        Assert.Equal(36_600L * 86_400, (await clock.GetClockAsync()).OffsetSeconds);
    }

    [Fact]
    public async Task Advance_MovesTheSandboxClock_SandboxObjectsExpire_LiveObjectsDoNot()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var sandbox = host.Client(merchant);
        using var live = host.Client(merchant, merchant.LiveKeyId);
        using var clock = host.Operator();
        var sandboxSession = (await Checkouts.CreateAsync(sandbox, merchant)).Value;
        var liveSession = (await Checkouts.CreateAsync(live, merchant)).Value;
        var sandboxCharge = (await Checkouts.AuthorizedAsync(host, sandbox, merchant)).ChargeId!;
        var liveCharge = (await Checkouts.AuthorizedAsync(host, live, merchant)).ChargeId!;

        var dayLater = await clock.AdvanceClockAsync(TimeSpan.FromHours(24));
        var expiredSession = (await sandbox.GetCheckoutSessionAsync(sandboxSession.CheckoutSessionId!)).Value;
        var openSession = (await live.GetCheckoutSessionAsync(liveSession.CheckoutSessionId!)).Value;
        var monthLater = await clock.AdvanceClockAsync(TimeSpan.FromDays(30) - TimeSpan.FromHours(24));
        var expiredCharge = (await sandbox.GetChargeAsync(sandboxCharge)).Value;
        var liveAuthorization = (await live.GetChargeAsync(liveCharge)).Value;

        Assert.Equal(86_400, dayLater.OffsetSeconds);
        Assert.Equal("2026-11-28T12:00:00.000Z", dayLater.Now);
        Assert.Equal(("Canceled", "Expired"), (expiredSession.StatusDetails!.State, expiredSession.StatusDetails.ReasonCode));
        Assert.Equal("Open", openSession.StatusDetails!.State);
        Assert.Equal(2_592_000, monthLater.OffsetSeconds);
        Assert.Equal("2026-12-27T12:00:00.000Z", monthLater.Now);
        Assert.Equal(2_592_000, (await clock.GetClockAsync()).OffsetSeconds);
        Assert.Equal(("Canceled", "ExpiredUnused"), (expiredCharge.StatusDetails!.State, expiredCharge.StatusDetails.ReasonCode));
        Assert.Equal("20261227T120000Z", expiredCharge.StatusDetails.LastUpdatedTimestamp);
        Assert.Equal("Authorized", liveAuthorization.StatusDetails!.State);
        Assert.Equal("Open", (await live.GetCheckoutSessionAsync(liveSession.CheckoutSessionId!)).Value.StatusDetails!.State);
        // Requests are still signed with the real time: the sandbox clock does not make signatures stale.
        Assert.Equal(201, (await Checkouts.CreateAsync(sandbox, merchant)).StatusCode);
    }

    [Fact]
    public async Task Advance_PersistsDueChangesBeforeAnswering_WithoutAnyRead()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var sandbox = host.Client(merchant);
        using var live = host.Client(merchant, merchant.LiveKeyId);
        var id = merchant.MerchantId;
        var session = (await Checkouts.CreateAsync(sandbox, merchant)).Value.CheckoutSessionId!;
        var permission = await Payments.ChargePermissionAsync(host, sandbox, merchant, "100.00");
        var captured = (await Payments.CreateChargeAsync(sandbox, permission, "30.00", captureNow: true)).Value.ChargeId!;
        var refund = (await Payments.RefundAsync(sandbox, captured, "12.34")).Value.RefundId!;
        var authorized = (await Payments.CreateChargeAsync(sandbox, permission, "20.00")).Value.ChargeId!;
        var liveAuthorized = (await Checkouts.AuthorizedAsync(host, live, merchant)).ChargeId!;

        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        var settled = host.Store.Read(reader => (reader.GetRefund(id, refund)!, reader.GetCharge(id, captured)!));
        await host.AdvanceSandboxAsync(TimeSpan.FromDays(30));
        var expired = host.Store.Read(reader => (reader.GetCharge(id, authorized)!, reader.GetCheckoutSession(id, session)!));
        await host.AdvanceSandboxAsync(TimeSpan.FromDays(150));
        var closed = host.Store.Read(reader => reader.GetChargePermission(id, permission)!);

        Assert.Equal(RefundState.Refunded, settled.Item1.State);
        Assert.Equal("12.34", settled.Item2.RefundedAmount.ToAmountString());
        Assert.Equal((ChargeState.Canceled, ChargeReasonCode.ExpiredUnused), (expired.Item1.State, expired.Item1.ReasonCode));
        Assert.Equal((CheckoutSessionState.Canceled, CheckoutSessionReasonCode.Expired), (expired.Item2.State, expired.Item2.ReasonCode));
        Assert.Equal(ChargePermissionState.Closed, closed.State);
        Assert.Equal(ChargePermissionReasonCode.Expired, Assert.Single(closed.Reasons).ReasonCode);
        Assert.Equal(ChargeState.Authorized, host.Store.Read(reader => reader.GetCharge(id, liveAuthorized)!).State);
        var events = host.Store.Read(reader => new[] { refund, authorized, session, permission }.Select(o => reader.GetEvents(id, o)).ToList());
        Assert.Contains(events[0], e => (e.Event.FromState, e.Event.ToState) == ("RefundInitiated", "Refunded"));
        Assert.Contains(events[1], e => (e.Event.ToState, e.Event.ReasonCode) == ("Canceled", "ExpiredUnused"));
        Assert.Contains(events[2], e => (e.Event.ToState, e.Event.ReasonCode) == ("Canceled", "Expired"));
        Assert.Contains(events[3], e => (e.Event.ToState, e.Event.ReasonCode) == ("Closed", "Expired"));
    }

    [Fact]
    public async Task TheOffset_SurvivesARestart()
    {
        await using var first = await TillpointHost.StartAsync();
        var merchant = await first.CreateMerchantAsync();
        string sessionId;
        using (var client = first.Client(merchant))
        {
            sessionId = (await Checkouts.CreateAsync(client, merchant)).Value.CheckoutSessionId!;
        }

        await first.AdvanceSandboxAsync(TimeSpan.FromHours(1));
        await first.StopAsync();

        await using var second = await TillpointHost.StartAsync(first.Storage);
        using var restarted = second.Operator();
        using var sandbox = second.Client(merchant);
        var clock = await restarted.GetClockAsync();
        var stillOpen = (await sandbox.GetCheckoutSessionAsync(sessionId)).Value;
        await restarted.AdvanceClockAsync(TimeSpan.FromHours(23));
        var expired = (await sandbox.GetCheckoutSessionAsync(sessionId)).Value;

        Assert.Equal(3_600, clock.OffsetSeconds);
        Assert.Equal("2026-11-27T13:00:00.000Z", clock.Now);
        Assert.Equal("Open", stillOpen.StatusDetails!.State);
        Assert.Equal(("Canceled", "Expired"), (expired.StatusDetails!.State, expired.StatusDetails.ReasonCode));
    }

    [Fact]
    public async Task ServerWithoutAnOperatorToken_MakesOne_KeepsIt_AndTheEndpointsAcceptOnlyThatOne()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { OperatorToken = null });
        var tokenFile = Path.Combine(host.DataDirectory, "operator-token");
        var token = host.Storage.Kind == StoreKind.Sqlite
            ? (await File.ReadAllTextAsync(tokenFile)).Trim()
            : host.Store.Read(reader => reader.GetSetting("operator-token"))!;
        using var client = host.Operator(token);
        using var wrong = host.Operator();

        var clock = await client.GetClockAsync();
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => wrong.AdvanceClockAsync(TimeSpan.FromDays(1)));

        Assert.True(token.Length >= 32);
        if (host.Storage.Kind == StoreKind.Sqlite && !OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        }

        Assert.Equal(0, clock.OffsetSeconds);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal("UnauthorizedAccess", refused.ReasonCode);
        Assert.Null(host.Store.Read(reader => reader.GetSetting(BusinessClocks.SandboxOffsetSetting)));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAdvanceAsync(
        TillpointHost host, string body, string? authorization = "Bearer " + TillpointHost.OperatorToken)
    {
        using var http = RawRequests.Http(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.HttpsBase, "/operator/clock/advance"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
