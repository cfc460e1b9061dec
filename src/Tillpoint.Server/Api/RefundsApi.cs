using Tillpoint.Domain.DeliveryTrackers;
using Tillpoint.Domain.Refunds;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>Refund and Delivery Trackers handlers (spec §4.14, §4.15, §4.17): map the request, run the command, answer.</summary>
internal static class RefundsApi
{
    public static Task<ApiResult> CreateRefundAsync(ApiRequest request, CreateRefundRequest body) =>
        request.WriteAsync(
            RequestMapper.ToCreateRefund(body, request.Limits),
            (session, create) => Answer(
                LedgerCommands.CreateRefund(session, request.Command, create.ChargeId, create.RefundAmount, create.SoftDescriptor),
                StatusCodes.Status201Created));

    public static Task<ApiResult> GetRefundAsync(ApiRequest request)
    {
        var id = request.Route("refundId");
        var refund = request.Services.Store.Read(reader => PaymentObjects.CurrentRefund(reader, request.Owner, id, request.Now));
        return Task.FromResult(refund is null ? DomainError.NotFound("Refund", id) : Answer(refund, StatusCodes.Status200OK));
    }

    /// <summary>Records shipments against a charge permission; answered with the request echoed back.</summary>
    public static Task<ApiResult> DeliveryTrackersAsync(ApiRequest request, DeliveryTrackerRequest tracker)
    {
        var details = ToDetails(tracker);
        if (!details.IsSuccess)
        {
            return ApiResult.Refused(details.Error);
        }

        if (tracker.AmazonOrderReferenceId is { } orderReference)
        {
            // v1 order references are not kept by this server, so none exists.
            return ApiResult.Refused(DomainError.NotFound("Order Reference", orderReference));
        }

        var id = tracker.ChargePermissionId!;
        return request.WriteAsync(session => LedgerCommands.AddDeliveryTrackers(session, request.Command, id, details.Value) is { IsSuccess: false } refused
            ? refused.Error
            : Echo(id, details.Value));
    }

    private static ApiResult Echo(string chargePermissionId, IReadOnlyList<DeliveryDetail> details) => ApiResult.Json(
        StatusCodes.Status200OK,
        new DeliveryTrackerRequest
        {
            ChargePermissionId = chargePermissionId,
            DeliveryDetails = [.. details.Select(d => new DeliveryDetailDto { TrackingNumber = d.TrackingNumber, CarrierCode = d.CarrierCode })],
        },
        ApiJsonContext.Default.DeliveryTrackerRequest);

    private static ApiResult Answer(Result<Refund> refund, int status) =>
        ApiResult.Json(status, refund, WireMapper.ToDto, ApiJsonContext.Default.RefundDto);

    private static Result<IReadOnlyList<DeliveryDetail>> ToDetails(DeliveryTrackerRequest tracker)
    {
        if ((tracker.AmazonOrderReferenceId is null) == (tracker.ChargePermissionId is null))
        {
            return new DomainError(
                ErrorCode.InvalidInputFormat, "Exactly one of 'chargePermissionId' and 'amazonOrderReferenceId' is required.");
        }

        if (tracker.DeliveryDetails is not { Count: > 0 } given)
        {
            return DomainError.Missing("deliveryDetails");
        }

        if (given.Count > DeliveryTracking.MaxDeliveryDetails)
        {
            return DomainError.InvalidValue("deliveryDetails", $"at most {DeliveryTracking.MaxDeliveryDetails} shipments per request.");
        }

        var details = new List<DeliveryDetail>();
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"deliveryDetails[{i}]";
            if (given[i] is not { TrackingNumber: { } number, CarrierCode: { } carrier })
            {
                return DomainError.Missing(given[i]?.TrackingNumber is null ? $"{field}.trackingNumber" : $"{field}.carrierCode");
            }

            var detail = new DeliveryDetail(number, carrier);
            var error = DeliveryTracking.Validate(detail, field);
            if (error is not null)
            {
                return error;
            }

            if (details.Contains(detail))
            {
                return DomainError.InvalidValue($"{field}.trackingNumber", "it appears twice in this request.");
            }

            details.Add(detail);
        }

        return details;
    }
}
