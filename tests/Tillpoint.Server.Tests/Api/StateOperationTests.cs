using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// Every charge state × {Capture, Cancel, Create Refund} and every permission state × {Create Charge, Update, Close},
/// each state reached over HTTP (simulation codes, the sandbox clock), with the exact answer; then the money limits.
/// </summary>
public sealed class StateOperationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    public enum ChargeSetup
    {
        AuthorizationInitiated,
        Authorized,
        CaptureInitiated,
        Captured,
        CanceledMerchantCanceled,
        CanceledExpiredUnused,
        Declined,
    }

    public enum ChargeOperation
    {
        Capture,
        Cancel,
        CreateRefund,
    }

    public enum PermissionSetup
    {
        Chargeable,
        NonChargeableChargeInProgress,
        NonChargeablePaymentMethodInvalid,
        ClosedMerchantClosed,
        ClosedExpired,
    }

    public enum PermissionOperation
    {
        CreateCharge,
        Update,
        Close,
    }

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Theory]
    [InlineData(ChargeSetup.AuthorizationInitiated, ChargeOperation.Capture, 422, "InvalidChargeStatus", "AuthorizationInitiated")]
    [InlineData(ChargeSetup.AuthorizationInitiated, ChargeOperation.Cancel, 200, null, "Canceled MerchantCanceled")]
    [InlineData(ChargeSetup.AuthorizationInitiated, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "AuthorizationInitiated")]
    [InlineData(ChargeSetup.Authorized, ChargeOperation.Capture, 200, null, "Captured")]
    [InlineData(ChargeSetup.Authorized, ChargeOperation.Cancel, 200, null, "Canceled MerchantCanceled")]
    [InlineData(ChargeSetup.Authorized, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "Authorized")]
    [InlineData(ChargeSetup.CaptureInitiated, ChargeOperation.Capture, 422, "InvalidChargeStatus", "CaptureInitiated")]
    [InlineData(ChargeSetup.CaptureInitiated, ChargeOperation.Cancel, 422, "InvalidChargeStatus", "CaptureInitiated")]
    [InlineData(ChargeSetup.CaptureInitiated, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "CaptureInitiated")]
    [InlineData(ChargeSetup.Captured, ChargeOperation.Capture, 422, "InvalidChargeStatus", "Captured")]
    [InlineData(ChargeSetup.Captured, ChargeOperation.Cancel, 422, "InvalidChargeStatus", "Captured")]
    [InlineData(ChargeSetup.Captured, ChargeOperation.CreateRefund, 201, null, "Captured")]
    [InlineData(ChargeSetup.CanceledMerchantCanceled, ChargeOperation.Capture, 422, "InvalidChargeStatus", "Canceled MerchantCanceled")]
    [InlineData(ChargeSetup.CanceledMerchantCanceled, ChargeOperation.Cancel, 422, "InvalidChargeStatus", "Canceled MerchantCanceled")]
    [InlineData(ChargeSetup.CanceledMerchantCanceled, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "Canceled MerchantCanceled")]
    [InlineData(ChargeSetup.CanceledExpiredUnused, ChargeOperation.Capture, 422, "InvalidChargeStatus", "Canceled ExpiredUnused")]
    [InlineData(ChargeSetup.CanceledExpiredUnused, ChargeOperation.Cancel, 422, "InvalidChargeStatus", "Canceled ExpiredUnused")]
    [InlineData(ChargeSetup.CanceledExpiredUnused, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "Canceled ExpiredUnused")]
    [InlineData(ChargeSetup.Declined, ChargeOperation.Capture, 422, "InvalidChargeStatus", "Declined HardDeclined")]
    [InlineData(ChargeSetup.Declined, ChargeOperation.Cancel, 422, "InvalidChargeStatus", "Declined HardDeclined")]
    [InlineData(ChargeSetup.Declined, ChargeOperation.CreateRefund, 422, "InvalidChargeStatus", "Declined HardDeclined")]
    public async Task ChargeOperation_InEveryChargeState_IsAnsweredExactly(
        ChargeSetup setup, ChargeOperation operation, int status, string? reasonCode, string stateAfter)
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var chargeId = await ChargeInAsync(client, permissionId, setup);

        var outcome = operation switch
        {
            ChargeOperation.Capture => await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, chargeId, "20.00")),
            ChargeOperation.Cancel => await Payments.OutcomeAsync(() => Payments.CancelAsync(client, chargeId)),
            ChargeOperation.CreateRefund => await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, "5.00")),
        };

        Assert.Equal(new Outcome(status, reasonCode), outcome);
        Assert.Equal(stateAfter, await ChargeStateAsync(client, chargeId));
    }

    [Theory]
    [InlineData(PermissionSetup.Chargeable, PermissionOperation.CreateCharge, 201, null, "Chargeable")]
    [InlineData(PermissionSetup.Chargeable, PermissionOperation.Update, 200, null, "Chargeable")]
    [InlineData(PermissionSetup.Chargeable, PermissionOperation.Close, 200, null, "Closed MerchantClosed")]
    [InlineData(PermissionSetup.NonChargeableChargeInProgress, PermissionOperation.CreateCharge, 422, "InvalidChargePermissionStatus", "NonChargeable ChargeInProgress")]
    [InlineData(PermissionSetup.NonChargeableChargeInProgress, PermissionOperation.Update, 200, null, "NonChargeable ChargeInProgress")]
    [InlineData(PermissionSetup.NonChargeableChargeInProgress, PermissionOperation.Close, 200, null, "Closed MerchantClosed")]
    [InlineData(PermissionSetup.NonChargeablePaymentMethodInvalid, PermissionOperation.CreateCharge, 422, "InvalidChargePermissionStatus", "NonChargeable PaymentMethodInvalid")]
    [InlineData(PermissionSetup.NonChargeablePaymentMethodInvalid, PermissionOperation.Update, 200, null, "NonChargeable PaymentMethodInvalid")]
    [InlineData(PermissionSetup.NonChargeablePaymentMethodInvalid, PermissionOperation.Close, 200, null, "Closed MerchantClosed")]
    [InlineData(PermissionSetup.ClosedMerchantClosed, PermissionOperation.CreateCharge, 422, "InvalidChargePermissionStatus", "Closed MerchantClosed")]
    [InlineData(PermissionSetup.ClosedMerchantClosed, PermissionOperation.Update, 422, "ChargePermissionNotModifiable", "Closed MerchantClosed")]
    [InlineData(PermissionSetup.ClosedMerchantClosed, PermissionOperation.Close, 422, "InvalidChargePermissionStatus", "Closed MerchantClosed")]
    [InlineData(PermissionSetup.ClosedExpired, PermissionOperation.CreateCharge, 422, "InvalidChargePermissionStatus", "Closed Expired")]
    [InlineData(PermissionSetup.ClosedExpired, PermissionOperation.Update, 422, "ChargePermissionNotModifiable", "Closed Expired")]
    [InlineData(PermissionSetup.ClosedExpired, PermissionOperation.Close, 422, "InvalidChargePermissionStatus", "Closed Expired")]
    public async Task PermissionOperation_InEveryPermissionState_IsAnsweredExactly(
        PermissionSetup setup, PermissionOperation operation, int status, string? reasonCode, string stateAfter)
    {
        using var client = Host.Client(Merchant);
        var permissionId = await PermissionInAsync(client, setup);

        var outcome = operation switch
        {
            PermissionOperation.CreateCharge => await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "10.00")),
            PermissionOperation.Update => await Payments.OutcomeAsync(
                () => Payments.UpdateAsync(client, permissionId, new() { NoteToBuyer = "Shipped today" })),
            PermissionOperation.Close => await Payments.OutcomeAsync(() => Payments.CloseAsync(client, permissionId)),
        };

        Assert.Equal(new Outcome(status, reasonCode), outcome);
        Assert.Equal(stateAfter, await Payments.PermissionStateAsync(client, permissionId));
    }

    [Fact]
    public async Task CreateCharge_25Times_ThenTheNextIsTransactionCountExceeded()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var first = (await Payments.CreateChargeAsync(client, permissionId, "1.00")).Value;
        for (var i = 1; i < 25; i++)
        {
            Assert.Equal(201, (await Payments.CreateChargeAsync(client, permissionId, "1.00")).StatusCode);
        }

        // A canceled charge still counts: the limit is on Create Charge calls, not on open charges.
        await Payments.CancelAsync(client, first.ChargeId!);
        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.CreateChargeAsync(client, permissionId, "1.00"));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("TransactionCountExceeded", error.ReasonCode);
        Assert.Equal("91.00", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);
    }

    [Fact]
    public async Task CreateRefund_10Times_ThenTheNextIsTransactionCountExceeded()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "100.00", captureNow: true)).Value.ChargeId!;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(201, (await Payments.RefundAsync(client, chargeId, "1.00")).StatusCode);
        }

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Payments.RefundAsync(client, chargeId, "1.00"));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("TransactionCountExceeded", error.ReasonCode);
    }

    [Fact]
    public async Task CreateCharge_OverTheAmountLimit_IsTransactionAmountExceeded_UpToItSucceeds()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");

        var over = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "115.01"));
        var exact = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "115.00"));
        var more = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "0.01"));

        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), over);
        Assert.Equal(new Outcome(201, null), exact);
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), more);
        Assert.Equal("0.00", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);
    }

    [Fact]
    public async Task Capture_OverWhatThePermissionHasLeft_IsTransactionAmountExceeded_EvenWithinTheChargeAllowance()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var first = (await Payments.CreateChargeAsync(client, permissionId, "60.00")).Value;
        await Payments.CreateChargeAsync(client, permissionId, "55.00");

        // 69.00 is within this charge's own allowance (60.00 + 15 %) but 55.00 + 69.00 is over the limit of 115.00.
        var over = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, first.ChargeId!, "69.00"));
        var within = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, first.ChargeId!, "60.00"));

        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), over);
        Assert.Equal(new Outcome(200, null), within);
    }

    [Fact]
    public async Task CaptureAndRefund_InAnotherCurrency_AreCurrencyMismatch()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "10.00")).Value;
        var captured = (await Payments.CreateChargeAsync(client, permissionId, "10.00", captureNow: true)).Value;

        Assert.Equal(new Outcome(400, "CurrencyMismatch"), await Payments.OutcomeAsync(
            () => Checkouts.CaptureAsync(client, authorized.ChargeId!, "10.00", "EUR")));
        Assert.Equal(new Outcome(400, "CurrencyMismatch"), await Payments.OutcomeAsync(
            () => Payments.RefundAsync(client, captured.ChargeId!, "1.00", "EUR")));
        Assert.Equal(new Outcome(400, "CurrencyMismatch"), await Payments.OutcomeAsync(
            () => Payments.CreateChargeAsync(client, permissionId, "1.00", "EUR")));
    }

    [Theory]
    [InlineData("100.5")]
    [InlineData("100.0")]
    [InlineData("0.5")]
    public async Task JpyAmounts_WithDecimals_AreInvalidParameterValue(string amount)
    {
        // Yen is presented by JP merchants only.
        var merchant = await Host.CreateMerchantAsync("jp");
        using var client = Host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, merchant, "10000", "JPY");
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "1000", "JPY")).Value;
        var captured = (await Payments.CreateChargeAsync(client, permissionId, "1000", "JPY", captureNow: true)).Value;
        var session = (await Checkouts.CreateAsync(client, merchant)).Value;

        var outcomes = new[]
        {
            await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, amount, "JPY")),
            await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, authorized.ChargeId!, amount, "JPY")),
            await Payments.OutcomeAsync(() => Payments.RefundAsync(client, captured.ChargeId!, amount, "JPY")),
            await Payments.OutcomeAsync(() => Checkouts.UpdateAsync(client, session.CheckoutSessionId!, amount, currency: "JPY")),
        };

        Assert.All(outcomes, outcome => Assert.Equal(new Outcome(400, "InvalidParameterValue"), outcome));
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, authorized.ChargeId!));
    }

    [Fact]
    public async Task Jpy_OverCaptureAndOverRefundAllowance_IsCappedAt8400Yen()
    {
        // Yen is presented by JP merchants only.
        var merchant = await Host.CreateMerchantAsync("jp");
        using var client = Host.Client(merchant);
        // 15 % of 100,000 yen would be 15,000; the cap of 8,400 yen is less, so it applies.
        var permissionId = await Payments.ChargePermissionAsync(Host, client, merchant, "100000", "JPY");
        var permission = (await client.GetChargePermissionAsync(permissionId)).Value;
        var charge = (await Payments.CreateChargeAsync(client, permissionId, "100000", "JPY")).Value;

        var overCapture = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, charge.ChargeId!, "108401", "JPY"));
        var captured = (await Checkouts.CaptureAsync(client, charge.ChargeId!, "108400", "JPY")).Value;
        var overRefund = await Payments.OutcomeAsync(() => Payments.RefundAsync(client, charge.ChargeId!, "116801", "JPY"));
        var refund = (await Payments.RefundAsync(client, charge.ChargeId!, "116800", "JPY")).Value;
        var more = await Payments.OutcomeAsync(() => Payments.RefundAsync(client, charge.ChargeId!, "1", "JPY"));

        Assert.Equal("108400", permission.Limits!.AmountLimit!.Amount);
        Assert.Equal("JPY", permission.Limits.AmountLimit.CurrencyCode);
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), overCapture);
        Assert.Equal("108400", captured.CaptureAmount!.Amount);
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), overRefund);
        Assert.Equal("116800", refund.RefundAmount!.Amount);
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), more);
        Assert.Equal("0", (await client.GetChargePermissionAsync(permissionId)).Value.Limits!.AmountBalance!.Amount);
    }

    /// <summary>A new 20.00 charge on the permission, brought into <paramref name="setup"/> over HTTP.</summary>
    private async Task<string> ChargeInAsync(AmazonPayClient client, string permissionId, ChargeSetup setup)
    {
        var pending = setup is ChargeSetup.AuthorizationInitiated or ChargeSetup.Declined;
        var code = setup switch
        {
            ChargeSetup.AuthorizationInitiated => "AuthorizationInitiated",
            ChargeSetup.Declined => "AuthorizationInitiatedHardDeclined",
            _ => null,
        };
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "20.00", canHandlePending: pending, simulationCode: code)).Value.ChargeId!;
        switch (setup)
        {
            case ChargeSetup.CaptureInitiated:
                await Checkouts.CaptureAsync(client, chargeId, "20.00", simulationCode: "CaptureInitiated");
                break;
            case ChargeSetup.Captured:
                await Checkouts.CaptureAsync(client, chargeId, "20.00");
                break;
            case ChargeSetup.CanceledMerchantCanceled:
                await Payments.CancelAsync(client, chargeId);
                break;
            case ChargeSetup.CanceledExpiredUnused:
                await Host.AdvanceSandboxAsync(TimeSpan.FromDays(30));
                break;
            case ChargeSetup.Declined:
                await Host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
                break;
            case ChargeSetup.AuthorizationInitiated:
            case ChargeSetup.Authorized:
                break;
        }

        var expected = setup switch
        {
            ChargeSetup.CanceledMerchantCanceled => "Canceled MerchantCanceled",
            ChargeSetup.CanceledExpiredUnused => "Canceled ExpiredUnused",
            ChargeSetup.Declined => "Declined HardDeclined",
            _ => setup.ToString(),
        };
        Assert.Equal(expected, await ChargeStateAsync(client, chargeId));
        return chargeId;
    }

    /// <summary>A new permission brought into <paramref name="setup"/> over HTTP.</summary>
    private async Task<string> PermissionInAsync(AmazonPayClient client, PermissionSetup setup)
    {
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        switch (setup)
        {
            case PermissionSetup.NonChargeableChargeInProgress:
                await Payments.CreateChargeAsync(client, permissionId, "20.00", canHandlePending: true, simulationCode: "AuthorizationInitiated");
                break;
            case PermissionSetup.NonChargeablePaymentMethodInvalid:
                var declined = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permissionId, "20.00", simulationCode: "SoftDeclined"));
                Assert.Equal(new Outcome(422, "SoftDeclined"), declined);
                break;
            case PermissionSetup.ClosedMerchantClosed:
                await Payments.CloseAsync(client, permissionId);
                break;
            case PermissionSetup.ClosedExpired:
                await Host.AdvanceSandboxAsync(TimeSpan.FromDays(180));
                break;
            case PermissionSetup.Chargeable:
                break;
        }

        var expected = setup switch
        {
            PermissionSetup.Chargeable => "Chargeable",
            PermissionSetup.NonChargeableChargeInProgress => "NonChargeable ChargeInProgress",
            PermissionSetup.NonChargeablePaymentMethodInvalid => "NonChargeable PaymentMethodInvalid",
            PermissionSetup.ClosedMerchantClosed => "Closed MerchantClosed",
            PermissionSetup.ClosedExpired => "Closed Expired",
        };
        Assert.Equal(expected, await Payments.PermissionStateAsync(client, permissionId));
        return permissionId;
    }

    /// <summary>The charge's state and reason code, e.g. "Canceled ExpiredUnused".</summary>
    private static async Task<string> ChargeStateAsync(AmazonPayClient client, string chargeId)
    {
        var status = (await client.GetChargeAsync(chargeId)).Value.StatusDetails!;
        return status.ReasonCode is null ? status.State! : $"{status.State} {status.ReasonCode}";
    }
}
