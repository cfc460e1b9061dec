using System.Diagnostics.CodeAnalysis;

namespace Tillpoint.Domain;

/// <summary>The API's reason codes. Each maps to exactly one HTTP status in the server's error mapping.</summary>
public enum ErrorCode
{
    InvalidHeaderValue,
    InvalidRequest,
    InvalidParameterValue,
    InvalidParameterCombination,
    InvalidRequestFormat,
    MissingHeader,
    MissingHeaderValue,
    MissingParameterValue,
    UnrecognizedField,
    InvalidInputFormat,
    InvalidSandboxSimulationSpecified,
    DuplicateIdempotencyKey,
    CurrencyMismatch,
    UnauthorizedAccess,
    InvalidRequestSignature,
    InvalidAuthorizationToken,
    ResourceNotFound,
    RequestNotSupported,
    AmountMismatch,
    InvalidCheckoutSessionStatus,
    CheckoutSessionCanceled,
    InvalidChargePermissionStatus,
    ChargePermissionNotModifiable,
    InvalidChargeStatus,
    TransactionAmountExceeded,
    TransactionCountExceeded,
    SoftDeclined,
    HardDeclined,
    AmazonRejected,
    PaymentMethodNotAllowed,
    TransactionTimedOut,
    MFANotCompleted,
    InvalidDisputeStatus,
    TooManyRequests,
    ProcessingFailure,
    InternalServerError,
    ServiceUnavailable,
}

/// <summary>An expected failure, returned as a value; the server turns it into <c>{"reasonCode", "message"}</c>.</summary>
public sealed record DomainError(ErrorCode Code, string Message)
{
    public static DomainError NotFound(string what, string id) =>
        new(ErrorCode.ResourceNotFound, $"The {what} with id '{id}' was not found.");

    public static DomainError InvalidValue(string field, string why) =>
        new(ErrorCode.InvalidParameterValue, $"The value provided for '{field}' is invalid: {why}");

    public static DomainError Missing(string field) =>
        new(ErrorCode.MissingParameterValue, $"The parameter '{field}' is required but was not provided.");

    /// <summary>A free-text field over its length limit; null when it fits or is absent.</summary>
    public static DomainError? TooLong(string field, string? value, int max) =>
        value is not null && value.Length > max ? InvalidValue(field, $"it is longer than {max} characters.") : null;

    public static DomainError CurrencyMismatch(Currency expected, Currency given) =>
        new(ErrorCode.CurrencyMismatch, $"The currency code '{given}' does not match the currency '{expected}' set during checkout.");
}

/// <summary>The outcome of a domain operation: a value or an error, never both.</summary>
public readonly struct Result<T>
{
    private Result(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}
