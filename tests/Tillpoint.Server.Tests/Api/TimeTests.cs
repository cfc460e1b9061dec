using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>Expiry and pending outcomes follow the injected clock, so a test moves a day or a month in no time.</summary>
public sealed class TimeTests : IAsyncLifetime
{
    private TillpointHost _host = null!;
    private TestMerchant _merchant = null!;

    public async Task InitializeAsync()
    {
        _host = await TillpointHost.StartAsync();
        _merchant = await _host.CreateMerchantAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OpenSession_After24Hours_IsCanceledExpired_AndCannotBeUpdated()
    {
        using var client = _host.Client(_merchant);
        var created = (await Checkouts.CreateAsync(client, _merchant)).Value;

        _host.Clock.Advance(TimeSpan.FromHours(24));
        var expired = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;
        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.UpdateAsync(client, created.CheckoutSessionId!));

        Assert.Equal("Canceled", expired.StatusDetails!.State);
        Assert.Equal("Expired", expired.StatusDetails.ReasonCode);
        Assert.Equal(created.ExpirationTimestamp, expired.StatusDetails.LastUpdatedTimestamp);
        Assert.Equal("InvalidCheckoutSessionStatus", error.ReasonCode);
        var events = _host.Store.Read(reader => reader.GetEvents(_merchant.MerchantId, created.CheckoutSessionId!));
        Assert.Contains(events, e => e.Event.ToState == "Canceled" && e.Event.ReasonCode == "Expired");
    }

    [Fact]
    public async Task OpenSession_JustBefore24Hours_IsStillOpen()
    {
        using var client = _host.Client(_merchant);
        var created = (await Checkouts.CreateAsync(client, _merchant)).Value;

        _host.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));

        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Authorization_After30Days_IsCanceledExpiredUnused_AndCannotBeCaptured()
    {
        using var client = _host.Client(_merchant);
        var completed = await Checkouts.AuthorizedAsync(_host, client, _merchant);

        _host.Clock.Advance(TimeSpan.FromDays(30));
        var charge = (await client.GetChargeAsync(completed.ChargeId!)).Value;
        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, completed.ChargeId!));
        var permission = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;

        Assert.Equal("Canceled", charge.StatusDetails!.State);
        Assert.Equal("ExpiredUnused", charge.StatusDetails.ReasonCode);
        Assert.Equal("InvalidChargeStatus", error.ReasonCode);
        Assert.Equal(permission.Limits!.AmountLimit!.Amount, permission.Limits.AmountBalance!.Amount);
    }

    [Fact]
    public async Task CaptureMoreThan7DaysAfterAuthorization_IsCaptureInitiated_ThenCaptured()
    {
        using var client = _host.Client(_merchant);
        var completed = await Checkouts.AuthorizedAsync(_host, client, _merchant);

        _host.Clock.Advance(TimeSpan.FromDays(8));
        var initiated = (await Checkouts.CaptureAsync(client, completed.ChargeId!)).Value;
        _host.Clock.Advance(TimeSpan.FromSeconds(30));
        var captured = (await client.GetChargeAsync(completed.ChargeId!)).Value;

        Assert.Equal("CaptureInitiated", initiated.StatusDetails!.State);
        Assert.Equal("Captured", captured.StatusDetails!.State);
        Assert.Equal("14.00", captured.CaptureAmount!.Amount);
    }

    [Theory]
    [InlineData("visa-0701", "Authorized", null)]
    [InlineData("visa-4354", "Declined", "HardDeclined")]
    public async Task PendingInstrument_Completes202_AndResolvesAfterTheSandboxDelay(string instrument, string finalState, string? reasonCode)
    {
        using var client = _host.Client(_merchant);
        var session = await Checkouts.ProcessedAsync(_host, client, _merchant, instrumentId: instrument, canHandlePending: true);

        var completed = await Checkouts.CompleteAsync(client, session.CheckoutSessionId!);
        var pending = (await client.GetChargeAsync(completed.Value.ChargeId!)).Value;
        _host.Clock.Advance(TimeSpan.FromSeconds(30));
        var resolved = (await client.GetChargeAsync(completed.Value.ChargeId!)).Value;

        Assert.Equal(202, completed.StatusCode);
        Assert.Equal("AuthorizationInitiated", pending.StatusDetails!.State);
        Assert.Equal(finalState, resolved.StatusDetails!.State);
        Assert.Equal(reasonCode, resolved.StatusDetails.ReasonCode);
    }

    [Fact]
    public async Task ChargePermission_HidesBuyerDataAfter30Days()
    {
        using var client = _host.Client(_merchant);
        var completed = await Checkouts.AuthorizedAsync(_host, client, _merchant);

        var fresh = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        _host.Clock.Advance(TimeSpan.FromDays(30));
        var later = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;

        Assert.NotNull(fresh.Buyer);
        Assert.NotNull(fresh.ShippingAddress);
        Assert.Null(later.Buyer);
        Assert.Null(later.ShippingAddress);
        Assert.Null(later.BillingAddress);
    }

    [Fact]
    public async Task MovingTheBusinessClock_DoesNotInvalidateSignatures()
    {
        using var client = _host.Client(_merchant);

        _host.Clock.Advance(TimeSpan.FromDays(90));

        Assert.Equal(201, (await Checkouts.CreateAsync(client, _merchant)).StatusCode);
    }
}
