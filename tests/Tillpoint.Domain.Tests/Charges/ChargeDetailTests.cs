using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.Charges;

/// <summary>Which of the request's and the permission's details a charge keeps.</summary>
public class ChargeDetailTests
{
    private static readonly MerchantMetadata Own = new("order-2", "Other store", null, null);

    private static Charge Authorize(ChargeRequest request, ChargePermission? permission = null)
    {
        var on = permission ?? Build.Permission(Usd.Of(100m)) with { MerchantMetadata = new("order-1", "Shop", null, null), PlatformId = "PLATFORM-P" };
        return Charge.Authorize(on, on.ChargePermissionId + "-C000001", request, AuthorizationOutcome.Approved, Times.T0, Limits.Default).Value;
    }

    [Fact]
    public void Authorize_RequestMetadataAndPlatform_WinOverThePermissions()
    {
        var charge = Authorize(Build.Request(Usd.Of(10m)) with { MerchantMetadata = Own, PlatformId = "PLATFORM-R" });

        Assert.Equal((Own, "PLATFORM-R"), (charge.MerchantMetadata, charge.PlatformId));
    }

    [Fact]
    public void Authorize_WithoutMetadataOrPlatform_TakesThePermissions()
    {
        var charge = Authorize(Build.Request(Usd.Of(10m)));

        Assert.Equal((new MerchantMetadata("order-1", "Shop", null, null), "PLATFORM-P"), (charge.MerchantMetadata, charge.PlatformId));
    }

    [Fact]
    public void Authorize_PlatformOfTheRequestAlone_IsKept()
    {
        var charge = Authorize(Build.Request(Usd.Of(10m)) with { PlatformId = "PLATFORM-R" }, Build.Permission(Usd.Of(100m)));

        Assert.Equal("PLATFORM-R", charge.PlatformId);
    }

    [Fact]
    public void Capture_WithSoftDescriptor_ReplacesTheOneTheAuthorizationHad()
    {
        var (authorized, permission) = Build.Authorized(Usd.Of(14m));
        var charge = authorized with { SoftDescriptor = "OLDTEXT" };

        var captured = charge.Capture(Usd.Of(14m), "NEWTEXT", permission, Usd.Of(0m), false, null, Times.T0, Limits.Default).Value.Value;

        Assert.Equal("NEWTEXT", captured.SoftDescriptor);
    }

    [Fact]
    public void Capture_Synchronous_KeepsNoPendingDeclineReason()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = charge.Capture(
            Usd.Of(14m), null, permission, Usd.Of(0m), false, ChargeReasonCode.AmazonRejected, Times.T0, Limits.Default).Value.Value;

        Assert.Equal(ChargeState.Captured, captured.State);
        Assert.Null(captured.PendingDeclineReason);
        Assert.Null(captured.PendingOutcome);
        Assert.Null(captured.NextDueAt);
    }
}
