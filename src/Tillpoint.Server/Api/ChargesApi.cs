using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>Charge Permission and Charge handlers (spec §4.6–4.13): map the request, run the command, answer.</summary>
internal static class ChargesApi
{
    public static Task<ApiResult> GetChargePermissionAsync(ApiRequest request)
    {
        var id = request.Route("chargePermissionId");
        var ledger = request.Services.Store.Read(reader => PaymentObjects.CurrentLedger(reader, request.Owner, id, request.Now));
        return Task.FromResult(ledger is null ? DomainError.NotFound("Charge Permission", id) : Ok(ledger, request));
    }

    public static Task<ApiResult> UpdateChargePermissionAsync(ApiRequest request, UpdateChargePermissionRequest body)
    {
        var id = request.Route("chargePermissionId");
        return request.WriteAsync(
            RequestMapper.ToChargePermissionUpdate(body, request.Limits),
            (session, update) => Ok(LedgerCommands.UpdateChargePermission(session, request.Command, id, update.MerchantMetadata, update.RecurringMetadata), request));
    }

    public static Task<ApiResult> CloseChargePermissionAsync(ApiRequest request, CloseChargePermissionRequest body)
    {
        var id = request.Route("chargePermissionId");
        return RequestMapper.Reason("closureReason", body.ClosureReason, request.Limits.ClosureReasonMaxLength) is { } error
            ? ApiResult.Refused(error)
            : request.WriteAsync(session => Ok(
                LedgerCommands.CloseChargePermission(session, request.Command, id, body.ClosureReason, body.CancelPendingCharges ?? false),
                request));
    }

    public static Task<ApiResult> CreateChargeAsync(ApiRequest request, CreateChargeRequest body) =>
        request.WriteAsync(
            RequestMapper.ToCreateCharge(body, request.Limits),
            (session, create) => Answer(
                LedgerCommands.CreateCharge(session, request.Command, create.ChargePermissionId, create.Request), StatusCodes.Status201Created));

    public static Task<ApiResult> GetChargeAsync(ApiRequest request)
    {
        var id = request.Route("chargeId");
        var charge = request.Services.Store.Read(reader => PaymentObjects.CurrentCharge(reader, request.Owner, id, request.Now));
        return Task.FromResult(charge is null ? DomainError.NotFound("Charge", id) : Answer(charge, StatusCodes.Status200OK));
    }

    public static Task<ApiResult> CaptureAsync(ApiRequest request, CaptureChargeRequest body)
    {
        var id = request.Route("chargeId");
        var amount = RequestMapper.RequiredMoney(body.CaptureAmount, "captureAmount", request.Limits);
        var error = amount.Error ?? RequestMapper.SoftDescriptor(body.SoftDescriptor, request.Limits);
        return error is null
            ? request.WriteAsync(session => Answer(
                LedgerCommands.Capture(session, request.Command, id, amount.Value, body.SoftDescriptor), StatusCodes.Status200OK))
            : ApiResult.Refused(error);
    }

    public static Task<ApiResult> CancelChargeAsync(ApiRequest request, CancelChargeRequest body)
    {
        var id = request.Route("chargeId");
        return RequestMapper.Reason("cancellationReason", body.CancellationReason, request.Limits.CancellationReasonMaxLength) is { } error
            ? ApiResult.Refused(error)
            : request.WriteAsync(session => Answer(LedgerCommands.CancelCharge(session, request.Command, id), StatusCodes.Status200OK));
    }

    public static Task<ApiResult> UpdateChargeAsync(ApiRequest request, UpdateChargeRequest body)
    {
        var id = request.Route("chargeId");
        return request.WriteAsync(
            RequestMapper.ToChargeStatusUpdate(body),
            (session, update) => Answer(LedgerCommands.UpdateCharge(session, request.Command, id, update), StatusCodes.Status200OK));
    }

    private static ApiResult Ok(Result<PaymentLedger> ledger, ApiRequest request) =>
        ledger.IsSuccess
            ? ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(ledger.Value, request.Now), ApiJsonContext.Default.ChargePermissionDto)
            : ledger.Error;

    private static ApiResult Answer(Result<Charge> charge, int status) =>
        charge.IsSuccess ? ApiResult.Json(status, WireMapper.ToDto(charge.Value), ApiJsonContext.Default.ChargeDto) : charge.Error;
}
