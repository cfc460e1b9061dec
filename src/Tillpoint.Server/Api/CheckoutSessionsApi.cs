using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>Checkout Session handlers (spec §4.1–4.4): map the request, run the command, answer.</summary>
internal static class CheckoutSessionsApi
{
    public static Task<ApiResult> CreateAsync(ApiRequest request, CreateCheckoutSessionRequest body) =>
        request.WriteAsync(
            RequestMapper.ToCreate(body),
            (session, command) => Answer(CheckoutSessionCommands.Create(session, request.Command, command), StatusCodes.Status201Created, request));

    public static Task<ApiResult> GetAsync(ApiRequest request)
    {
        var id = request.Route("checkoutSessionId");
        var session = request.Services.Store.Read(reader => PaymentObjects.CurrentCheckoutSession(reader, request.Owner, id, request.Now));
        return Task.FromResult(session is null ? DomainError.NotFound("Checkout Session", id) : Answer(session, StatusCodes.Status200OK, request));
    }

    public static Task<ApiResult> UpdateAsync(ApiRequest request, UpdateCheckoutSessionRequest body)
    {
        var id = request.Route("checkoutSessionId");
        return request.WriteAsync(
            RequestMapper.ToUpdate(body),
            (session, command) => Answer(CheckoutSessionCommands.Update(session, request.Command, id, command), StatusCodes.Status200OK, request));
    }

    public static Task<ApiResult> CompleteAsync(ApiRequest request, CompleteCheckoutSessionRequest body)
    {
        var id = request.Route("checkoutSessionId");
        var chargeAmount = RequestMapper.RequiredMoney(body.ChargeAmount, "chargeAmount", request.Limits);
        var totalOrderAmount = RequestMapper.OptionalMoney(body.TotalOrderAmount, "totalOrderAmount", request.Limits);
        var error = chargeAmount.Error ?? totalOrderAmount.Error;
        return error is null
            ? request.WriteAsync(session => Answer(
                CheckoutSessionCommands.Complete(session, request.Command, id, chargeAmount.Value, totalOrderAmount.Value), request, finalize: false))
            : ApiResult.Refused(error);
    }

    public static Task<ApiResult> FinalizeAsync(ApiRequest request, FinalizeCheckoutSessionRequest body)
    {
        var id = request.Route("checkoutSessionId");
        return request.WriteAsync(
            RequestMapper.ToFinalize(body, request.Limits),
            (session, command) => Answer(CheckoutSessionCommands.Finalize(session, request.Command, id, command), request, finalize: true));
    }

    /// <summary>A completion is answered 200, or 202 while its authorization is pending.</summary>
    private static ApiResult Answer(Result<CheckoutOutcome> outcome, ApiRequest request, bool finalize)
    {
        if (!outcome.IsSuccess)
        {
            return outcome.Error;
        }

        var status = outcome.Value.IsPending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        var dto = WireMapper.ToDto(outcome.Value.Session, request.PublicBaseUrl);
        if (finalize)
        {
            dto.CartDetails = CartDetailsOf(outcome.Value.Session);
        }

        return ApiResult.Json(status, dto, ApiJsonContext.Default.CheckoutSessionDto);
    }

    /// <summary>
    /// Finalize answers carry <c>cartDetails</c>: a Buy Now checkout's cart as the buyer last saw it (Tillpoint's shape,
    /// docs/checkout.md), null for a checkout that showed no cart.
    /// </summary>
    private static System.Text.Json.JsonElement CartDetailsOf(CheckoutSession session) =>
        session.Cart is { } cart ? System.Text.Json.JsonDocument.Parse(cart.Details).RootElement.Clone() : NullCartDetails;

    private static readonly System.Text.Json.JsonElement NullCartDetails = System.Text.Json.JsonDocument.Parse("null").RootElement;

    private static ApiResult Answer(Result<CheckoutSession> session, int status, ApiRequest request) =>
        ApiResult.Json(status, session, s => WireMapper.ToDto(s, request.PublicBaseUrl), ApiJsonContext.Default.CheckoutSessionDto);
}
