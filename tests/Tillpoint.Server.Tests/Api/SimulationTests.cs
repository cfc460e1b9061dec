using Tillpoint.Client;
using Tillpoint.Domain.Simulation;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>The <c>x-amz-pay-simulation-code</c> header (spec §10.2): every code's outcome, and every way to misuse it.</summary>
public sealed class SimulationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string None = "none";

    private static readonly TimeSpan SandboxDelay = TimeSpan.FromSeconds(30);

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    /// <summary>
    /// Each code's documented outcome: the answer to the call, the object's state right after it and after the sandbox
    /// delay ("state reasonCode"), and the permission's state at the end. The object is the checkout session for
    /// Update (after the buyer is processed), the charge for Complete, Finalize and charge operations, the refund for
    /// Create Refund and the permission for Close.
    /// </summary>
    public static TheoryData<SimulatedOperation, string, int, string?, string, string, string?> Documented { get; } = new()
    {
        { SimulatedOperation.UpdateCheckoutSession, "BuyerCanceled", 200, null, "Open", "Canceled BuyerCanceled", null },
        { SimulatedOperation.UpdateCheckoutSession, "Declined", 200, null, "Open", "Canceled Declined", null },
        { SimulatedOperation.UpdateCheckoutSession, "AmazonCanceled", 200, null, "Open", "Canceled AmazonCanceled", null },
        { SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated", 202, null, "AuthorizationInitiated", "Authorized", "Chargeable" },
        { SimulatedOperation.FinalizeCheckoutSession, "AuthorizationInitiated", 202, null, "AuthorizationInitiated", "Authorized", "Chargeable" },
        { SimulatedOperation.CreateCharge, "SoftDeclined", 422, "SoftDeclined", "Declined SoftDeclined", "Declined SoftDeclined", "NonChargeable PaymentMethodInvalid" },
        { SimulatedOperation.CreateCharge, "HardDeclined", 422, "HardDeclined", "Declined HardDeclined", "Declined HardDeclined", "NonChargeable PaymentMethodInvalid" },
        { SimulatedOperation.CreateCharge, "AmazonRejected", 422, "AmazonRejected", "Declined AmazonRejected", "Declined AmazonRejected", "Chargeable" },
        { SimulatedOperation.CreateCharge, "TransactionTimedOut", 422, "TransactionTimedOut", "Declined TransactionTimedOut", "Declined TransactionTimedOut", "Chargeable" },
        { SimulatedOperation.CreateCharge, "PaymentMethodNotAllowed", 422, "PaymentMethodNotAllowed", "Declined PaymentMethodNotAllowed", "Declined PaymentMethodNotAllowed", "NonChargeable PaymentMethodNotAllowed" },
        { SimulatedOperation.CreateCharge, "MFANotCompleted", 422, "MFANotCompleted", "Declined MFANotCompleted", "Declined MFANotCompleted", "Chargeable" },
        { SimulatedOperation.CreateCharge, "ProcessingFailure", 500, "ProcessingFailure", None, None, "Chargeable" },
        { SimulatedOperation.CreateCharge, "AuthorizationInitiated", 201, null, "AuthorizationInitiated", "Authorized", "Chargeable" },
        { SimulatedOperation.CreateCharge, "AuthorizationInitiatedSoftDeclined", 201, null, "AuthorizationInitiated", "Declined SoftDeclined", "NonChargeable PaymentMethodInvalid" },
        { SimulatedOperation.CreateCharge, "AuthorizationInitiatedHardDeclined", 201, null, "AuthorizationInitiated", "Declined HardDeclined", "NonChargeable PaymentMethodInvalid" },
        { SimulatedOperation.CaptureCharge, "CaptureInitiated", 200, null, "CaptureInitiated", "Captured", "Chargeable" },
        { SimulatedOperation.CaptureCharge, "AmazonRejected", 200, null, "CaptureInitiated", "Declined AmazonRejected", "Chargeable" },
        { SimulatedOperation.CaptureCharge, "ProcessingFailure", 200, null, "CaptureInitiated", "Declined ProcessingFailure", "Chargeable" },
        { SimulatedOperation.CaptureCharge, "Chargeback", 200, null, "Captured", "Captured", "Chargeable" },
        { SimulatedOperation.CaptureCharge, "ChargebackProductNotReceived", 200, null, "Captured", "Captured", "Chargeable" },
        { SimulatedOperation.CancelCharge, "AmazonCanceled", 200, null, "Canceled AmazonCanceled", "Canceled AmazonCanceled", "Chargeable" },
        { SimulatedOperation.CreateRefund, "AmazonRejected", 201, null, "RefundInitiated", "Declined AmazonRejected", "Chargeable" },
        { SimulatedOperation.CreateRefund, "ProcessingFailure", 201, null, "RefundInitiated", "Declined ProcessingFailure", "Chargeable" },
        { SimulatedOperation.CloseChargePermission, "AmazonClosed", 200, null, "Closed AmazonClosed", "Closed AmazonClosed", "Closed AmazonClosed" },
    };

    [Fact]
    public void Documented_CoversEveryRowOfTheSimulationTable()
    {
        var documented = Documented.Select(row => ((SimulatedOperation)row[0], (string)row[1])).Order().ToList();
        var table = SandboxSimulations.Table.Select(row => (row.Operation, row.Code)).Order().ToList();

        Assert.Equal(table, documented);
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public async Task EverySimulationCode_ProducesItsDocumentedOutcome(
        SimulatedOperation operation, string code, int status, string? reasonCode, string stateAtOnce, string stateAfterDelay, string? permissionAfter)
    {
        using var client = Host.Client(Merchant);
        var scenario = await RunAsync(client, operation, code);

        Assert.Equal(new Outcome(status, reasonCode), scenario.Outcome);
        Assert.Equal(stateAtOnce, scenario.StateAtOnce);
        await Host.AdvanceSandboxAsync(SandboxDelay);
        Assert.Equal(stateAfterDelay, await scenario.ReadState());
        if (permissionAfter is not null)
        {
            Assert.Equal(permissionAfter, await Payments.PermissionStateAsync(client, scenario.PermissionId!));
        }
    }

    [Fact]
    public async Task PendingCompletion_HoldsThePermissionAsChargeInProgress_UntilTheChargeResolves()
    {
        using var client = Host.Client(Merchant);
        var processed = await Checkouts.ProcessedAsync(Host, client, Merchant, canHandlePending: true);

        var completed = (await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, options: Code("AuthorizationInitiated"))).Value;

        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("NonChargeable ChargeInProgress", await Payments.PermissionStateAsync(client, completed.ChargePermissionId!));
    }

    [Fact]
    public async Task UnknownCode_IsInvalidSandboxSimulationSpecified_AndCreatesNothing()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var outcome = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "10.00", simulationCode: "NoSuchCode"));

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), outcome);
        Assert.Empty(Host.Store.Read(reader => reader.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Theory]
    [InlineData("CaptureInitiated")]
    [InlineData("AmazonClosed")]
    [InlineData("softdeclined")]
    public async Task CodeOfAnotherOperationOrInAnotherCase_IsInvalidSandboxSimulationSpecified(string code)
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var outcome = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "10.00", simulationCode: code));

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), outcome);
    }

    [Fact]
    public async Task CodeOnAnOperationWithoutSimulations_IsInvalidSandboxSimulationSpecified()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var getCharge = await Payments.OutcomeAsync(() => client.GetChargeAsync(completed.ChargeId!, Code("AuthorizationInitiated")));
        var getPermission = await Payments.OutcomeAsync(() => client.GetChargePermissionAsync(completed.ChargePermissionId!, Code("AmazonClosed")));
        var updatePermission = await Payments.OutcomeAsync(() => client.UpdateChargePermissionAsync(
            completed.ChargePermissionId!, new UpdateChargePermissionRequest { MerchantMetadata = new() { NoteToBuyer = "x" } }, Code("AmazonClosed")));

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), getCharge);
        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), getPermission);
        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), updatePermission);
        Assert.Null((await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.MerchantMetadata!.NoteToBuyer);
    }

    [Fact]
    public async Task AnyCodeInLive_IsInvalidSandboxSimulationSpecified_AndChangesNothing()
    {
        using var live = Host.Client(Merchant, Merchant.LiveKeyId);
        var completed = await Checkouts.AuthorizedAsync(Host, live, Merchant, "50.00");
        var chargeId = completed.ChargeId!;
        var permissionId = completed.ChargePermissionId!;
        var expected = new Outcome(400, "InvalidSandboxSimulationSpecified");

        Assert.Equal(expected, await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(live, permissionId, "1.00", simulationCode: "SoftDeclined")));
        Assert.Equal(expected, await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(live, chargeId, "50.00", simulationCode: "CaptureInitiated")));
        Assert.Equal(expected, await Payments.OutcomeAsync(() => Payments.CancelAsync(live, chargeId, "AmazonCanceled")));
        Assert.Equal(expected, await Payments.OutcomeAsync(() => Payments.CloseAsync(live, permissionId, simulationCode: "AmazonClosed")));
        Assert.Equal(expected, await Payments.OutcomeAsync(() => live.GetChargeAsync(chargeId, Code("CaptureInitiated"))));
        Assert.Equal(expected, await Payments.OutcomeAsync(() => live.CreateCheckoutSessionAsync(
            new CreateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
                StoreId = Merchant.StoreId,
            },
            Code("BuyerCanceled"))));

        Assert.Equal("Authorized", await Payments.ChargeStateAsync(live, chargeId));
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(live, permissionId));
        Assert.Single(Host.Store.Read(reader => reader.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Fact]
    public async Task PendingCodeOnCreateCharge_WithoutCanHandlePendingAuthorization_IsInvalidSandboxSimulationSpecified()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var outcome = await Payments.OutcomeAsync(
            () => Payments.CreateChargeAsync(client, permissionId, "10.00", simulationCode: "AuthorizationInitiated"));

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), outcome);
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(client, permissionId));
        Assert.Empty(Host.Store.Read(reader => reader.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Theory]
    [InlineData("Authorize")]
    [InlineData("AuthorizeWithCapture")]
    [InlineData("Confirm")]
    public async Task PendingCodeOnComplete_WithoutCanHandlePendingAuthorization_IsInvalidSandboxSimulationSpecified(string intent)
    {
        using var client = Host.Client(Merchant);
        var processed = await Checkouts.ProcessedAsync(Host, client, Merchant, intent: intent);

        var outcome = await Payments.OutcomeAsync(
            () => Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, options: Code("AuthorizationInitiated")));
        var completed = await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!);

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), outcome);
        Assert.Equal(200, completed.StatusCode);
    }

    [Fact]
    public async Task PendingCodeOnFinalize_WithoutCanHandlePendingAuthorization_IsInvalidSandboxSimulationSpecified()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        using var browser = Host.Browser();
        await new HostedCheckout(browser).ApproveAsync(created.CheckoutSessionId!);
        var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!)).Value;
        var request = new FinalizeCheckoutSessionRequest
        {
            ChargeAmount = Payments.Price("14.00"),
            PaymentIntent = "Authorize",
            ShippingAddress = updated.ShippingAddress,
        };

        var outcome = await Payments.OutcomeAsync(
            () => client.FinalizeCheckoutSessionAsync(created.CheckoutSessionId!, request, Code("AuthorizationInitiated")));
        var finalized = await client.FinalizeCheckoutSessionAsync(created.CheckoutSessionId!, request);

        Assert.Equal(new Outcome(400, "InvalidSandboxSimulationSpecified"), outcome);
        Assert.Equal(200, finalized.StatusCode);
        Assert.Equal("Authorized", await ChargeStateAsync(client, finalized.Value.ChargeId!));
    }

    [Fact]
    public async Task TheCode_IsPartOfTheIdempotencyHash()
    {
        using var client = Host.Client(Merchant);
        var first = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();

        var captured = await Checkouts.CaptureAsync(client, first.ChargeId!, idempotencyKey: key, simulationCode: "CaptureInitiated");
        var replay = await Checkouts.CaptureAsync(client, first.ChargeId!, idempotencyKey: key, simulationCode: "CaptureInitiated");
        var withoutCode = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, first.ChargeId!, idempotencyKey: key));
        var otherCode = await Payments.OutcomeAsync(
            () => Checkouts.CaptureAsync(client, first.ChargeId!, idempotencyKey: key, simulationCode: "AmazonRejected"));

        Assert.Equal("CaptureInitiated", captured.Value.StatusDetails!.State);
        Assert.Equal(200, replay.StatusCode);
        Assert.Equal(captured.Value.StatusDetails.LastUpdatedTimestamp, replay.Value.StatusDetails!.LastUpdatedTimestamp);
        Assert.Equal(new Outcome(400, "DuplicateIdempotencyKey"), withoutCode);
        Assert.Equal(new Outcome(400, "DuplicateIdempotencyKey"), otherCode);
    }

    [Fact]
    public async Task ProcessingFailure_IsNotRemembered_SoARetryWithTheSameKeyCanSucceed()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();

        var failed = await Payments.OutcomeAsync(
            () => Payments.CreateChargeAsync(client, permissionId, "10.00", simulationCode: "ProcessingFailure", idempotencyKey: key));
        var failedAgain = await Payments.OutcomeAsync(
            () => Payments.CreateChargeAsync(client, permissionId, "10.00", simulationCode: "ProcessingFailure", idempotencyKey: key));
        var retried = await Payments.CreateChargeAsync(client, permissionId, "10.00", idempotencyKey: key);
        var replay = await Payments.CreateChargeAsync(client, permissionId, "10.00", idempotencyKey: key);

        Assert.Equal(new Outcome(500, "ProcessingFailure"), failed);
        Assert.Equal(new Outcome(500, "ProcessingFailure"), failedAgain);
        Assert.Equal(201, retried.StatusCode);
        Assert.Equal(retried.Value.ChargeId, replay.Value.ChargeId);
        Assert.Single(Host.Store.Read(reader => reader.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    private static RequestOptions Code(string code) => new() { SimulationCode = code };

    /// <summary>
    /// What a simulated call did: its answer, the affected object's "state reasonCode" right after it ("none" when no
    /// object was created), a way to read that state again, and the permission involved.
    /// </summary>
    private sealed record Scenario(Outcome Outcome, string StateAtOnce, Func<Task<string>> ReadState, string? PermissionId)
    {
        public static async Task<Scenario> OfAsync(Outcome outcome, Func<Task<string>> readState, string? permissionId) =>
            new(outcome, await readState(), readState, permissionId);
    }

    /// <summary>Sets up what the operation needs and calls it with the code.</summary>
    private async Task<Scenario> RunAsync(
        AmazonPayClient client, SimulatedOperation operation, string code)
    {
        switch (operation)
        {
            case SimulatedOperation.UpdateCheckoutSession:
            {
                var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
                using var browser = Host.Browser();
                var pages = new HostedCheckout(browser);
                await pages.ApproveAsync(created.CheckoutSessionId!);
                var outcome = await Payments.OutcomeAsync(() => Checkouts.UpdateAsync(client, created.CheckoutSessionId!, options: Code(code)));
                var open = await SessionStateAsync(client, created.CheckoutSessionId!);
                // The code takes effect when the buyer reaches amazonPayRedirectUrl.
                var updated = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;
                await pages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
                var completion = await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, created.CheckoutSessionId!));
                Assert.Equal(new Outcome(422, "CheckoutSessionCanceled"), completion);
                return new Scenario(outcome, open, () => SessionStateAsync(client, created.CheckoutSessionId!), null);
            }

            case SimulatedOperation.CompleteCheckoutSession:
            {
                var processed = await Checkouts.ProcessedAsync(Host, client, Merchant, canHandlePending: true);
                var completed = await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, options: Code(code));
                return await Scenario.OfAsync(
                    new Outcome(completed.StatusCode, null), () => ChargeStateAsync(client, completed.Value.ChargeId!), completed.Value.ChargePermissionId);
            }

            case SimulatedOperation.FinalizeCheckoutSession:
            {
                var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
                using var browser = Host.Browser();
                await new HostedCheckout(browser).ApproveAsync(created.CheckoutSessionId!);
                var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!, canHandlePending: true)).Value;
                var finalized = await client.FinalizeCheckoutSessionAsync(
                    created.CheckoutSessionId!,
                    new FinalizeCheckoutSessionRequest
                    {
                        ChargeAmount = Payments.Price("14.00"),
                        PaymentIntent = "Authorize",
                        CanHandlePendingAuthorization = true,
                        ShippingAddress = updated.ShippingAddress,
                    },
                    Code(code));
                return await Scenario.OfAsync(
                    new Outcome(finalized.StatusCode, null), () => ChargeStateAsync(client, finalized.Value.ChargeId!), finalized.Value.ChargePermissionId);
            }

            case SimulatedOperation.CreateCharge:
            {
                var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
                var pending = code.StartsWith("AuthorizationInitiated", StringComparison.Ordinal);
                var outcome = await Payments.OutcomeAsync(
                    () => Payments.CreateChargeAsync(client, permissionId, "10.00", canHandlePending: pending, simulationCode: code));
                // A declined charge exists though the answer is an error, which names no id: find it in the store.
                var charges = Host.Store.Read(reader => reader.GetChargesOfPermission(Merchant.MerchantId, permissionId));
                return await Scenario.OfAsync(
                    outcome, async () => charges.Count == 0 ? None : await ChargeStateAsync(client, Assert.Single(charges).ChargeId), permissionId);
            }

            case SimulatedOperation.CaptureCharge:
            {
                var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
                var outcome = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, completed.ChargeId!, simulationCode: code));
                return await Scenario.OfAsync(outcome, () => ChargeStateAsync(client, completed.ChargeId!), completed.ChargePermissionId);
            }

            case SimulatedOperation.CancelCharge:
            {
                var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
                var outcome = await Payments.OutcomeAsync(() => Payments.CancelAsync(client, completed.ChargeId!, code));
                return await Scenario.OfAsync(outcome, () => ChargeStateAsync(client, completed.ChargeId!), completed.ChargePermissionId);
            }

            case SimulatedOperation.CreateRefund:
            {
                var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
                await Checkouts.CaptureAsync(client, completed.ChargeId!);
                var refund = await Payments.RefundAsync(client, completed.ChargeId!, "14.00", simulationCode: code);
                return await Scenario.OfAsync(new Outcome(refund.StatusCode, null), async () =>
                {
                    var status = (await client.GetRefundAsync(refund.Value.RefundId!)).Value.StatusDetails!;
                    // A declined refund returns nothing: the charge's refunded amount stays zero.
                    Assert.Equal("0.00", (await client.GetChargeAsync(completed.ChargeId!)).Value.RefundedAmount!.Amount);
                    return Describe(status);
                }, completed.ChargePermissionId);
            }

            case SimulatedOperation.CloseChargePermission:
            {
                var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
                var outcome = await Payments.OutcomeAsync(() => Payments.CloseAsync(client, permissionId, simulationCode: code));
                return await Scenario.OfAsync(outcome, () => Payments.PermissionStateAsync(client, permissionId), permissionId);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(operation), operation, "No scenario for this operation.");
    }

    private static async Task<string> ChargeStateAsync(AmazonPayClient client, string chargeId) =>
        Describe((await client.GetChargeAsync(chargeId)).Value.StatusDetails!);

    private static async Task<string> SessionStateAsync(AmazonPayClient client, string checkoutSessionId) =>
        Describe((await client.GetCheckoutSessionAsync(checkoutSessionId)).Value.StatusDetails!);

    private static string Describe(StatusDetailsDto status) => status.ReasonCode is null ? status.State! : $"{status.State} {status.ReasonCode}";
}
