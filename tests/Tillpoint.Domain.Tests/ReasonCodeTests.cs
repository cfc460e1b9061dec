using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Tests;

/// <summary>
/// A reason code's name is what the API sends and what stored documents hold, so renaming one would change the wire
/// and orphan stored data: the names are pinned here.
/// </summary>
public class ReasonCodeTests
{
    [Fact]
    public void ChargeReasonCodes_AreTheWireNames() => Assert.Equal(
        ["ExpiredUnused", "MerchantCanceled", "ChargePermissionCanceled", "AmazonCanceled", "HardDeclined", "SoftDeclined",
            "AmazonRejected", "ProcessingFailure", "TransactionTimedOut", "PaymentMethodNotAllowed", "MFANotCompleted"],
        Enum.GetNames<ChargeReasonCode>());

    [Fact]
    public void ChargePermissionReasonCodes_AreTheWireNames() => Assert.Equal(
        ["ChargeInProgress", "PaymentMethodInvalid", "PaymentMethodNotAllowed", "MerchantClosed", "AmazonClosed", "Expired", "BuyerClosed"],
        Enum.GetNames<ChargePermissionReasonCode>());

    [Fact]
    public void CheckoutSessionReasonCodes_AreTheWireNames() => Assert.Equal(
        ["Expired", "BuyerCanceled", "Declined", "AmazonCanceled"], Enum.GetNames<CheckoutSessionReasonCode>());

    [Fact]
    public void RefundReasonCodes_AreTheWireNames() => Assert.Equal(["AmazonRejected", "ProcessingFailure"], Enum.GetNames<RefundReasonCode>());

    [Fact]
    public void EveryReasonCode_HasItsOwnDescription()
    {
        string[][] descriptions =
        [
            [.. Enum.GetValues<ChargeReasonCode>().Select(ChargeReasons.Describe)],
            [.. Enum.GetValues<ChargePermissionReasonCode>().Select(ChargePermissionReasons.Describe)],
            [.. Enum.GetValues<CheckoutSessionReasonCode>().Select(CheckoutSessionReasons.Describe)],
            [.. Enum.GetValues<RefundReasonCode>().Select(RefundReasons.Describe)],
        ];

        Assert.All(descriptions, set => Assert.Equal(set.Length, set.Distinct().Count(d => d.EndsWith('.'))));
    }

    [Theory]
    [InlineData(ChargeReasonCode.HardDeclined, ErrorCode.HardDeclined)]
    [InlineData(ChargeReasonCode.SoftDeclined, ErrorCode.SoftDeclined)]
    [InlineData(ChargeReasonCode.AmazonRejected, ErrorCode.AmazonRejected)]
    [InlineData(ChargeReasonCode.ProcessingFailure, ErrorCode.ProcessingFailure)]
    [InlineData(ChargeReasonCode.TransactionTimedOut, ErrorCode.TransactionTimedOut)]
    [InlineData(ChargeReasonCode.PaymentMethodNotAllowed, ErrorCode.PaymentMethodNotAllowed)]
    [InlineData(ChargeReasonCode.MFANotCompleted, ErrorCode.MFANotCompleted)]
    public void DeclineError_IsTheErrorOfTheSameName(ChargeReasonCode reason, ErrorCode expected) =>
        Assert.Equal(expected, ChargeReasons.DeclineError(reason));

    [Theory]
    [InlineData(ChargeReasonCode.ExpiredUnused)]
    [InlineData(ChargeReasonCode.MerchantCanceled)]
    [InlineData(ChargeReasonCode.ChargePermissionCanceled)]
    [InlineData(ChargeReasonCode.AmazonCanceled)]
    public void DeclineError_OfACancellation_Throws(ChargeReasonCode reason) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChargeReasons.DeclineError(reason));
}
