using Tillpoint.Domain;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Idempotency;

namespace Tillpoint.Server.Api;

/// <summary>Charge and Charge Permission operations (spec §4.6, §4.10, §4.12).</summary>
internal static class ChargesApi
{
    public static void MapCharges(this WebApplication app)
    {
        app.MapApi("GET", "chargePermissions/{chargePermissionId}", GetChargePermissionAsync);
        app.MapApi("GET", "charges/{chargeId}", GetChargeAsync);
        app.MapApi("POST", "charges/{chargeId}/capture", CaptureAsync);
    }

    private static Task<ApiResult> GetChargePermissionAsync(ApiRequest request)
    {
        var id = request.Route("chargePermissionId");
        var caller = request.Caller;
        var result = request.Services.Store.Read(reader =>
        {
            var permission = reader.GetChargePermission(caller.MerchantId, id);
            if (permission is null || permission.Environment != caller.Environment)
            {
                return DomainError.NotFound("Charge Permission", id);
            }

            var charges = Aggregates.CurrentCharges(reader, caller.MerchantId, id, request.Now);
            return ApiResult.Json(
                StatusCodes.Status200OK, WireMapper.ToDto(permission, charges, request.Now), ApiJsonContext.Default.ChargePermissionDto);
        });
        return Task.FromResult(result);
    }

    private static Task<ApiResult> GetChargeAsync(ApiRequest request)
    {
        var id = request.Route("chargeId");
        var charge = request.Services.Store.Read(reader => Aggregates.CurrentCharge(reader, request.Caller, id, request.Now));
        return Task.FromResult(charge is null
            ? DomainError.NotFound("Charge", id)
            : ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(charge), ApiJsonContext.Default.ChargeDto));
    }

    private static async Task<ApiResult> CaptureAsync(ApiRequest request)
    {
        var id = request.Route("chargeId");
        var body = request.ParseBody(ApiRequestJsonContext.Default.CaptureChargeRequest);
        var key = IdempotencyKeys.Read(request.Context.Request, required: true);
        var error = key.Error ?? body.Error;
        if (error is not null)
        {
            return error;
        }

        var amount = RequestMapper.RequiredMoney(body.Value!.CaptureAmount, "captureAmount", request.Limits);
        var descriptor = body.Value.SoftDescriptor;
        error = amount.Error ?? (descriptor is not null && descriptor.Length > request.Limits.SoftDescriptorMaxLength
            ? DomainError.InvalidValue("softDescriptor", $"it is longer than {request.Limits.SoftDescriptorMaxLength} characters.")
            : null);
        if (error is not null)
        {
            return error;
        }

        var caller = request.Caller;
        return await request.WriteAsync(key.Value, session =>
        {
            var charge = Aggregates.LoadCharge(session, caller, id, request.Now);
            if (charge is null)
            {
                return DomainError.NotFound("Charge", id);
            }

            var permission = session.GetChargePermission(caller.MerchantId, charge.ChargePermissionId)
                ?? throw new InvalidOperationException($"Charge {id} has no charge permission.");
            var heldByOthers = Aggregates.LoadCharges(session, caller, charge.ChargePermissionId, request.Now)
                .Where(c => c.ChargeId != charge.ChargeId)
                .Aggregate(Money.Zero(charge.ChargeAmount.Currency), (sum, c) => sum + c.AmountHeld);
            var captured = charge.Capture(amount.Value, descriptor, permission, heldByOthers, false, null, request.Now, request.Limits);
            if (captured.Error is not null)
            {
                return captured.Error;
            }

            var saved = Aggregates.Persist(session, captured.Value, caller);
            return ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(saved), ApiJsonContext.Default.ChargeDto);
        });
    }
}
