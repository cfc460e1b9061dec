using System.Net;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The operator dashboard over HTTP: sign-in, anti-forgery, lists, detail pages and actions.</summary>
public sealed class DashboardTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/charges?state=Authorized")]
    [InlineData("/dashboard/merchants")]
    [InlineData("/dashboard/no-such-page")]
    public async Task Page_WithoutSignIn_RedirectsToLogin_KeepingThePath(string path)
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.GetResponseAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/dashboard/login?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Post_WithoutSignIn_IsSentToLogin_AndChangesNothing()
    {
        using var dashboard = new DashboardClient(Host);
        var (_, login) = await dashboard.GetAsync("/dashboard/login");

        using var response = await dashboard.PostAsync("/dashboard/clock/advance", DashboardClient.Token(login), ("amount", "1"), ("unit", "days"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard/login", response.Headers.Location!.OriginalString);
        Assert.Null(Host.Store.Read(reader => reader.GetSetting(BusinessClocks.SandboxOffsetSetting)));
    }

    [Fact]
    public async Task Login_WithTheOperatorToken_SetsAStrictHttpOnlyCookie_AndReturnsToThePage()
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.SignInAsync(TillpointHost.OperatorToken, "/dashboard/charges");
        var (status, overview) = await dashboard.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard/charges", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tillpoint_dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=43200", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Overview</h1>", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ToAnotherSite_ReturnsToTheOverviewInstead()
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.SignInAsync(TillpointHost.OperatorToken, "//evil.example/dashboard");

        Assert.Equal("/dashboard", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_WithAWrongToken_IsRefused_AndSetsNoSession()
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.SignInAsync("not-the-operator-token");
        var page = await response.Content.ReadAsStringAsync();
        using var after = await dashboard.GetResponseAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("id=\"login-error\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("tillpoint_dashboard=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.PostAsync("/dashboard/login", null, ("token", TillpointHost.OperatorToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"form-expired\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithAnEmptyTokenFile_LetsNobodyIn()
    {
        // The token file is the SQLite store's (PostgreSQL keeps the token in settings), so this runs on SQLite in both suites.
        using var storage = TestStorage.Create(Storage.StoreKind.Sqlite);
        await File.WriteAllTextAsync(Path.Combine(storage.DataDirectory, "operator-token"), "\n");
        await using var host = await TillpointHost.StartAsync(storage, options => options with { OperatorToken = null });
        using var dashboard = new DashboardClient(host);

        using var empty = await dashboard.SignInAsync(string.Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, empty.StatusCode);
    }

    [Fact]
    public async Task Session_After12Hours_HasExpired()
    {
        await using var host = await TillpointHost.StartAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        host.SignatureClock.Advance(TimeSpan.FromHours(12));
        using var response = await dashboard.GetResponseAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        var (_, page) = await dashboard.GetAsync("/dashboard");

        using var signOut = await dashboard.PostAsync("/dashboard/logout", DashboardClient.Token(page));
        using var after = await dashboard.GetResponseAsync("/dashboard");

        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_ACopyOfTheCookie_IsSentToSignIn()
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        using var copy = DashboardClient.Replaying(Host, dashboard.SessionCookie());
        using var before = await copy.GetResponseAsync("/dashboard");

        using var signOut = await dashboard.SignOutAsync();
        using var page = await copy.GetResponseAsync("/dashboard/charges");
        using var post = await copy.PostAsync("/dashboard/clock/advance", null, ("days", "1"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/dashboard/login", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal("/dashboard/login", post.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignOut_LeavesTheOperatorsOtherSessionsSignedIn()
    {
        using var leaving = await DashboardClient.SignedInAsync(Host);
        using var staying = await DashboardClient.SignedInAsync(Host);
        using var copy = DashboardClient.Replaying(Host, leaving.SessionCookie());

        using var signOut = await leaving.SignOutAsync();
        using var other = await staying.GetResponseAsync("/dashboard");
        using var replayed = await copy.GetResponseAsync("/dashboard");

        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
    }

    [Fact]
    public async Task SignOut_StillHoldsAfterARestartOnTheSameData()
    {
        using var storage = TestStorage.Create();
        Cookie signedOut;
        Cookie kept;
        await using (var first = await TillpointHost.StartAsync(storage))
        {
            using var leaving = await DashboardClient.SignedInAsync(first);
            using var staying = await DashboardClient.SignedInAsync(first);
            signedOut = leaving.SessionCookie();
            kept = staying.SessionCookie();
            using var signOut = await leaving.SignOutAsync();
            Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        }

        await using var restarted = await TillpointHost.StartAsync(storage);
        using var replayed = DashboardClient.Replaying(restarted, signedOut);
        using var other = DashboardClient.Replaying(restarted, kept);
        using var replayedResponse = await replayed.GetResponseAsync("/dashboard");
        using var otherResponse = await other.GetResponseAsync("/dashboard");

        // The session that did not sign out survives the restart, so the refusal is the sign-out's, not the restart's.
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayedResponse.StatusCode);
    }

    [Fact]
    public async Task SignOut_DropsTheRecordsOfSessionsThatHaveExpiredAnyway()
    {
        const string SignedOut = "dashboard.signed-out.";
        await using var host = await TillpointHost.StartAsync();
        using var early = await DashboardClient.SignedInAsync(host);
        using var firstSignOut = await early.SignOutAsync();
        host.SignatureClock.Advance(TimeSpan.FromHours(13));

        using var late = await DashboardClient.SignedInAsync(host);
        using var secondSignOut = await late.SignOutAsync();

        Assert.Single(host.Store.Read(r => r.GetSettings(SignedOut)));
    }

    [Fact]
    public async Task Login_AfterManyWrongTokens_BacksOff_ButTheRightTokenStillSignsIn()
    {
        await using var host = await TillpointHost.StartAsync();
        using var dashboard = new DashboardClient(host);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await dashboard.SignInAsync($"wrong-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await dashboard.SignInAsync("wrong-again");
        using var right = await dashboard.SignInAsync(TillpointHost.OperatorToken);
        var (status, _) = await dashboard.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefused_AndTheChargeIsNotCaptured()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "20.00", "csrf-1");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.PostAsync(
            DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/capture", null, ("amount", "20.00"), ("formKey", "k1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, charge.ChargeId!));
    }

    [Fact]
    public async Task ChargeList_ByMerchantReference_FindsExactlyThatCharge()
    {
        using var client = Host.Client(Merchant);
        var wanted = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "31.00", "ref-find-me");
        await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "32.00", "ref-not-me");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync("/dashboard/charges?reference=ref-find-me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(wanted.ChargeId!, page, StringComparison.Ordinal);
        Assert.Contains("31.00 USD", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ref-not-me", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChargeList_ByStateAndAmountRange_ShowsOnlyMatches()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var small = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "5.00", "range-small");
        var middle = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "50.00", "range-middle");
        var captured = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "60.00", "range-captured", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (_, page) = await dashboard.GetAsync($"/dashboard/charges?merchant={merchant.MerchantId}&state=Authorized&amountMin=10&amountMax=100&from=2026-11-27&to=2026-11-27");

        Assert.Contains(middle.ChargeId!, page, StringComparison.Ordinal);
        Assert.DoesNotContain(small.ChargeId!, page, StringComparison.Ordinal);
        Assert.DoesNotContain(captured.ChargeId!, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChargeList_PagesNewestFirst_WithoutRepeatsOrGaps()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await DashboardData.AuthorizedChargeAsync(host, client, merchant, "10.00", $"page-{i}")).ChargeId!);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        using var dashboard = await DashboardClient.SignedInAsync(host);
        var seen = new List<string>();
        var path = "/dashboard/charges?size=2";
        for (var pages = 0; pages < 5 && path is not null; pages++)
        {
            var (status, page) = await dashboard.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(ids.Where(id => page.Contains(id, StringComparison.Ordinal)).OrderByDescending(ids.IndexOf));
            var next = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]+)\" id=\"next-page\"");
            path = next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null;
        }

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task ChargeList_AskedForMoreThan100_ShowsAtMost100PerPage()
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync("/dashboard/charges?size=100000");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("newest first, 100 per page", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state=Bogus", "is not a state")]
    [InlineData("amountMin=ten", "is not an amount")]
    [InlineData("from=27.11.2026", "is not a date")]
    [InlineData("size=-3", "page size")]
    [InlineData("after=garbage", "page link is not valid")]
    [InlineData("environment=Staging", "Sandbox or Live")]
    public async Task ChargeList_WithABadFilter_SaysWhatIsWrong(string query, string message)
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync($"/dashboard/charges?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charges")]
    [InlineData("charge-permissions")]
    [InlineData("checkout-sessions")]
    [InlineData("refunds")]
    public async Task DetailPage_OfAnUnknownId_IsNotFound(string kind)
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync($"/dashboard/{kind}/{Merchant.MerchantId}/no-such-id");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("id=\"not-found\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChargePermissionPage_ShowsAmountsRelatedObjectsAndTimeline()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "40.00", "detail-1", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync(DashboardClient.Path("charge-permissions", Merchant, charge.ChargePermissionId!));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("575.00 USD", page, StringComparison.Ordinal); // the limit: 500.00 plus 15 %
        Assert.Contains(charge.ChargeId!, page, StringComparison.Ordinal);
        Assert.Contains("/dashboard/checkout-sessions/", page, StringComparison.Ordinal);
        Assert.Contains("<caption>Events of this permission, its charges and refunds</caption>", page, StringComparison.Ordinal);
        Assert.Contains("Captured", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_Confirmed_CapturesTheChosenAmount()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "25.00", "capture-ok");
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        var path = DashboardClient.Path("charges", Merchant, charge.ChargeId!);

        using var response = await dashboard.ConfirmAsync(path + "/capture", ("amount", "20.00"));
        var (_, page) = await dashboard.GetAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var api = (await client.GetChargeAsync(charge.ChargeId!)).Value;
        Assert.Equal(("Captured", "20.00"), (api.StatusDetails!.State, api.CaptureAmount!.Amount));
        Assert.Contains("The charge was captured.", page, StringComparison.Ordinal);
        Assert.Contains("<span id=\"amount-captured\">20.00 USD</span>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_OfMoreThanAllowed_IsRefusedWithTheReason_AndChangesNothing()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "25.00", "capture-refused");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.ConfirmAsync(DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/capture", ("amount", "999.00"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("id=\"dashboard-error\"", page, StringComparison.Ordinal);
        Assert.Contains("Not done:", page, StringComparison.Ordinal);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, charge.ChargeId!));
    }

    [Fact]
    public async Task Capture_WithAnAmountThatIsNotMoney_IsRefused_AndChangesNothing()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "25.00", "capture-bad-amount");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.ConfirmAsync(DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/capture", ("amount", "12.345"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter a positive amount in USD", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, charge.ChargeId!));
    }

    [Fact]
    public async Task Cancel_Confirmed_CancelsTheCharge()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "25.00", "cancel-ok");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.ConfirmAsync(DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/cancel");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, charge.ChargeId!));
    }

    [Fact]
    public async Task Cancel_OfACapturedCharge_IsRefused_AndChangesNothing()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "25.00", "cancel-refused", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.ConfirmAsync(DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/cancel");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Not done:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Captured", await Payments.ChargeStateAsync(client, charge.ChargeId!));
    }

    [Fact]
    public async Task Refund_Confirmed_CreatesOneRefund_EvenWhenTheFormIsPostedTwice()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "30.00", "refund-ok", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        var path = DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/refund";
        var (_, confirm) = await dashboard.GetAsync(path);
        var formKey = System.Text.RegularExpressions.Regex.Match(confirm, "name=\"formKey\" value=\"([^\"]+)\"").Groups[1].Value;

        using var first = await dashboard.PostAsync(path, DashboardClient.Token(confirm), ("formKey", formKey), ("amount", "10.00"));
        using var again = await dashboard.PostAsync(path, DashboardClient.Token(confirm), ("formKey", formKey), ("amount", "10.00"));

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var refunds = Host.Store.Read(reader => reader.GetRefundsOfCharge(Merchant.MerchantId, charge.ChargeId!));
        var refund = Assert.Single(refunds);
        Assert.Equal(10.00m, refund.RefundAmount.Amount);
    }

    [Fact]
    public async Task Refund_OfMoreThanCaptured_IsRefused_AndCreatesNoRefund()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "30.00", "refund-refused", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        using var response = await dashboard.ConfirmAsync(DashboardClient.Path("charges", Merchant, charge.ChargeId!) + "/refund", ("amount", "300.00"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("exceeds what may still be refunded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Host.Store.Read(reader => reader.GetRefundsOfCharge(Merchant.MerchantId, charge.ChargeId!)));
    }

    [Fact]
    public async Task Close_Confirmed_ClosesThePermission_AndASecondCloseIsRefused()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "50.00");
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        var path = DashboardClient.Path("charge-permissions", Merchant, permissionId) + "/close";

        using var closed = await dashboard.ConfirmAsync(path, ("reason", "Order shipped"));
        using var again = await dashboard.ConfirmAsync(path, ("reason", "Again"));

        Assert.Equal(HttpStatusCode.SeeOther, closed.StatusCode);
        var permission = (await client.GetChargePermissionAsync(permissionId)).Value;
        Assert.Equal("Closed", permission.StatusDetails!.State);
        Assert.NotEqual(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Contains("Not done:", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Order shipped", Host.Store.Read(reader => reader.GetChargePermission(Merchant.MerchantId, permissionId))!.ClosureReason);
    }

    [Fact]
    public async Task Close_OfAnUnknownPermission_IsNotFound()
    {
        using var dashboard = await DashboardClient.SignedInAsync(Host);
        var (_, page) = await dashboard.GetAsync("/dashboard");

        using var response = await dashboard.PostAsync($"/dashboard/charge-permissions/{Merchant.MerchantId}/nope/close", DashboardClient.Token(page), ("formKey", "k"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RevokeKey_Confirmed_RevokesIt_AndTheMerchantsPageSaysSo()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var response = await dashboard.ConfirmAsync($"/dashboard/keys/{merchant.LiveKeyId}/revoke");
        using var again = await dashboard.ConfirmAsync($"/dashboard/keys/{merchant.LiveKeyId}/revoke");
        var (_, page) = await dashboard.GetAsync("/dashboard/merchants");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.NotNull(host.Store.Read(reader => reader.GetPublicKey(merchant.LiveKeyId))!.RevokedAt);
        Assert.Null(host.Store.Read(reader => reader.GetPublicKey(merchant.SandboxKeyId))!.RevokedAt);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Revoked 2026-11-27", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClockAdvance_MovesTheSandboxClock_AndExpiresWhatFellDue()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var session = (await Checkouts.CreateAsync(client, merchant)).Value;
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (_, clock) = await dashboard.GetAsync("/dashboard/clock");
        using var bad = await dashboard.PostAsync("/dashboard/clock/advance", DashboardClient.Token(clock), ("amount", "0"), ("unit", "days"));
        using var advanced = await dashboard.PostAsync("/dashboard/clock/advance", DashboardClient.Token(clock), ("amount", "2"), ("unit", "days"));
        var page = await advanced.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Contains("<span id=\"sandbox-offset\">2 d 0 h 0 min 0 s</span>", page, StringComparison.Ordinal);
        Assert.Contains("<span id=\"sandbox-now\">2026-11-29 12:00:00 UTC</span>", page, StringComparison.Ordinal);
        Assert.Equal("Canceled", (await client.GetCheckoutSessionAsync(session.CheckoutSessionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Overview_CountsByState_AndShowsTheLatestEvents()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "12.00", "overview");
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (status, page) = await dashboard.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<dt><a href=\"/dashboard/charges?state=Authorized\">Authorized</a></dt><dd class=\"num\">1</dd>", page, StringComparison.Ordinal);
        Assert.Contains(charge.ChargeId!, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CarryTheHostedPageSecurityHeaders()
    {
        using var dashboard = new DashboardClient(Host);

        using var response = await dashboard.GetResponseAsync("/dashboard/login");

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}
