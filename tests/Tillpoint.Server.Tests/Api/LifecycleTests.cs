using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// The payment lifecycle after checkout, through Tillpoint.Client: deferred charges, captures, refunds, cancel and
/// close, permission updates, Finalize, Delivery Trackers, and the same in Live.
/// </summary>
public sealed class LifecycleTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly TimeSpan SandboxDelay = TimeSpan.FromSeconds(30);

    private static readonly Outcome NotFound = new(404, "ResourceNotFound");

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task DeferredFlow_ChargeCapturePartlyRefundTwice_SettlesToExactAmounts()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var fresh = (await client.GetChargePermissionAsync(permissionId)).Value;
        Assert.Equal("Chargeable", fresh.StatusDetails!.State);
        Assert.Equal("115.00", fresh.Limits!.AmountLimit!.Amount);
        Assert.Equal("115.00", fresh.Limits.AmountBalance!.Amount);

        var created = await Payments.CreateChargeAsync(client, permissionId, "80.00");
        Assert.Equal(201, created.StatusCode);
        var chargeId = created.Value.ChargeId!;
        Assert.Matches($"^{permissionId}-C\\d{{6}}$", chargeId);
        Assert.Equal("Authorized", created.Value.StatusDetails!.State);
        Assert.Null(created.Value.CaptureAmount);
        Assert.Equal("35.00", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);

        var captured = await Checkouts.CaptureAsync(client, chargeId, "50.00");
        Assert.Equal(200, captured.StatusCode);
        Assert.Equal("Captured", captured.Value.StatusDetails!.State);
        Assert.Equal("80.00", captured.Value.ChargeAmount!.Amount);
        Assert.Equal("50.00", captured.Value.CaptureAmount!.Amount);

        var first = await Payments.RefundAsync(client, chargeId, "20.00");
        var second = await Payments.RefundAsync(client, chargeId, "15.50");
        Assert.Equal(201, first.StatusCode);
        Assert.Equal(201, second.StatusCode);
        Assert.Matches($"^{permissionId}-R\\d{{6}}$", first.Value.RefundId);
        Assert.NotEqual(first.Value.RefundId, second.Value.RefundId);
        Assert.Equal(chargeId, first.Value.ChargeId);
        Assert.Equal("RefundInitiated", first.Value.StatusDetails!.State);
        Assert.Equal("15.50", second.Value.RefundAmount!.Amount);
        // Refunds count against the capture (plus the 15 % allowance, 7.50) as soon as they are initiated.
        var over = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.RefundAsync(client, chargeId, "22.01"));
        Assert.Equal(422, over.StatusCode);
        Assert.Equal("TransactionAmountExceeded", over.ReasonCode);
        Assert.Equal("0.00", (await client.GetChargeAsync(chargeId)).Value.RefundedAmount!.Amount);

        await Host.AdvanceSandboxAsync(SandboxDelay);

        Assert.Equal("Refunded", (await client.GetRefundAsync(first.Value.RefundId!)).Value.StatusDetails!.State);
        Assert.Equal("Refunded", (await client.GetRefundAsync(second.Value.RefundId!)).Value.StatusDetails!.State);
        var refunded = (await client.GetChargeAsync(chargeId)).Value;
        Assert.Equal("Captured", refunded.StatusDetails!.State);
        Assert.Equal("35.50", refunded.RefundedAmount!.Amount);
        Assert.Equal("USD", refunded.RefundedAmount.CurrencyCode);
        var permission = (await client.GetChargePermissionAsync(permissionId)).Value;
        Assert.Equal("115.00", permission.Limits!.AmountLimit!.Amount);
        // Once captured, a charge holds its captured amount: 115.00 - 50.00.
        Assert.Equal("65.00", permission.Limits.AmountBalance!.Amount);
    }

    [Fact]
    public async Task CreateCharge_WithCaptureNow_IsCapturedAtOnce()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");

        var created = await Payments.CreateChargeAsync(client, permissionId, "30.00", captureNow: true, softDescriptor: "TILLPOINT*1001");

        Assert.Equal(201, created.StatusCode);
        Assert.Equal("Captured", created.Value.StatusDetails!.State);
        Assert.Equal("30.00", created.Value.CaptureAmount!.Amount);
        Assert.Equal("TILLPOINT*1001", created.Value.SoftDescriptor);
        Assert.Equal("85.00", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);
        Assert.Equal(201, (await Payments.RefundAsync(client, created.Value.ChargeId!, "30.00")).StatusCode);
    }

    [Fact]
    public async Task CreateCharge_SoftDescriptorWithoutCaptureNow_IsInvalidParameterCombination()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(
            () => Payments.CreateChargeAsync(client, permissionId, "10.00", softDescriptor: "TILLPOINT"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("InvalidParameterCombination", error.ReasonCode);
    }

    [Theory]
    [InlineData("visa-0701", "Authorized", null, "Chargeable")]
    [InlineData("visa-4354", "Declined", "HardDeclined", "NonChargeable PaymentMethodInvalid")]
    public async Task PendingInstrument_WithCanHandlePending_HoldsThePermissionNonChargeableUntilTheOutcome(
        string instrumentId, string finalState, string? finalReason, string finalPermission)
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, instrumentId: instrumentId);

        var created = await Payments.CreateChargeAsync(client, permissionId, "40.00", canHandlePending: true);
        var held = await Payments.PermissionStateAsync(client, permissionId);
        var second = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.CreateChargeAsync(client, permissionId, "10.00"));
        await Host.AdvanceSandboxAsync(SandboxDelay);
        var resolved = (await client.GetChargeAsync(created.Value.ChargeId!)).Value;

        Assert.Equal(201, created.StatusCode);
        Assert.Equal("AuthorizationInitiated", created.Value.StatusDetails!.State);
        Assert.Equal("NonChargeable ChargeInProgress", held);
        Assert.Equal(422, second.StatusCode);
        Assert.Equal("InvalidChargePermissionStatus", second.ReasonCode);
        Assert.Equal(finalState, resolved.StatusDetails!.State);
        Assert.Equal(finalReason, resolved.StatusDetails.ReasonCode);
        Assert.Equal(finalPermission, await Payments.PermissionStateAsync(client, permissionId));
    }

    [Theory]
    [InlineData("visa-0701", "Authorized", "Chargeable")]
    [InlineData("visa-4354", "Declined", "NonChargeable PaymentMethodInvalid")]
    public async Task PendingInstrument_AtCheckout_Completes202_WithThePermissionChargeInProgressUntilTheOutcome(
        string instrumentId, string finalState, string finalPermission)
    {
        using var client = Host.Client(Merchant);
        var processed = await Checkouts.ProcessedAsync(Host, client, Merchant, instrumentId, canHandlePending: true);

        var completed = await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!);
        var held = await Payments.PermissionStateAsync(client, completed.Value.ChargePermissionId!);
        await Host.AdvanceSandboxAsync(SandboxDelay);

        Assert.Equal(202, completed.StatusCode);
        Assert.Equal("NonChargeable ChargeInProgress", held);
        Assert.Equal(finalState, await Payments.ChargeStateAsync(client, completed.Value.ChargeId!));
        Assert.Equal(finalPermission, await Payments.PermissionStateAsync(client, completed.Value.ChargePermissionId!));
    }

    [Fact]
    public async Task CancelingAPendingAuthorization_MakesThePermissionChargeableAgain()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, instrumentId: "visa-0701");
        var pending = (await Payments.CreateChargeAsync(client, permissionId, "40.00", canHandlePending: true)).Value;

        var canceled = (await Payments.CancelAsync(client, pending.ChargeId!)).Value;

        Assert.Equal(("Canceled", "MerchantCanceled"), (canceled.StatusDetails!.State, canceled.StatusDetails.ReasonCode));
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(client, permissionId));
        Assert.Equal(201, (await Payments.CreateChargeAsync(client, permissionId, "40.00")).StatusCode);
        await Host.AdvanceSandboxAsync(SandboxDelay);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, pending.ChargeId!));
    }

    [Theory]
    [InlineData("visa-0701", 201, null)]
    [InlineData("visa-4354", 422, "HardDeclined")]
    public async Task PendingInstrument_WithoutCanHandlePending_IsDecidedSynchronously(string instrumentId, int status, string? reasonCode)
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, instrumentId: instrumentId);

        var outcome = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "40.00"));

        Assert.Equal(new Outcome(status, reasonCode), outcome);
    }

    [Fact]
    public async Task CancelCharge_IsMerchantCanceled_AndReleasesTheBalance()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var charge = (await Payments.CreateChargeAsync(client, permissionId, "60.00")).Value;

        var canceled = await Payments.CancelAsync(client, charge.ChargeId!);

        Assert.Equal(200, canceled.StatusCode);
        Assert.Equal("Canceled", canceled.Value.StatusDetails!.State);
        Assert.Equal("MerchantCanceled", canceled.Value.StatusDetails.ReasonCode);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, charge.ChargeId!));
        Assert.Equal("115.00", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);
    }

    [Fact]
    public async Task CancelAndClose_WithoutABody_TakeTheDefaults()
    {
        // Every field of the two DELETE operations is optional; a client that sends no body at all is understood.
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var charge = (await Payments.CreateChargeAsync(client, permissionId, "60.00")).Value;

        var canceled = await client.SendAsync(HttpMethod.Delete, $"charges/{charge.ChargeId}/cancel", null);
        var closed = await client.SendAsync(HttpMethod.Delete, $"chargePermissions/{permissionId}/close", null);

        Assert.Equal(200, canceled.StatusCode);
        Assert.Equal(200, closed.StatusCode);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, charge.ChargeId!));
        Assert.Equal("Closed MerchantClosed", await Payments.PermissionStateAsync(client, permissionId));
    }

    [Fact]
    public async Task UpdateChargePermission_WithNothingToChange_RecordsNoEvent()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var before = (await client.GetChargePermissionAsync(permissionId)).Value;
        var eventsBefore = Host.Store.Read(r => r.GetEvents(Merchant.MerchantId, permissionId)).Count;

        var updated = await client.UpdateChargePermissionAsync(permissionId, new UpdateChargePermissionRequest());

        Assert.Equal(before.StatusDetails!.LastUpdatedTimestamp, updated.Value.StatusDetails!.LastUpdatedTimestamp);
        Assert.Equal(eventsBefore, Host.Store.Read(r => r.GetEvents(Merchant.MerchantId, permissionId)).Count);
    }

    [Fact]
    public async Task CloseChargePermission_WithoutCancelPendingCharges_LeavesItsChargesAlone()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "30.00")).Value;
        var captured = (await Payments.CreateChargeAsync(client, permissionId, "20.00", captureNow: true)).Value;

        var closed = await Payments.CloseAsync(client, permissionId);
        var again = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.CloseAsync(client, permissionId));
        var charge = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.CreateChargeAsync(client, permissionId, "1.00"));

        Assert.Equal(200, closed.StatusCode);
        Assert.Equal("Closed", closed.Value.StatusDetails!.State);
        Assert.Equal("MerchantClosed", Assert.Single(closed.Value.StatusDetails.Reasons!).ReasonCode);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, authorized.ChargeId!));
        Assert.Equal("Captured", await Payments.ChargeStateAsync(client, captured.ChargeId!));
        Assert.Equal("InvalidChargePermissionStatus", again.ReasonCode);
        Assert.Equal(422, charge.StatusCode);
        Assert.Equal("InvalidChargePermissionStatus", charge.ReasonCode);
    }

    [Fact]
    public async Task CloseChargePermission_WithCancelPendingCharges_CancelsOpenChargesWithChargePermissionCanceled()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "30.00")).Value;
        var captured = (await Payments.CreateChargeAsync(client, permissionId, "20.00", captureNow: true)).Value;
        var pending = (await Payments.CreateChargeAsync(
            client, permissionId, "10.00", canHandlePending: true, simulationCode: "AuthorizationInitiated")).Value;

        var closed = await Payments.CloseAsync(client, permissionId, cancelPendingCharges: true);

        Assert.Equal("Closed", closed.Value.StatusDetails!.State);
        Assert.Equal("MerchantClosed", Assert.Single(closed.Value.StatusDetails.Reasons!).ReasonCode);
        foreach (var id in new[] { authorized.ChargeId!, pending.ChargeId! })
        {
            var charge = (await client.GetChargeAsync(id)).Value;
            Assert.Equal("Canceled", charge.StatusDetails!.State);
            Assert.Equal("ChargePermissionCanceled", charge.StatusDetails.ReasonCode);
        }

        Assert.Equal("Captured", await Payments.ChargeStateAsync(client, captured.ChargeId!));
        // The canceled pending authorization does not come back to life when its delay passes.
        await Host.AdvanceSandboxAsync(SandboxDelay);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, pending.ChargeId!));
    }

    [Fact]
    public async Task UpdateChargePermission_MergesMerchantMetadata_UntilItIsClosed()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var noted = (await Payments.UpdateAsync(client, permissionId, new MerchantMetadataDto { NoteToBuyer = "Thank you" })).Value;
        var renamed = (await Payments.UpdateAsync(
            client, permissionId, new MerchantMetadataDto { MerchantReferenceId = "order-2002", CustomInformation = "gift" })).Value;
        await Payments.CloseAsync(client, permissionId);
        var error = await Assert.ThrowsAsync<AmazonPayException>(
            () => Payments.UpdateAsync(client, permissionId, new MerchantMetadataDto { NoteToBuyer = "Too late" }));

        Assert.Equal("order-1001", noted.MerchantMetadata!.MerchantReferenceId);
        Assert.Equal("Test Store", noted.MerchantMetadata.MerchantStoreName);
        Assert.Equal("Thank you", noted.MerchantMetadata.NoteToBuyer);
        Assert.Null(noted.MerchantMetadata.CustomInformation);
        Assert.Equal("order-2002", renamed.MerchantMetadata!.MerchantReferenceId);
        Assert.Equal("Test Store", renamed.MerchantMetadata.MerchantStoreName);
        Assert.Equal("Thank you", renamed.MerchantMetadata.NoteToBuyer);
        Assert.Equal("gift", renamed.MerchantMetadata.CustomInformation);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("ChargePermissionNotModifiable", error.ReasonCode);
        Assert.Equal("order-2002", (await client.GetChargePermissionAsync(permissionId)).Value.MerchantMetadata!.MerchantReferenceId);
    }

    [Fact]
    public async Task Finalize_AfterBuyerApproval_CompletesWithAnAuthorizedCharge()
    {
        using var client = Host.Client(Merchant);
        var approved = await ApprovedAsync(client);

        var finalized = await client.FinalizeCheckoutSessionAsync(approved.CheckoutSessionId!, Finalize(approved.ShippingAddress));

        Assert.Equal(200, finalized.StatusCode);
        Assert.Equal("Completed", finalized.Value.StatusDetails!.State);
        Assert.NotNull(finalized.Value.ChargePermissionId);
        var charge = (await client.GetChargeAsync(finalized.Value.ChargeId!)).Value;
        Assert.Equal("Authorized", charge.StatusDetails!.State);
        Assert.Equal("25.00", charge.ChargeAmount!.Amount);
    }

    [Fact]
    public async Task Finalize_WithAnotherShippingAddress_IsInvalidParameterValue_AndACorrectedOneSucceeds()
    {
        using var client = Host.Client(Merchant);
        var approved = await ApprovedAsync(client);
        var chosen = approved.ShippingAddress!;
        var elsewhere = new AddressDto
        {
            Name = chosen.Name,
            AddressLine1 = "1 Other Street",
            City = chosen.City,
            StateOrRegion = chosen.StateOrRegion,
            PostalCode = chosen.PostalCode,
            CountryCode = chosen.CountryCode,
        };

        var error = await Assert.ThrowsAsync<AmazonPayException>(
            () => client.FinalizeCheckoutSessionAsync(approved.CheckoutSessionId!, Finalize(elsewhere)));
        var open = (await client.GetCheckoutSessionAsync(approved.CheckoutSessionId!)).Value;
        var finalized = await client.FinalizeCheckoutSessionAsync(approved.CheckoutSessionId!, Finalize(chosen));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("InvalidParameterValue", error.ReasonCode);
        Assert.Contains("shippingAddress", error.Message, StringComparison.Ordinal);
        Assert.Equal("Open", open.StatusDetails!.State);
        Assert.Equal("Completed", finalized.Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Finalize_BeforeTheBuyerApproves_IsInvalidCheckoutSessionStatus()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        await Checkouts.UpdateAsync(client, created.CheckoutSessionId!, "25.00");

        var error = await Assert.ThrowsAsync<AmazonPayException>(
            () => client.FinalizeCheckoutSessionAsync(created.CheckoutSessionId!, Finalize(null)));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidCheckoutSessionStatus", error.ReasonCode);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Finalize_WhenProcessingCancels_IsCheckoutSessionCanceled()
    {
        using var client = Host.Client(Merchant);
        var approved = await ApprovedAsync(client, "visa-3064");

        var error = await Assert.ThrowsAsync<AmazonPayException>(
            () => client.FinalizeCheckoutSessionAsync(approved.CheckoutSessionId!, Finalize(approved.ShippingAddress)));
        var session = (await client.GetCheckoutSessionAsync(approved.CheckoutSessionId!)).Value;

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("CheckoutSessionCanceled", error.ReasonCode);
        Assert.Equal("Canceled", session.StatusDetails!.State);
        Assert.Equal("BuyerCanceled", session.StatusDetails.ReasonCode);
        Assert.Null(session.ChargePermissionId);
    }

    [Fact]
    public async Task DeliveryTrackers_EchoTheRequest_AndRecordAnEventOnThePermission()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);

        var echoed = await client.DeliveryTrackersAsync(Tracker(permissionId, "UPS", "1Z999AA10123456784"));

        Assert.Equal(200, echoed.StatusCode);
        Assert.Equal(permissionId, echoed.Value.ChargePermissionId);
        Assert.Null(echoed.Value.AmazonOrderReferenceId);
        var detail = Assert.Single(echoed.Value.DeliveryDetails!);
        Assert.Equal("UPS", detail.CarrierCode);
        Assert.Equal("1Z999AA10123456784", detail.TrackingNumber);
        var events = Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, permissionId));
        Assert.Contains(events, e => e.Event.Detail == "DeliveryTracker UPS 1Z999AA10123456784");
    }

    [Fact]
    public async Task DeliveryTrackers_SameShipmentTwice_IsRefused_ButAnIdempotentReplayIsNot()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();
        var tracker = Tracker(permissionId, "FEDEX", "449044304137821");
        await client.DeliveryTrackersAsync(tracker, new RequestOptions { IdempotencyKey = key });

        var replay = await client.DeliveryTrackersAsync(tracker, new RequestOptions { IdempotencyKey = key });
        var duplicate = await Assert.ThrowsAsync<AmazonPayException>(() => client.DeliveryTrackersAsync(tracker));
        var twiceInOne = await Assert.ThrowsAsync<AmazonPayException>(() => client.DeliveryTrackersAsync(new DeliveryTrackerRequest
        {
            ChargePermissionId = permissionId,
            DeliveryDetails =
            [
                new DeliveryDetailDto { CarrierCode = "USPS", TrackingNumber = "9400111899223344556677" },
                new DeliveryDetailDto { CarrierCode = "USPS", TrackingNumber = "9400111899223344556677" },
            ],
        }));

        Assert.Equal(200, replay.StatusCode);
        Assert.Equal(400, duplicate.StatusCode);
        Assert.Equal("InvalidParameterValue", duplicate.ReasonCode);
        Assert.Equal(400, twiceInOne.StatusCode);
        Assert.Equal("InvalidParameterValue", twiceInOne.ReasonCode);
        var events = Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, permissionId));
        Assert.Single(events, e => e.Event.Detail == "DeliveryTracker FEDEX 449044304137821");
        Assert.DoesNotContain(events, e => e.Event.Detail?.Contains("USPS", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task DeliveryTrackers_OneShipmentSentBefore_RefusesTheRequest_AndRecordsNoneOfIt()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        await client.DeliveryTrackersAsync(Tracker(permissionId, "FEDEX", "449044304137822"));
        var both = new DeliveryTrackerRequest
        {
            ChargePermissionId = permissionId,
            DeliveryDetails =
            [
                new DeliveryDetailDto { CarrierCode = "UPS", TrackingNumber = "1Z999AA10123456785" },
                new DeliveryDetailDto { CarrierCode = "FEDEX", TrackingNumber = "449044304137822" },
            ],
        };

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.DeliveryTrackersAsync(both));
        var eventsAfterRefusal = Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, permissionId));
        var newOneAlone = await client.DeliveryTrackersAsync(Tracker(permissionId, "UPS", "1Z999AA10123456785"));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("InvalidParameterValue", refused.ReasonCode);
        Assert.DoesNotContain(eventsAfterRefusal, e => e.Event.Detail == "DeliveryTracker UPS 1Z999AA10123456785");
        Assert.Equal(200, newOneAlone.StatusCode);
    }

    [Fact]
    public async Task DeliveryTrackers_RefuseBadInput()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var details = new List<DeliveryDetailDto> { new() { CarrierCode = "DHL", TrackingNumber = "1234567890" } };

        var unknownCarrier = await Payments.OutcomeAsync(() => client.DeliveryTrackersAsync(Tracker(permissionId, "ACME_EXPRESS", "1234567890")));
        var bothIds = await Payments.OutcomeAsync(() => client.DeliveryTrackersAsync(
            new DeliveryTrackerRequest { ChargePermissionId = permissionId, AmazonOrderReferenceId = "P01-1234567-1234567", DeliveryDetails = details }));
        var neitherId = await Payments.OutcomeAsync(() => client.DeliveryTrackersAsync(new DeliveryTrackerRequest { DeliveryDetails = details }));
        var unknownPermission = await Payments.OutcomeAsync(() => client.DeliveryTrackersAsync(Tracker("S01-0000000-0000000", "DHL", "1234567890")));

        Assert.Equal(new Outcome(400, "InvalidParameterValue"), unknownCarrier);
        Assert.Equal(new Outcome(400, "InvalidInputFormat"), bothIds);
        Assert.Equal(new Outcome(400, "InvalidInputFormat"), neitherId);
        Assert.Equal(new Outcome(404, "ResourceNotFound"), unknownPermission);
    }

    [Fact]
    public async Task AnotherMerchant_SeesNoneOfTheObjects()
    {
        using var client = Host.Client(Merchant);
        var other = await Host.CreateMerchantAsync();
        using var otherClient = Host.Client(other);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var charge = (await Payments.CreateChargeAsync(client, permissionId, "10.00", captureNow: true)).Value;
        var refund = (await Payments.RefundAsync(client, charge.ChargeId!, "5.00")).Value;

        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.GetRefundAsync(refund.RefundId!)));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.GetChargeAsync(charge.ChargeId!)));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.GetChargePermissionAsync(permissionId)));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => Payments.RefundAsync(otherClient, charge.ChargeId!, "1.00")));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => Payments.CloseAsync(otherClient, permissionId)));
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(client, permissionId));
    }

    [Fact]
    public async Task Live_DeferredFlow_WorksLikeSandbox_OnTheLiveClock()
    {
        using var live = Host.Client(Merchant, Merchant.LiveKeyId);
        var processed = await Checkouts.ProcessedAsync(Host, live, Merchant, intent: "Confirm", amount: "100.00");
        Assert.Equal("Live", processed.ReleaseEnvironment);
        var completed = (await Checkouts.CompleteAsync(live, processed.CheckoutSessionId!, "100.00")).Value;
        var permissionId = completed.ChargePermissionId!;

        var charge = (await Payments.CreateChargeAsync(live, permissionId, "80.00")).Value;
        var captured = (await Checkouts.CaptureAsync(live, charge.ChargeId!, "50.00")).Value;
        var refund = (await Payments.RefundAsync(live, charge.ChargeId!, "20.00")).Value;
        var updated = (await Payments.UpdateAsync(live, permissionId, new MerchantMetadataDto { NoteToBuyer = "Live note" })).Value;
        var tracked = await live.DeliveryTrackersAsync(Tracker(permissionId, "UPS", "1Z999AA10123450001"));
        var toCancel = (await Payments.CreateChargeAsync(live, permissionId, "10.00")).Value;
        var canceled = (await Payments.CancelAsync(live, toCancel.ChargeId!)).Value;
        // Live time is the server's own clock: the sandbox clock does not settle a Live refund.
        await Host.AdvanceSandboxAsync(SandboxDelay);
        var stillPending = (await live.GetRefundAsync(refund.RefundId!)).Value;
        Host.Clock.Advance(SandboxDelay);
        var settled = (await live.GetRefundAsync(refund.RefundId!)).Value;
        var refunded = (await live.GetChargeAsync(charge.ChargeId!)).Value;
        var closed = (await Payments.CloseAsync(live, permissionId)).Value;

        Assert.Equal("Live", charge.ReleaseEnvironment);
        Assert.Equal("Captured", captured.StatusDetails!.State);
        Assert.Equal("Live", refund.ReleaseEnvironment);
        Assert.Equal("Live note", updated.MerchantMetadata!.NoteToBuyer);
        Assert.Equal(200, tracked.StatusCode);
        Assert.Equal("MerchantCanceled", canceled.StatusDetails!.ReasonCode);
        Assert.Equal("RefundInitiated", stillPending.StatusDetails!.State);
        Assert.Equal("Refunded", settled.StatusDetails!.State);
        Assert.Equal("20.00", refunded.RefundedAmount!.Amount);
        Assert.Equal("Closed", closed.StatusDetails!.State);
        Assert.Equal("65.00", closed.Limits!.AmountBalance!.Amount);
        Assert.Equal("Live", closed.ReleaseEnvironment);
    }

    [Fact]
    public async Task Live_CompleteFinalizeAndCaptureNow_Work_ThroughTheLivePathPrefix()
    {
        // An unprefixed key with Sandbox = false calls /live/v2/…; a LIVE- key calls /v2/….
        using var live = Host.Client(Merchant, Merchant.PlainKeyId, sandbox: false);
        var authorized = await Checkouts.AuthorizedAsync(Host, live, Merchant, "30.00");
        var approved = await ApprovedAsync(live);

        var finalized = (await live.FinalizeCheckoutSessionAsync(approved.CheckoutSessionId!, Finalize(approved.ShippingAddress))).Value;
        var captureNow = (await Payments.CreateChargeAsync(live, finalized.ChargePermissionId!, "1.00", captureNow: true)).Value;
        var captured = (await Checkouts.CaptureAsync(live, authorized.ChargeId!, "30.00")).Value;

        Assert.Equal("Live", authorized.ReleaseEnvironment);
        Assert.Equal("Completed", finalized.StatusDetails!.State);
        Assert.Equal("Live", finalized.ReleaseEnvironment);
        Assert.Equal("Captured", captureNow.StatusDetails!.State);
        Assert.Equal("Captured", captured.StatusDetails!.State);
        Assert.Equal("Live", (await live.GetChargePermissionAsync(finalized.ChargePermissionId!)).Value.ReleaseEnvironment);
    }

    [Fact]
    public async Task Environments_DoNotSeeEachOthersObjects()
    {
        using var sandbox = Host.Client(Merchant);
        using var live = Host.Client(Merchant, Merchant.LiveKeyId);
        var sandboxObjects = await ObjectsAsync(sandbox);
        var liveObjects = await ObjectsAsync(live);

        foreach (var (client, objects) in new[] { (sandbox, liveObjects), (live, sandboxObjects) })
        {
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => client.GetCheckoutSessionAsync(objects.CheckoutSessionId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => client.GetChargePermissionAsync(objects.ChargePermissionId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => client.GetChargeAsync(objects.ChargeId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => client.GetRefundAsync(objects.RefundId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Checkouts.UpdateAsync(client, objects.CheckoutSessionId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, objects.CheckoutSessionId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => client.FinalizeCheckoutSessionAsync(objects.CheckoutSessionId, Finalize(null))));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, objects.ChargePermissionId, "1.00")));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, objects.AuthorizedChargeId, "1.00")));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Payments.CancelAsync(client, objects.AuthorizedChargeId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Payments.RefundAsync(client, objects.ChargeId, "1.00")));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(
                () => Payments.UpdateAsync(client, objects.ChargePermissionId, new MerchantMetadataDto { NoteToBuyer = "x" })));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(() => Payments.CloseAsync(client, objects.ChargePermissionId)));
            Assert.Equal(NotFound, await Payments.OutcomeAsync(
                () => client.DeliveryTrackersAsync(Tracker(objects.ChargePermissionId, "DHL", "ENV" + objects.RefundId[^6..]))));
        }

        Assert.Equal("Authorized", await Payments.ChargeStateAsync(sandbox, sandboxObjects.AuthorizedChargeId));
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(live, liveObjects.AuthorizedChargeId));
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(live, liveObjects.ChargePermissionId));
    }

    private sealed record EnvironmentObjects(
        string CheckoutSessionId, string ChargePermissionId, string ChargeId, string AuthorizedChargeId, string RefundId);

    /// <summary>A completed checkout, a captured and refunded charge and an authorized one, in the client's environment.</summary>
    private async Task<EnvironmentObjects> ObjectsAsync(AmazonPayClient client)
    {
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant, "50.00");
        await Checkouts.CaptureAsync(client, completed.ChargeId!, "20.00");
        var refund = (await Payments.RefundAsync(client, completed.ChargeId!, "5.00")).Value;
        var authorized = (await Payments.CreateChargeAsync(client, completed.ChargePermissionId!, "10.00")).Value;
        return new EnvironmentObjects(
            completed.CheckoutSessionId!, completed.ChargePermissionId!, completed.ChargeId!, authorized.ChargeId!, refund.RefundId!);
    }

    /// <summary>A session the buyer approved on the hosted page and the merchant completed with amount and intent, not yet processed.</summary>
    private async Task<CheckoutSessionDto> ApprovedAsync(AmazonPayClient client, string instrumentId = "visa-1111")
    {
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        using var browser = Host.Browser();
        await new HostedCheckout(browser).ApproveAsync(created.CheckoutSessionId!, instrumentId);
        return (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!, "25.00")).Value;
    }

    private static FinalizeCheckoutSessionRequest Finalize(AddressDto? shippingAddress) => new()
    {
        ChargeAmount = Payments.Price("25.00"),
        PaymentIntent = "Authorize",
        ShippingAddress = shippingAddress,
    };

    private static DeliveryTrackerRequest Tracker(string chargePermissionId, string carrierCode, string trackingNumber) => new()
    {
        ChargePermissionId = chargePermissionId,
        DeliveryDetails = [new DeliveryDetailDto { CarrierCode = carrierCode, TrackingNumber = trackingNumber }],
    };
}
