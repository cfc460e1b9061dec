using Tillpoint.Domain;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Idempotency;

namespace Tillpoint.Server.Api;

/// <summary>Checkout Session operations (spec §4.1–4.4).</summary>
internal static class CheckoutSessionsApi
{
    private const string What = "Checkout Session";

    public static void MapCheckoutSessions(this WebApplication app)
    {
        app.MapApi("POST", "checkoutSessions", CreateAsync);
        app.MapApi("GET", "checkoutSessions/{checkoutSessionId}", GetAsync);
        app.MapApi("PATCH", "checkoutSessions/{checkoutSessionId}", UpdateAsync);
        app.MapApi("POST", "checkoutSessions/{checkoutSessionId}/complete", CompleteAsync);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var body = request.ParseBody(ApiRequestJsonContext.Default.CreateCheckoutSessionRequest);
        var command = body.Error is null ? RequestMapper.ToCreate(body.Value!) : body.Error;
        var key = IdempotencyKeys.Read(request.Context.Request, required: true);
        var error = key.Error ?? command.Error;
        if (error is not null)
        {
            return error;
        }

        var caller = request.Caller;
        return await request.WriteAsync(key.Value, session =>
        {
            if (session.GetMerchant(caller.MerchantId)?.StoreId != command.Value!.StoreId)
            {
                return DomainError.InvalidValue("storeId", $"'{command.Value!.StoreId}' is not a store of this merchant.");
            }

            var created = CheckoutSession.Create(
                command.Value!, caller.MerchantId, caller.Environment, request.Services.Ids, request.Now, request.Limits);
            if (created.Error is not null)
            {
                return created.Error;
            }

            var saved = Aggregates.Persist(session, created.Value, caller);
            return Ok(StatusCodes.Status201Created, saved, request);
        });
    }

    private static Task<ApiResult> GetAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var session = request.Services.Store.Read(reader => Aggregates.CurrentCheckoutSession(reader, request.Caller, id, request.Now));
        return Task.FromResult(session is null ? DomainError.NotFound(What, id) : Ok(StatusCodes.Status200OK, session, request));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var body = request.ParseBody(ApiRequestJsonContext.Default.UpdateCheckoutSessionRequest);
        var command = body.Error is null ? RequestMapper.ToUpdate(body.Value!) : body.Error;
        if (command.Error is not null)
        {
            return command.Error;
        }

        return await request.WriteAsync(null, session =>
        {
            var current = Aggregates.LoadCheckoutSession(session, request.Caller, id, request.Now);
            if (current is null)
            {
                return DomainError.NotFound(What, id);
            }

            var updated = current.Update(command.Value!, request.Now, request.Limits);
            return updated.Error ?? Ok(StatusCodes.Status200OK, Aggregates.Persist(session, updated.Value, request.Caller), request);
        });
    }

    private static async Task<ApiResult> CompleteAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var body = request.ParseBody(ApiRequestJsonContext.Default.CompleteCheckoutSessionRequest);
        var key = IdempotencyKeys.Read(request.Context.Request, required: false);
        var error = key.Error ?? body.Error;
        if (error is not null)
        {
            return error;
        }

        var chargeAmount = RequestMapper.RequiredMoney(body.Value!.ChargeAmount, "chargeAmount", request.Limits);
        var totalOrderAmount = RequestMapper.OptionalMoney(body.Value.TotalOrderAmount, "totalOrderAmount", request.Limits);
        error = chargeAmount.Error ?? totalOrderAmount.Error;
        if (error is not null)
        {
            return error;
        }

        var caller = request.Caller;
        return await request.WriteAsync(key.Value, session =>
        {
            var current = Aggregates.LoadCheckoutSession(session, caller, id, request.Now);
            if (current is null)
            {
                return DomainError.NotFound(What, id);
            }

            var completed = CheckoutCompletion.Complete(
                current, chargeAmount.Value, totalOrderAmount.Value, request.Services.Ids, null, request.Now, request.Limits);
            if (completed.Error is not null)
            {
                return completed.Error;
            }

            var result = completed.Value!;
            session.Append(caller.MerchantId, caller.Environment, result.Events);
            session.Save(result.ChargePermission);
            if (result.Charge is not null)
            {
                session.Save(result.Charge);
            }

            var saved = session.Save(result.Session);
            return Ok(result.IsPending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, saved, request);
        });
    }

    private static ApiResult Ok(int status, CheckoutSession session, ApiRequest request) =>
        ApiResult.Json(status, WireMapper.ToDto(session, request.PublicBaseUrl), ApiJsonContext.Default.CheckoutSessionDto);
}
