using System.Text.Json.Serialization;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Operator;

/// <summary>
/// The operator's injected faults (<c>/operator/faults</c>, sandbox requests only): <c>PUT</c> sets the rule of a merchant
/// and operation (either may be left out for every one), <c>GET</c> lists the rules with how many requests each has hit,
/// <c>DELETE</c> removes them all. Authenticated and answered as the other operator endpoints are.
/// </summary>
internal static class OperatorFaults
{
    /// <summary>A minute: longer than any client's timeout worth testing.</summary>
    public const int MaxLatencyMs = 60_000;

    public const string Path = "/operator/faults";

    public static void MapOperatorFaults(this WebApplication app)
    {
        app.MapGet(Path, ListAsync);
        app.MapPut(Path, PutAsync);
        app.MapDelete(Path, ClearAsync);
    }

    private static async Task ListAsync(HttpContext context)
    {
        if (await AuthorizedAsync(context))
        {
            await WriteAsync(context, context.RequestServices.GetRequiredService<InjectedFaults>());
        }
    }

    private static async Task PutAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var body = await OperatorEndpoints.ReadBodyAsync(context, FaultsJsonContext.Default.FaultRuleRequest, optional: false);
        var rule = ToRule(body, context.RequestServices.GetRequiredService<ITillpointStore>());
        if (!rule.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, rule.Error);
            return;
        }

        var faults = context.RequestServices.GetRequiredService<InjectedFaults>();
        if (!faults.Put(rule.Value))
        {
            await ApiErrors.WriteAsync(context, new DomainError(
                ErrorCode.InvalidRequest, $"There are {InjectedFaults.MaxRules} fault rules already; replace one or clear them first."));
            return;
        }

        await WriteAsync(context, faults);
    }

    private static async Task ClearAsync(HttpContext context)
    {
        if (await AuthorizedAsync(context))
        {
            var faults = context.RequestServices.GetRequiredService<InjectedFaults>();
            faults.Clear();
            await WriteAsync(context, faults);
        }
    }

    /// <summary>The body's checks, one per line, in the order of its fields.</summary>
    private static Result<FaultRule> ToRule(Result<FaultRuleRequest> parsed, ITillpointStore store)
    {
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var body = parsed.Value;
        if (body.MerchantId is { } merchantId && store.Read(reader => reader.GetMerchant(merchantId)) is null)
        {
            return DomainError.InvalidValue("merchantId", $"there is no merchant '{merchantId}'.");
        }

        if (body.Operation is { } operation && AmazonQuotas.Of(operation) is null)
        {
            return DomainError.InvalidValue("operation", $"'{operation}' is not an operation of the API, such as CreateCharge or GetCheckoutSession.");
        }

        if (body.Rate is not { } rate)
        {
            return DomainError.Missing("rate");
        }

        if (!(rate >= 0 && rate <= 1))
        {
            return DomainError.InvalidValue("rate", "it is a fraction of the requests, from 0 to 1.");
        }

        if (body.Kind is null)
        {
            return DomainError.Missing("kind");
        }

        if (!Enum.GetNames<FaultKind>().Contains(body.Kind, StringComparer.Ordinal))
        {
            return DomainError.InvalidValue("kind", $"'{body.Kind}' is not one of {string.Join(", ", Enum.GetNames<FaultKind>())}.");
        }

        var kind = Enum.Parse<FaultKind>(body.Kind);
        return (kind, body.LatencyMs) switch
        {
            (FaultKind.Latency, null) => DomainError.Missing("latencyMs"),
            (FaultKind.Latency, < 1 or > MaxLatencyMs) => DomainError.InvalidValue("latencyMs", $"it is from 1 to {MaxLatencyMs} milliseconds."),
            (not FaultKind.Latency, not null) => DomainError.InvalidValue("latencyMs", "only a Latency fault has one."),
            _ => new FaultRule(body.MerchantId, body.Operation, rate, kind, body.LatencyMs),
        };
    }

    private static Task<bool> AuthorizedAsync(HttpContext context) =>
        OperatorBearer.AuthorizeAsync(context, "A valid operator token is required as 'Authorization: Bearer <token>'.");

    private static Task WriteAsync(HttpContext context, InjectedFaults faults) =>
        context.Response.WriteAsJsonAsync(
            new FaultsDto([.. faults.List().Select(f => new FaultRuleDto(f.Rule.MerchantId, f.Rule.Operation, f.Rule.Rate, f.Rule.Kind.ToString(), f.Rule.LatencyMs, f.Injected))]),
            FaultsJsonContext.Default.FaultsDto);
}

/// <summary>Body of <c>PUT /operator/faults</c>.</summary>
internal sealed class FaultRuleRequest
{
    /// <summary>The merchant whose requests fail; every merchant when absent.</summary>
    public string? MerchantId { get; set; }

    /// <summary>The operation, by its name in the API reference (CreateCharge…); every operation when absent.</summary>
    public string? Operation { get; set; }

    /// <summary>Required: the fraction of the requests that fail, 0 to 1.</summary>
    public double? Rate { get; set; }

    /// <summary>Required: InternalServerError, ServiceUnavailable, Latency or DropConnection.</summary>
    public string? Kind { get; set; }

    /// <summary>A Latency fault's delay, 1 to 60,000 milliseconds.</summary>
    public int? LatencyMs { get; set; }
}

/// <summary>A fault rule as listed: null merchant or operation means every one; <see cref="Injected"/> counts the requests it hit.</summary>
internal sealed record FaultRuleDto(string? MerchantId, string? Operation, double Rate, string Kind, int? LatencyMs, long Injected);

/// <summary>What every <c>/operator/faults</c> call answers: the rules now in force, most specific first.</summary>
internal sealed record FaultsDto(List<FaultRuleDto> Faults);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FaultRuleRequest))]
[JsonSerializable(typeof(FaultsDto))]
internal sealed partial class FaultsJsonContext : JsonSerializerContext;
