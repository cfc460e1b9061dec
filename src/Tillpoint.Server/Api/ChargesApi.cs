using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Simulation;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Idempotency;

namespace Tillpoint.Server.Api;

/// <summary>Charge Permission and Charge operations (spec §4.6–4.13).</summary>
internal static class ChargesApi
{
    private const string ChargePermission = "Charge Permission";
    private const string Charge = "Charge";

    public static void MapCharges(this WebApplication app)
    {
        app.MapApi("GET", "chargePermissions/{chargePermissionId}", GetChargePermissionAsync);
        app.MapApi("PATCH", "chargePermissions/{chargePermissionId}", UpdateChargePermissionAsync);
        app.MapApi("DELETE", "chargePermissions/{chargePermissionId}/close", CloseChargePermissionAsync, SimulatedOperation.CloseChargePermission);
        app.MapApi("POST", "charges", CreateChargeAsync, SimulatedOperation.CreateCharge);
        app.MapApi("GET", "charges/{chargeId}", GetChargeAsync);
        app.MapApi("POST", "charges/{chargeId}/capture", CaptureAsync, SimulatedOperation.CaptureCharge);
        app.MapApi("DELETE", "charges/{chargeId}/cancel", CancelChargeAsync, SimulatedOperation.CancelCharge);
    }

    private static Task<ApiResult> GetChargePermissionAsync(ApiRequest request)
    {
        var id = request.Route("chargePermissionId");
        var ledger = request.Services.Store.Read(reader => Aggregates.CurrentLedger(reader, request.Owner, id, request.Now));
        return Task.FromResult(ledger is null ? DomainError.NotFound(ChargePermission, id) : Ok(ledger, request));
    }

    private static async Task<ApiResult> UpdateChargePermissionAsync(ApiRequest request)
    {
        var id = request.Route("chargePermissionId");
        var body = request.ParseBody(ApiRequestJsonContext.Default.UpdateChargePermissionRequest);
        var metadata = body.Error is null ? RequestMapper.ToChargePermissionUpdate(body.Value!, request.Limits) : body.Error;
        if (metadata.Error is not null)
        {
            return metadata.Error;
        }

        return await OnLedgerAsync(request, null, id, ledger => ledger.Update(metadata.Value, request.Now), ledger => Ok(ledger, request));
    }

    private static async Task<ApiResult> CloseChargePermissionAsync(ApiRequest request)
    {
        var id = request.Route("chargePermissionId");
        var body = request.ParseOptionalBody(ApiRequestJsonContext.Default.CloseChargePermissionRequest);
        var error = body.Error ?? RequestMapper.Reason("closureReason", body.Value!.ClosureReason, request.Limits.ClosureReasonMaxLength);
        if (error is not null)
        {
            return error;
        }

        var close = body.Value!;
        return await OnLedgerAsync(
            request,
            null,
            id,
            ledger => ledger.Close(close.ClosureReason, close.CancelPendingCharges ?? false, request.Simulation, request.Now),
            ledger => Ok(ledger, request));
    }

    private static async Task<ApiResult> CreateChargeAsync(ApiRequest request)
    {
        var read = request.ReadCommand(
            ApiRequestJsonContext.Default.CreateChargeRequest, body => RequestMapper.ToCreateCharge(body, request.Limits), idempotencyKeyRequired: true);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var (create, key) = read.Value;
        return await request.WriteAsync(key, session =>
        {
            var loaded = Aggregates.LoadLedger(session, request.Owner, create.ChargePermissionId, request.Now);
            if (loaded is null)
            {
                return DomainError.NotFound(ChargePermission, create.ChargePermissionId);
            }

            var ledger = loaded.Current.Value;
            var created = ledger.CreateCharge(ledger.NewChargeId(request.Services.Ids), create.Request, request.Simulation, request.Now, request.Limits);
            if (created.Error is not null)
            {
                // Time-driven changes found on the way are kept even when the command is refused.
                Aggregates.Persist(session, loaded.Stored, loaded.Current, request.Owner);
                return created.Error;
            }

            var outcome = created.Value!;
            Aggregates.Persist(session, loaded.Stored, loaded.Current.Then(outcome.Ledger), request.Owner);
            // A synchronous decline is an error answer, though the Declined charge exists (spec §4.9).
            return outcome.Decline ?? ApiResult.Json(StatusCodes.Status201Created, WireMapper.ToDto(outcome.Charge), ApiJsonContext.Default.ChargeDto);
        });
    }

    private static Task<ApiResult> GetChargeAsync(ApiRequest request)
    {
        var id = request.Route("chargeId");
        var charge = request.Services.Store.Read(reader => Aggregates.CurrentCharge(reader, request.Owner, id, request.Now));
        return Task.FromResult(charge is null ? DomainError.NotFound(Charge, id) : Ok(charge));
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
        error = amount.Error ?? RequestMapper.SoftDescriptor(descriptor, request.Limits);
        if (error is not null)
        {
            return error;
        }

        return await OnChargeAsync(
            request,
            key.Value,
            id,
            ledger => ledger.Capture(id, amount.Value, descriptor, request.Simulation, request.Now, request.Limits));
    }

    private static async Task<ApiResult> CancelChargeAsync(ApiRequest request)
    {
        var id = request.Route("chargeId");
        var body = request.ParseOptionalBody(ApiRequestJsonContext.Default.CancelChargeRequest);
        var error = body.Error
            ?? RequestMapper.Reason("cancellationReason", body.Value!.CancellationReason, request.Limits.CancellationReasonMaxLength);
        if (error is not null)
        {
            return error;
        }

        return await OnChargeAsync(request, null, id, ledger => ledger.CancelCharge(id, request.Simulation, request.Now));
    }

    /// <summary>Runs a command on the ledger of the charge <paramref name="chargeId"/> and answers with that charge.</summary>
    private static Task<ApiResult> OnChargeAsync(
        ApiRequest request, string? idempotencyKey, string chargeId, Func<PaymentLedger, Result<Transition<PaymentLedger>>> command) =>
        request.WriteAsync(idempotencyKey, session =>
        {
            var loaded = Aggregates.LoadLedgerOfCharge(session, request.Owner, chargeId, request.Now);
            return loaded is null
                ? DomainError.NotFound(Charge, chargeId)
                : Apply(session, request, loaded, command, ledger => Ok(ledger.FindCharge(chargeId)!));
        });

    /// <summary>Runs a command on the ledger of the permission <paramref name="chargePermissionId"/>.</summary>
    private static Task<ApiResult> OnLedgerAsync(
        ApiRequest request,
        string? idempotencyKey,
        string chargePermissionId,
        Func<PaymentLedger, Result<Transition<PaymentLedger>>> command,
        Func<PaymentLedger, ApiResult> answer) =>
        request.WriteAsync(idempotencyKey, session =>
        {
            var loaded = Aggregates.LoadLedger(session, request.Owner, chargePermissionId, request.Now);
            return loaded is null
                ? DomainError.NotFound(ChargePermission, chargePermissionId)
                : Apply(session, request, loaded, command, answer);
        });

    /// <summary>
    /// Applies a command after the ledger's time-driven changes; both are saved together. A refused command saves the
    /// time-driven changes only, so what a later read shows never depends on whether a refused write came first.
    /// </summary>
    internal static ApiResult Apply(
        Storage.IWriteSession session,
        ApiRequest request,
        LoadedLedger loaded,
        Func<PaymentLedger, Result<Transition<PaymentLedger>>> command,
        Func<PaymentLedger, ApiResult> answer) =>
        Apply(session, request.Owner, loaded, command, answer, error => error);

    /// <summary>The same for any caller (the API, the dashboard): the answer is built by <paramref name="answer"/> or <paramref name="refused"/>.</summary>
    internal static T Apply<T>(
        Storage.IWriteSession session,
        Owner owner,
        LoadedLedger loaded,
        Func<PaymentLedger, Result<Transition<PaymentLedger>>> command,
        Func<PaymentLedger, T> answer,
        Func<DomainError, T> refused)
    {
        var result = command(loaded.Current.Value);
        if (result.Error is not null)
        {
            Aggregates.Persist(session, loaded.Stored, loaded.Current, owner);
            return refused(result.Error);
        }

        var combined = loaded.Current.Then(result.Value);
        Aggregates.Persist(session, loaded.Stored, combined, owner);
        return answer(combined.Value);
    }

    private static ApiResult Ok(PaymentLedger ledger, ApiRequest request) =>
        ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(ledger, request.Now), ApiJsonContext.Default.ChargePermissionDto);

    private static ApiResult Ok(Charge charge) =>
        ApiResult.Json(StatusCodes.Status200OK, WireMapper.ToDto(charge), ApiJsonContext.Default.ChargeDto);
}
