using System.Text.Json.Serialization.Metadata;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Errors;

namespace Tillpoint.Server.Operator;

/// <summary>
/// The buyer's side of a Sandbox agreement (Recurring, PaymentMethodOnFile), for tests that have no browser: the buyer
/// closes it in their account (<c>Closed</c>/<c>BuyerClosed</c>), or gives it another payment method after a decline.
/// Operator Bearer token, the API's error format; the answer is the charge permission as Get Charge Permission shows it.
/// </summary>
internal static class OperatorChargePermissions
{
    public static void MapOperatorChargePermissions(this WebApplication app)
    {
        app.MapPost("/operator/chargePermissions/{chargePermissionId}/close", CloseAsync);
        app.MapPost("/operator/chargePermissions/{chargePermissionId}/paymentMethod", UpdatePaymentMethodAsync);
    }

    private static Task CloseAsync(HttpContext context, string chargePermissionId) =>
        RunAsync(context, chargePermissionId, ApiRequestJsonContext.Default.OperatorCloseChargePermissionRequest, body => body.ClosedBy switch
        {
            null => DomainError.Missing("closedBy"),
            "Buyer" => null,
            _ => DomainError.InvalidValue("closedBy", "only Buyer; Amazon closing a permission is the AmazonClosed simulation code of Close Charge Permission."),
        },
        (session, command, _) => AgreementCommands.CloseByBuyer(session, command, chargePermissionId));

    private static Task UpdatePaymentMethodAsync(HttpContext context, string chargePermissionId) =>
        RunAsync(context, chargePermissionId, ApiRequestJsonContext.Default.OperatorPaymentMethodRequest, body => string.IsNullOrEmpty(body.InstrumentId)
            ? DomainError.Missing("instrumentId")
            : null,
        (session, command, body) => AgreementCommands.UpdatePaymentMethod(session, command, chargePermissionId, body.InstrumentId!));

    private static async Task RunAsync<TBody>(
        HttpContext context,
        string chargePermissionId,
        JsonTypeInfo<TBody> bodyType,
        Func<TBody, DomainError?> check,
        Func<IWriteSession, CommandContext, TBody, Result<PaymentLedger>> command)
        where TBody : class, new()
    {
        if (!await OperatorBearer.AuthorizeAsync(context, "A valid operator token is required as 'Authorization: Bearer <token>'."))
        {
            return;
        }

        var services = context.RequestServices;
        var body = await OperatorEndpoints.ReadBodyAsync(context, bodyType, optional: false);
        var error = body.IsSuccess ? check(body.Value) : body.Error;
        if (error is not null)
        {
            await ApiErrors.WriteAsync(context, error);
            return;
        }

        var store = services.GetRequiredService<ITillpointStore>();
        var owner = store.Read(reader => AgreementCommands.OwnerOf(reader, chargePermissionId));
        if (owner is not { Environment: ReleaseEnvironment.Sandbox } sandbox)
        {
            await ApiErrors.WriteAsync(context, DomainError.NotFound("Sandbox Charge Permission", chargePermissionId));
            return;
        }

        var now = services.GetRequiredService<BusinessClocks>().Now(ReleaseEnvironment.Sandbox);
        var commandContext = new CommandContext(
            sandbox, now, services.GetRequiredService<ServerOptions>().Limits, null, services.GetRequiredService<IIdGenerator>());
        var result = await store.WriteAsync(session => command(session, commandContext, body.Value!), context.RequestAborted);
        if (!result.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, result.Error);
            return;
        }

        await context.Response.WriteAsJsonAsync(WireMapper.ToDto(result.Value, now), ApiJsonContext.Default.ChargePermissionDto);
    }
}
