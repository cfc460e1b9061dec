using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Dashboard;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// Two real Tillpoint nodes on one PostgreSQL database, as an operator runs them behind a load balancer: whichever node
/// a request reaches, it sees and changes the same state, the money rules and idempotency hold across both, and what
/// the nodes cache (the sandbox clock offset, public keys) follows the database within a bounded time. These run in
/// every suite run, on a PostgreSQL schema of their own; without a PostgreSQL server they are skipped (failed in CI).
/// </summary>
public sealed class SharedDatabaseTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    /// <summary>Two nodes on one new database, each with a data folder of its own. Dispose B before A (A owns the schema).</summary>
    private static async Task<(TillpointHost A, TillpointHost B)> TwoNodesAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var first = TestStorage.Create(StoreKind.Postgres);
        var second = first.AnotherNode();
        TillpointHost? a = null;
        try
        {
            a = await TillpointHost.StartAsync(first, ownsStorage: true, configure);
            return (a, await TillpointHost.StartAsync(second, ownsStorage: true, configure));
        }
        catch
        {
            second.Dispose();
            if (a is null)
            {
                first.Dispose();
            }
            else
            {
                await a.DisposeAsync();
            }

            throw;
        }
    }

    [SkippableFact]
    public async Task ADashboardSession_SignedOutOnOneNode_IsRefusedOnTheOther()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var dashboard = await DashboardClient.SignedInAsync(a);
        using var onB = DashboardClient.Replaying(b, dashboard.SessionCookie());
        using var before = await onB.GetResponseAsync("/dashboard");

        using var signOut = await dashboard.SignOutAsync();
        using var after = await onB.GetResponseAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [SkippableFact]
    public async Task ATokenRotation_EndsSessionsAndTheOldTokenOnEveryNode_AndTheNewTokenWorksOnEach()
    {
        var (a, b) = await TwoNodesAsync(options => options with { OperatorToken = null });
        await using var nodeA = a;
        await using var nodeB = b;
        var oldToken = a.Store.Read(reader => reader.GetSetting(Tillpoint.Server.Dashboard.OperatorToken.Setting))!;
        using var dashboard = new DashboardClient(a);
        using var signIn = await dashboard.SignInAsync(oldToken);
        using var onB = DashboardClient.Replaying(b, dashboard.SessionCookie());
        using var before = await onB.GetResponseAsync("/dashboard");

        var (exit, _, error) = await a.CliAsync("operator-token", "rotate");
        var newToken = a.Store.Read(reader => reader.GetSetting(Tillpoint.Server.Dashboard.OperatorToken.Setting))!;
        using var after = await onB.GetResponseAsync("/dashboard");
        using var oldOnB = b.Operator(oldToken);
        using var newOnB = b.Operator(newToken);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => oldOnB.GetClockAsync());
        var clock = await newOnB.GetClockAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(exit == 0, error);
        Assert.NotEqual(oldToken, newToken);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(0, clock.OffsetSeconds);
    }

    [SkippableFact]
    public async Task APaymentStartedOnOneNode_IsCapturedAndRefundedOnTheOther_AndBothShowTheSameState()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);

        var completed = await Checkouts.AuthorizedAsync(a, clientA, merchant);
        var captured = (await Checkouts.CaptureAsync(clientB, completed.ChargeId!, "14.00")).Value;
        var refund = (await Payments.RefundAsync(clientB, completed.ChargeId!, "4.00")).Value;

        Assert.Equal("Captured", captured.StatusDetails!.State);
        Assert.Equal("Captured", await Payments.ChargeStateAsync(clientA, completed.ChargeId!));
        Assert.Equal("RefundInitiated", (await clientA.GetRefundAsync(refund.RefundId!)).Value.StatusDetails!.State);
        Assert.Equal("Completed", (await clientB.GetCheckoutSessionAsync(completed.CheckoutSessionId!)).Value.StatusDetails!.State);
        var fromA = (await clientA.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        var fromB = (await clientB.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        Assert.Equal(fromA.Limits!.AmountBalance!.Amount, fromB.Limits!.AmountBalance!.Amount);
    }

    [SkippableFact]
    public async Task OneIdempotencyKeySentToBothNodesAtOnce_CapturesOnce_AndEveryAnswerIsTheSame()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);
        var chargeId = (await Checkouts.AuthorizedAsync(a, clientA, merchant)).ChargeId!;
        var key = AmazonPayClient.NewIdempotencyKey();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            var response = await Checkouts.CaptureAsync(i % 2 == 0 ? clientA : clientB, chargeId, "12.00", idempotencyKey: key);
            return (response.StatusCode, response.Value.CaptureAmount!.Amount, response.Value.StatusDetails!.LastUpdatedTimestamp);
        })));

        Assert.Single(answers.Distinct());
        Assert.Equal((200, "12.00"), (answers[0].StatusCode, answers[0].Amount));
        var captures = a.Store.Read(reader => reader.GetEvents(merchant.MerchantId, chargeId)).Where(e => e.Event.ToState == "Captured");
        Assert.Single(captures);
    }

    [SkippableFact]
    public async Task CapturesWithManyKeysOnBothNodesAtOnce_OnlyOneSucceeds()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);
        var chargeId = (await Checkouts.AuthorizedAsync(a, clientA, merchant)).ChargeId!;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(
            () => Payments.OutcomeAsync(() => Checkouts.CaptureAsync(i % 2 == 0 ? clientA : clientB, chargeId, "14.00")))));

        Assert.Single(outcomes, o => o == new Outcome(200, null));
        Assert.Equal(11, outcomes.Count(o => o == new Outcome(422, "InvalidChargeStatus")));
    }

    [SkippableFact]
    public async Task ChargesAndRefundsOnBothNodesAtOnce_NeverPassTheLimits()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);
        // Limit: 100.00 + the 15 % allowance = 115.00, so three charges of 30.00 fit and a fourth does not.
        var permissionId = await Payments.ChargePermissionAsync(a, clientA, merchant, "100.00");

        var charges = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => Payments.OutcomeAsync(() => Payments.CreateChargeAsync(i % 2 == 0 ? clientA : clientB, permissionId, "30.00", captureNow: true)))));

        Assert.Equal(3, charges.Count(o => o == new Outcome(201, null)));
        Assert.Equal(5, charges.Count(o => o == new Outcome(422, "TransactionAmountExceeded")));
        var captured = a.Store.Read(reader => reader.GetChargesOfPermission(merchant.MerchantId, permissionId));
        Assert.Equal(90.00m, captured.Sum(c => c.CaptureAmount!.Value.Amount));

        // Refunds of one 30.00 capture may reach 34.50 (the allowance again): one refund of 20.00 fits, a second does not.
        var chargeId = captured[0].ChargeId;
        var refunds = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(
            () => Payments.OutcomeAsync(() => Payments.RefundAsync(i % 2 == 0 ? clientA : clientB, chargeId, "20.00")))));

        Assert.Single(refunds, o => o == new Outcome(201, null));
        Assert.Equal(5, refunds.Count(o => o == new Outcome(422, "TransactionAmountExceeded")));
        Assert.Single(b.Store.Read(reader => reader.GetRefundsOfCharge(merchant.MerchantId, chargeId)));
    }

    [SkippableFact]
    public async Task ABuyerMovingBetweenNodes_StaysSignedIn_AndBuyerTokensWorkOnEveryNode()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);
        var sessionId = (await Checkouts.CreateAsync(clientA, merchant)).Value.CheckoutSessionId!;
        // One browser, its cookies shared by both nodes (cookies ignore the port), as behind a load balancer.
        var cookies = new CookieContainer();
        using var browserA = Browser(a, cookies);
        using var browserB = Browser(b, cookies);

        // Each form is fetched from one node and posted to the other: anti-forgery and the buyer cookie hold across nodes.
        var page = await new HostedCheckout(browserA).GetPageAsync($"/checkout/{sessionId}");
        var signIn = HostedCheckout.Form(page, "buyer-signin");
        var buyerId = Regex.Match(page, "<option value=\"(amzn1[^\"]+)\"").Groups[1].Value;
        using var signedIn = await new HostedCheckout(browserB).PostAsync(signIn.Action, signIn.Token, ("buyerId", buyerId));
        page = await new HostedCheckout(browserB).GetPageAsync($"/checkout/{sessionId}");
        var approve = HostedCheckout.Form(page, "buyer-approve");
        using var approved = await new HostedCheckout(browserA).PostAsync(
            approve.Action, approve.Token, ("paymentInstrumentId", "visa-1111"), ("shippingAddressId", "0"));
        // Sign in with Amazon Pay on one node; the merchant exchanges the buyer token on the other.
        var returned = await new HostedSignIn(browserA).SignInAsync(HostedSignIn.Link(merchant, HostedSignIn.Payload(merchant, scopes: ["name"])));
        var buyer = HostedSignIn.Buyer(await HostedSignIn.GetBuyerAsync(clientB, HostedSignIn.BuyerToken(returned)));

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        Assert.NotNull((await clientB.GetCheckoutSessionAsync(sessionId)).Value.Buyer);
        Assert.False(string.IsNullOrEmpty(buyer.Name));
    }

    private static HttpClient Browser(TillpointHost host, CookieContainer cookies) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = cookies,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == host.CertificateThumbprint },
    })
    {
        BaseAddress = host.HttpsBase,
    };

    [SkippableFact]
    public async Task SandboxClockAdvancedThroughOneNode_ReachesTheOtherWithinItsRefreshInterval()
    {
        var refresh = TimeSpan.FromMilliseconds(500);
        var (a, b) = await TwoNodesAsync(options => options with { ClockOffsetRefresh = refresh });
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientB = b.Client(merchant);
        var sessionId = (await Checkouts.CreateAsync(clientB, merchant)).Value.CheckoutSessionId!;
        using var operatorB = b.Operator();
        Assert.Equal(0, (await operatorB.GetClockAsync()).OffsetSeconds);

        await a.AdvanceSandboxAsync(TimeSpan.FromHours(25));
        var advanced = Stopwatch.StartNew();
        while ((await operatorB.GetClockAsync()).OffsetSeconds != 25 * 3600)
        {
            Assert.True(advanced.Elapsed < refresh + Slack, $"node B still had the old sandbox clock after {advanced.Elapsed}");
            await Task.Delay(50);
        }

        // Node A's sweeper expired the session when it moved the clock; node B shows the stored state.
        var session = (await clientB.GetCheckoutSessionAsync(sessionId)).Value.StatusDetails!;
        Assert.Equal(("Canceled", "Expired"), (session.State, session.ReasonCode));
    }

    [SkippableFact]
    public async Task KeyRevokedThroughOneNode_StopsWorkingOnTheOtherWithinTheKeyCacheLifetime()
    {
        var ttl = TimeSpan.FromSeconds(1);
        var (a, b) = await TwoNodesAsync(options => options with { KeyCacheTtl = ttl });
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientB = b.Client(merchant);
        // A signed request that reaches the lookup: the key is accepted (and now cached by node B).
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => clientB.GetChargeAsync("S01-0000000-0000000-C000000")));

        var (exit, _, _) = await a.CliAsync("keys", "revoke", merchant.SandboxKeyId);
        var revoked = Stopwatch.StartNew();
        Outcome outcome;
        while ((outcome = await Payments.OutcomeAsync(() => clientB.GetChargeAsync("S01-0000000-0000000-C000000"))).StatusCode == 404)
        {
            Assert.True(revoked.Elapsed < ttl + Slack, $"node B still accepted the revoked key after {revoked.Elapsed}");
            await Task.Delay(50);
        }

        Assert.Equal(0, exit);
        Assert.Equal(401, outcome.StatusCode);
    }

    [SkippableFact]
    public async Task MixedLoadSpreadOverTwoNodes_KeepsEveryMoneyRule_AndEachKeyHasOneEffect()
    {
        var (a, b) = await TwoNodesAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        var merchant = await a.CreateMerchantAsync();
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);
        var sent = 0;

        // Every other request to each node, so a key and its retries land on both.
        var answers = await MixedLoad.RunAsync(a, merchant, (_, operation) => MixedLoad.Answer.Of(
            operation, operation.SendAsync(Interlocked.Increment(ref sent) % 2 == 0 ? clientA : clientB)));

        Assert.Equal(MixedLoad.Requests, answers.Count);
        Assert.Contains(
            answers.Where(x => x.Operation.Key is not null).GroupBy(x => x.Operation.Key),
            retries => retries.Count() > 1);
    }

    [SkippableFact]
    public async Task ANodeKilledMidLoad_LosesNothingItAcknowledged_AndTheOtherNodeCarriesOn()
    {
        var storage = TestStorage.Create(StoreKind.Postgres);
        await using var survivor = await TillpointHost.StartAsync(storage, ownsStorage: true);
        // The node to be killed runs on real clocks; the survivor follows them.
        survivor.Clock.Set(DateTimeOffset.UtcNow);
        survivor.SignatureClock.Set(DateTimeOffset.UtcNow);
        var merchant = await survivor.CreateMerchantAsync();
        using var victimStorage = storage.AnotherNode();
        await using var victim = await NodeProcess.StartAsync(victimStorage);
        using var toVictim = victim.Client(merchant);
        using var toSurvivor = survivor.Client(merchant);
        var sent = 0;
        var acknowledged = new ConcurrentBag<MixedLoad.Answer>();
        var failedOver = 0;

        var answers = await MixedLoad.RunAsync(
            survivor,
            merchant,
            async (_, operation) =>
            {
                // SIGKILL a third of the way in, while the other workers' requests are in flight on the victim.
                if (Interlocked.Increment(ref sent) == MixedLoad.Requests / 3)
                {
                    victim.Kill();
                }

                try
                {
                    var answer = await MixedLoad.Answer.Of(operation, operation.SendAsync(toVictim));
                    acknowledged.Add(answer);
                    return answer;
                }
                catch (HttpRequestException)
                {
                    // Not acknowledged: a client retries on another node (a cancel has no key, so it looks first).
                    Interlocked.Increment(ref failedOver);
                    return await FailOverAsync(operation, toSurvivor);
                }
            },
            beforeChecks: () => survivor.Clock.Set(DateTimeOffset.UtcNow));

        Assert.True(victim.HasExited, "the victim was never killed");
        Assert.InRange(acknowledged.Count, 1, MixedLoad.Requests - 1);
        Assert.True(failedOver > 0);
        Assert.Equal(MixedLoad.Requests, answers.Count);
        // Nothing the dead node acknowledged was lost: the survivor replays each keyed answer byte for byte, and each
        // cancel it confirmed is stored.
        foreach (var answer in acknowledged.Where(x => x.Operation.Key is not null))
        {
            var replay = await MixedLoad.Answer.Of(answer.Operation, answer.Operation.SendAsync(toSurvivor));
            Assert.Equal((answer.StatusCode, answer.Body), (replay.StatusCode, replay.Body));
        }

        foreach (var cancel in acknowledged.Where(x => x.Operation.Kind == MixedLoad.Kind.Cancel && x.IsSuccess))
        {
            Assert.Equal("Canceled", await Payments.ChargeStateAsync(toSurvivor, cancel.Operation.ChargeId!));
        }
    }

    /// <summary>
    /// Sends a request the dead node may or may not have carried out. Keyed requests are simply sent again; a cancel
    /// is looked up first, and a charge already canceled counts as the cancel's answer.
    /// </summary>
    private static async Task<MixedLoad.Answer> FailOverAsync(MixedLoad.Operation operation, AmazonPayClient client)
    {
        if (operation.Kind == MixedLoad.Kind.Cancel)
        {
            var charge = await client.SendAsync(HttpMethod.Get, $"charges/{operation.ChargeId}", null);
            var body = Encoding.UTF8.GetString(charge.Body);
            if (body.Contains("\"MerchantCanceled\"", StringComparison.Ordinal))
            {
                return new MixedLoad.Answer(operation, 200, body);
            }
        }

        return await MixedLoad.Answer.Of(operation, operation.SendAsync(client));
    }
}
