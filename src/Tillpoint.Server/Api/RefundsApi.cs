using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.DeliveryTrackers;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Idempotency;
using Tillpoint.Storage;

namespace Tillpoint.Server.Api;

/// <summary>Refund and Delivery Trackers operations (spec §4.14, §4.15, §4.17).</summary>
internal static class RefundsApi
{
    public static void MapRefunds(this WebApplication app)
    {
        app.MapApi("POST", "refunds", CreateRefundAsync, SimulatedOperation.CreateRefund);
        app.MapApi("GET", "refunds/{refundId}", GetRefundAsync);
        app.MapApi("POST", "deliveryTrackers", DeliveryTrackersAsync);
    }

    private static async Task<ApiResult> CreateRefundAsync(ApiRequest request)
    {
        var read = request.ReadCommand(
            ApiRequestJsonContext.Default.CreateRefundRequest, body => RequestMapper.ToCreateRefund(body, request.Limits), idempotencyKeyRequired: true);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var (create, key) = read.Value;
        return await request.WriteAsync(key, session =>
        {
            var loaded = Aggregates.LoadLedgerOfCharge(session, request.Owner, create.ChargeId, request.Now);
            if (loaded is null)
            {
                return DomainError.NotFound("Charge", create.ChargeId);
            }

            var refundId = loaded.Current.Value.NewRefundId(request.Services.Ids);
            Refund? refund = null;
            return ChargesApi.Apply(
                session,
                request,
                loaded,
                ledger =>
                {
                    var created = ledger.CreateRefund(
                        create.ChargeId, refundId, create.RefundAmount, create.SoftDescriptor, request.Simulation, request.Now, request.Limits);
                    if (created.Error is not null)
                    {
                        return created.Error;
                    }

                    refund = created.Value.Refund;
                    return created.Value.Ledger;
                },
                _ => ApiResult.Json(StatusCodes.Status201Created, WireMapper.ToDto(refund!), ApiJsonContext.Default.RefundDto));
        });
    }

    private static Task<ApiResult> GetRefundAsync(ApiRequest request)
    {
        var id = request.Route("refundId");
        var refund = request.Services.Store.Read(reader => Aggregates.CurrentRefund(reader, request.Owner, id, request.Now));
        return Task.FromResult(refund is null
            ? DomainError.NotFound("Refund", id)
            : ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(refund), ApiJsonContext.Default.RefundDto));
    }

    /// <summary>
    /// Records shipments against a charge permission: each carrier + tracking number once per merchant, kept in the
    /// permission's events. Answered with the request echoed back.
    /// </summary>
    private static async Task<ApiResult> DeliveryTrackersAsync(ApiRequest request)
    {
        var body = request.ParseBody(ApiRequestJsonContext.Default.DeliveryTrackerRequest);
        var key = IdempotencyKeys.Read(request.Context.Request, required: false);
        var error = key.Error ?? body.Error;
        if (error is not null)
        {
            return error;
        }

        var tracker = body.Value!;
        var details = ToDetails(tracker);
        if (details.Error is not null)
        {
            return details.Error;
        }

        if (tracker.AmazonOrderReferenceId is { } orderReference)
        {
            // v1 order references are not kept by this server, so none exists.
            return DomainError.NotFound("Order Reference", orderReference);
        }

        var id = tracker.ChargePermissionId!;
        return await request.WriteAsync(key.Value, session =>
        {
            var loaded = Aggregates.LoadLedger(session, request.Owner, id, request.Now);
            if (loaded is null)
            {
                return DomainError.NotFound("Charge Permission", id);
            }

            var permission = loaded.Current.Value.ChargePermission;
            var events = new List<DomainEvent>();
            foreach (var detail in details.Value!)
            {
                var record = new DeliveryTrackerRecord(
                    request.Owner.MerchantId, request.Owner.Environment, id, detail.CarrierCode, detail.TrackingNumber, request.Now);
                if (!session.AddDeliveryTracker(record))
                {
                    throw new RefusedException(DomainError.InvalidValue(
                        "deliveryDetails.trackingNumber", $"{detail.CarrierCode} {detail.TrackingNumber} has already been submitted."));
                }

                events.Add(permission.Note($"DeliveryTracker {detail.CarrierCode} {detail.TrackingNumber}", request.Now));
            }

            var noted = new Transition<PaymentLedger>(loaded.Current.Value, events);
            Aggregates.Persist(session, loaded.Stored, loaded.Current.Then(noted), request.Owner);
            var echo = new DeliveryTrackerRequest
            {
                ChargePermissionId = id,
                DeliveryDetails = [.. details.Value!.Select(d => new DeliveryDetailDto { TrackingNumber = d.TrackingNumber, CarrierCode = d.CarrierCode })],
            };
            return ApiResult.Json(StatusCodes.Status200OK, echo, ApiJsonContext.Default.DeliveryTrackerRequest);
        });
    }

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
