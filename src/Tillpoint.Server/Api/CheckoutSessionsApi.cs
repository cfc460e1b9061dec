using Tillpoint.Domain;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Simulation;
using Tillpoint.Storage;
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
        app.MapApi("PATCH", "checkoutSessions/{checkoutSessionId}", UpdateAsync, SimulatedOperation.UpdateCheckoutSession);
        app.MapApi("POST", "checkoutSessions/{checkoutSessionId}/complete", CompleteAsync, SimulatedOperation.CompleteCheckoutSession);
        app.MapApi("POST", "checkoutSessions/{checkoutSessionId}/finalize", FinalizeAsync, SimulatedOperation.FinalizeCheckoutSession);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var read = request.ReadCommand(
            ApiRequestJsonContext.Default.CreateCheckoutSessionRequest, RequestMapper.ToCreate, idempotencyKeyRequired: true);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var (command, key) = read.Value;
        return await request.WriteAsync(key, session =>
        {
            var created = Create(session, request.Owner, command, request.Services.Ids, request.Now, request.Limits);
            return created.Error ?? Ok(StatusCodes.Status201Created, created.Value!, request);
        });
    }

    /// <summary>
    /// Creates and saves a session for <paramref name="owner"/>, checking the store and the domain rules. Shared with
    /// the checkout button (<c>/checkout/start</c>), so a signed button payload is held to exactly the API's rules.
    /// </summary>
    public static Result<CheckoutSession> Create(
        IWriteSession session, Owner owner, CreateCheckoutSession command, IIdGenerator ids, DateTimeOffset now, Limits limits)
    {
        if (session.GetMerchant(owner.MerchantId)?.StoreId != command.StoreId)
        {
            return DomainError.InvalidValue("storeId", $"'{command.StoreId}' is not a store of this merchant.");
        }

        var created = CheckoutSession.Create(command, owner.MerchantId, owner.Environment, ids, now, limits);
        return created.Error is not null ? created.Error : Aggregates.Persist(session, created.Value, owner);
    }

    private static Task<ApiResult> GetAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var session = request.Services.Store.Read(reader => Aggregates.CurrentCheckoutSession(reader, request.Owner, id, request.Now));
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
            var current = Aggregates.LoadCheckoutSession(session, request.Owner, id, request.Now);
            if (current is null)
            {
                return DomainError.NotFound(What, id);
            }

            var updated = current.Update(command.Value!, request.Now, request.Limits, request.Simulation?.ReasonCode as CheckoutSessionReasonCode?);
            return updated.Error ?? Ok(StatusCodes.Status200OK, Aggregates.Persist(session, updated.Value, request.Owner), request);
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

        return await request.WriteAsync(key.Value, session =>
        {
            var current = Aggregates.LoadCheckoutSession(session, request.Owner, id, request.Now);
            return current is null
                ? DomainError.NotFound(What, id)
                : Save(session, request, CheckoutCompletion.Complete(
                    current, chargeAmount.Value, totalOrderAmount.Value, request.Services.Ids, request.Simulation, request.Now, request.Limits));
        });
    }

    /// <summary>
    /// Finalize (the JS-only flow): the buyer approved on the hosted page but was never redirected, so processing
    /// (the instrument's outcome) happens here; a session that processing cancels is answered CheckoutSessionCanceled.
    /// </summary>
    private static async Task<ApiResult> FinalizeAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var body = request.ParseBody(ApiRequestJsonContext.Default.FinalizeCheckoutSessionRequest);
        var command = body.Error is null ? RequestMapper.ToFinalize(body.Value!, request.Limits) : body.Error;
        var key = IdempotencyKeys.Read(request.Context.Request, required: false);
        var error = key.Error ?? command.Error;
        if (error is not null)
        {
            return error;
        }

        return await request.WriteAsync(key.Value, session =>
        {
            var current = Aggregates.LoadCheckoutSession(session, request.Owner, id, request.Now);
            if (current is null)
            {
                return DomainError.NotFound(What, id);
            }

            if (current is { State: CheckoutSessionState.Open, Processed: false, Selection: not null })
            {
                var processed = CheckoutCompletion.Agree(current, command.Value!).Process(request.Now);
                if (processed.Error is not null)
                {
                    return processed.Error;
                }

                current = Aggregates.Persist(session, processed.Value, request.Owner);
            }
            else if (current is { State: CheckoutSessionState.Open, Selection: null })
            {
                return new DomainError(
                    ErrorCode.InvalidCheckoutSessionStatus, "The buyer has not approved the payment on the hosted page yet.");
            }

            return Save(
                session,
                request,
                CheckoutCompletion.Finalize(current, command.Value!, request.Services.Ids, request.Simulation, request.Now, request.Limits),
                finalize: true);
        });
    }

    /// <summary>Saves a completion (session, new permission, maybe a charge) and answers 200, or 202 when pending.</summary>
    private static ApiResult Save(IWriteSession session, ApiRequest request, Result<CompletedCheckout> completed, bool finalize = false)
    {
        if (completed.Error is not null)
        {
            return completed.Error;
        }

        var result = completed.Value!;
        session.Append(request.Owner.MerchantId, request.Owner.Environment, result.Events);
        session.Save(result.ChargePermission);
        if (result.Charge is not null)
        {
            session.Save(result.Charge);
        }

        var saved = session.Save(result.Session);
        var status = result.IsPending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        if (!finalize)
        {
            return Ok(status, saved, request);
        }

        var dto = WireMapper.ToDto(saved, request.PublicBaseUrl);
        dto.CartDetails = NullCartDetails;
        return ApiResult.Json(status, dto, ApiJsonContext.Default.CheckoutSessionDto);
    }

    /// <summary>Finalize answers carry <c>cartDetails</c>; its shape is undocumented, so it is null.</summary>
    private static readonly System.Text.Json.JsonElement NullCartDetails = System.Text.Json.JsonDocument.Parse("null").RootElement;

    private static ApiResult Ok(int status, CheckoutSession session, ApiRequest request) =>
        ApiResult.Json(status, WireMapper.ToDto(session, request.PublicBaseUrl), ApiJsonContext.Default.CheckoutSessionDto);
}
