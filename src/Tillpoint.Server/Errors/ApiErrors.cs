using System.Text.Json;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Errors;

/// <summary>The one place where a reason code becomes an HTTP status.</summary>
internal static class ApiErrors
{
    public static int StatusOf(ErrorCode code) => code switch
    {
        ErrorCode.InvalidHeaderValue => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidParameterValue => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidParameterCombination => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidRequestFormat => StatusCodes.Status400BadRequest,
        ErrorCode.MissingHeader => StatusCodes.Status400BadRequest,
        ErrorCode.MissingHeaderValue => StatusCodes.Status400BadRequest,
        ErrorCode.MissingParameterValue => StatusCodes.Status400BadRequest,
        ErrorCode.UnrecognizedField => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidInputFormat => StatusCodes.Status400BadRequest,
        ErrorCode.InvalidSandboxSimulationSpecified => StatusCodes.Status400BadRequest,
        ErrorCode.DuplicateIdempotencyKey => StatusCodes.Status400BadRequest,
        ErrorCode.CurrencyMismatch => StatusCodes.Status400BadRequest,
        ErrorCode.UnauthorizedAccess => StatusCodes.Status401Unauthorized,
        ErrorCode.InvalidRequestSignature => StatusCodes.Status403Forbidden,
        ErrorCode.InvalidAuthorizationToken => StatusCodes.Status403Forbidden,
        ErrorCode.ResourceNotFound => StatusCodes.Status404NotFound,
        ErrorCode.RequestNotSupported => StatusCodes.Status405MethodNotAllowed,
        ErrorCode.AmountMismatch => StatusCodes.Status409Conflict,
        ErrorCode.InvalidCheckoutSessionStatus => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.CheckoutSessionCanceled => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.InvalidChargePermissionStatus => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.ChargePermissionNotModifiable => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.InvalidChargeStatus => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.TransactionAmountExceeded => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.TransactionCountExceeded => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.SoftDeclined => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.HardDeclined => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.AmazonRejected => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.PaymentMethodNotAllowed => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.TransactionTimedOut => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.MFANotCompleted => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.InvalidDisputeStatus => StatusCodes.Status422UnprocessableEntity,
        ErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorCode.ProcessingFailure => StatusCodes.Status500InternalServerError,
        ErrorCode.InternalServerError => StatusCodes.Status500InternalServerError,
        ErrorCode.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
    };

    public static byte[] Body(DomainError error) => JsonSerializer.SerializeToUtf8Bytes(
        new ErrorResponse { ReasonCode = error.Code.ToString(), Message = error.Message },
        ApiJsonContext.Default.ErrorResponse);

    public static Task WriteAsync(HttpContext context, DomainError error)
    {
        var body = Body(error);
        context.Response.StatusCode = StatusOf(error.Code);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
