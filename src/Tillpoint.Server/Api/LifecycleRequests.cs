using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Create Charge, as checked before anything is looked up.</summary>
internal sealed record CreateChargeCommand(string ChargePermissionId, ChargeRequest Request);

/// <summary>Update Charge Permission, as checked before anything is looked up.</summary>
internal sealed record ChargePermissionUpdate(MerchantMetadata? MerchantMetadata, RecurringMetadata? RecurringMetadata);

/// <summary>Create Refund, as checked before anything is looked up.</summary>
internal sealed record CreateRefundCommand(string ChargeId, Money RefundAmount, string? SoftDescriptor);

/// <summary>Request checks of the lifecycle operations: everything that needs no stored object (spec §8.2 order).</summary>
internal static partial class RequestMapper
{
    private static readonly string[] Channels = ["Web", "Phone", "App", "Alexa", "PointOfSale", "FireTv", "Offline", "Amazon"];

    private static readonly string[] ChargeInitiators = ["CITU", "MITU", "CITR", "MITR"];

    public static Result<CreateChargeCommand> ToCreateCharge(CreateChargeRequest request, Limits limits)
    {
        if (string.IsNullOrEmpty(request.ChargePermissionId))
        {
            return DomainError.Missing("chargePermissionId");
        }

        var amount = RequiredMoney(request.ChargeAmount, "chargeAmount", limits);
        if (amount.Error is not null)
        {
            return amount.Error;
        }

        var captureNow = request.CaptureNow ?? false;
        var metadata = ToMetadata(request.MerchantMetadata);
        var error = SoftDescriptor(request.SoftDescriptor, limits)
            ?? (request.SoftDescriptor is not null && !captureNow
                ? new DomainError(ErrorCode.InvalidParameterCombination, "softDescriptor can only be set together with captureNow: true.")
                : null)
            ?? metadata?.Validate(limits)
            ?? DomainError.TooLong("platformId", request.PlatformId, limits.PlatformIdMaxLength)
            ?? OneOf("channel", request.Channel, Channels)
            ?? OneOf("chargeInitiator", request.ChargeInitiator, ChargeInitiators);
        if (error is not null)
        {
            return error;
        }

        return new CreateChargeCommand(
            request.ChargePermissionId,
            new ChargeRequest(
                amount.Value,
                captureNow,
                request.SoftDescriptor,
                request.CanHandlePendingAuthorization ?? false,
                metadata,
                request.PlatformId,
                request.Channel,
                request.ChargeInitiator));
    }

    public static Result<CreateRefundCommand> ToCreateRefund(CreateRefundRequest request, Limits limits)
    {
        if (string.IsNullOrEmpty(request.ChargeId))
        {
            return DomainError.Missing("chargeId");
        }

        var amount = RequiredMoney(request.RefundAmount, "refundAmount", limits);
        var error = amount.Error ?? SoftDescriptor(request.SoftDescriptor, limits);
        return error is not null ? error : new CreateRefundCommand(request.ChargeId, amount.Value, request.SoftDescriptor);
    }

    public static Result<FinalizeCheckoutSession> ToFinalize(FinalizeCheckoutSessionRequest request, Limits limits)
    {
        var chargeAmount = RequiredMoney(request.ChargeAmount, "chargeAmount", limits);
        var total = OptionalMoney(request.TotalOrderAmount, "totalOrderAmount", limits);
        var intent = request.PaymentIntent is null
            ? DomainError.Missing("paymentIntent")
            : Enum<PaymentIntent>(request.PaymentIntent, "paymentIntent");
        var error = chargeAmount.Error ?? total.Error ?? intent.Error
            ?? DomainError.TooLong("supplementaryData", request.SupplementaryData, limits.SupplementaryDataMaxLength);
        if (error is not null)
        {
            return error;
        }

        return new FinalizeCheckoutSession(
            chargeAmount.Value,
            total.Value,
            intent.Value.GetValueOrDefault(),
            request.CanHandlePendingAuthorization,
            request.SupplementaryData,
            ToAddress(request.ShippingAddress),
            ToAddress(request.BillingAddress));
    }

    /// <summary>Update Charge Permission: merchant metadata, and a Recurring permission's subscription terms.</summary>
    public static Result<ChargePermissionUpdate> ToChargePermissionUpdate(UpdateChargePermissionRequest request, Limits limits)
    {
        var recurring = ToRecurringMetadata(request.RecurringMetadata);
        var metadata = ToMetadata(request.MerchantMetadata);
        var error = recurring.Error ?? metadata?.Validate(limits);
        return error is not null ? error : new ChargePermissionUpdate(metadata, recurring.Value);
    }

    /// <summary>Free-text reasons (closureReason, cancellationReason) have a length limit.</summary>
    public static DomainError? Reason(string field, string? text, int maxLength) => DomainError.TooLong(field, text, maxLength);

    public static DomainError? SoftDescriptor(string? descriptor, Limits limits) =>
        descriptor is not null && descriptor.Length > limits.SoftDescriptorMaxLength
            ? DomainError.InvalidValue("softDescriptor", $"it is longer than {limits.SoftDescriptorMaxLength} characters.")
            : null;

    private static DomainError? OneOf(string field, string? value, string[] allowed) =>
        value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? null
            : DomainError.InvalidValue(field, $"'{value}' is not one of {string.Join(", ", allowed)}.");

    private static Address? ToAddress(AddressDto? dto) => dto is null
        ? null
        : new Address(
            dto.Name, dto.AddressLine1, dto.AddressLine2, dto.AddressLine3, dto.City, dto.County, dto.District,
            dto.StateOrRegion, dto.PostalCode, dto.CountryCode, dto.PhoneNumber);
}
