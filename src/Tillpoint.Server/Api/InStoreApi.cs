using Tillpoint.Domain.InStore;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>The in-store API (spec §5): Merchant Scan, Charge and Refund, each answering 200 with its own small object.</summary>
internal static class InStoreApi
{
    public static Task<ApiResult> MerchantScanAsync(ApiRequest request, MerchantScanRequest body) =>
        request.WriteAsync(ToScan(body, request.Limits), (session, scan) => ApiResult.Json(
            StatusCodes.Status200OK,
            new MerchantScanDto { ChargePermissionId = InStoreCommands.Scan(session, request.Command, scan).ChargePermissionId },
            ApiJsonContext.Default.MerchantScanDto));

    public static Task<ApiResult> ChargeAsync(ApiRequest request, InStoreChargeRequest body) =>
        request.WriteAsync(ToCharge(body, request.Limits), (session, charge) => ApiResult.Json(
            StatusCodes.Status200OK,
            InStoreCommands.Charge(session, request.Command, charge.ChargePermissionId, charge.Request),
            created => new InStoreChargeDto { ChargeId = created.ChargeId, ChargeStatus = new() { State = InStorePurchases.ChargeStatus(created) } },
            ApiJsonContext.Default.InStoreChargeDto));

    public static Task<ApiResult> RefundAsync(ApiRequest request, InStoreRefundRequest body) =>
        request.WriteAsync(ToRefund(body, request.Limits), (session, refund) => ApiResult.Json(
            StatusCodes.Status200OK,
            LedgerCommands.CreateRefund(session, request.Command, refund.ChargeId, refund.RefundAmount, refund.SoftDescriptor),
            created => new InStoreRefundDto { RefundId = created.RefundId, RefundStatus = new() { State = InStorePurchases.RefundStatus(created) } },
            ApiJsonContext.Default.InStoreRefundDto));

    private static Result<MerchantScan> ToScan(MerchantScanRequest body, Limits limits)
    {
        if (body.ScanData is null)
        {
            return DomainError.Missing("scanData");
        }

        if (body.MerchantCOE is null)
        {
            return DomainError.Missing("merchantCOE");
        }

        if (body.LedgerCurrency is null)
        {
            return DomainError.Missing("ledgerCurrency");
        }

        if (!Currencies.TryParse(body.LedgerCurrency, out var currency))
        {
            return DomainError.InvalidValue("ledgerCurrency", $"'{body.LedgerCurrency}' is not a supported currency.");
        }

        var total = RequestMapper.OptionalMoney(body.ChargeTotal, "chargeTotal", limits);
        if (!total.IsSuccess)
        {
            return total.Error;
        }

        var scan = new MerchantScan(
            body.ScanData, body.ScanReferenceId ?? string.Empty, body.MerchantCOE, currency, total.Value, body.StoreLocation?.CountryCode, Metadata(body.Metadata));
        var error = InStorePurchases.Validate(scan, limits);
        return error is null ? scan : error;
    }

    private static Result<CreateChargeCommand> ToCharge(InStoreChargeRequest body, Limits limits)
    {
        if (string.IsNullOrEmpty(body.ChargePermissionId))
        {
            return DomainError.Missing("chargePermissionId");
        }

        var total = RequestMapper.RequiredMoney(body.ChargeTotal, "chargeTotal", limits);
        var metadata = Metadata(body.Metadata);
        var error = total.Error
            ?? InStorePurchases.ReferenceId("chargeReferenceId", body.ChargeReferenceId)
            ?? RequestMapper.SoftDescriptor(body.SoftDescriptor, limits)
            ?? InStorePurchases.Validate(metadata, limits);
        return error is not null
            ? error
            : new CreateChargeCommand(
                body.ChargePermissionId, InStorePurchases.ChargeRequest(total.Value, body.ChargeReferenceId!, body.SoftDescriptor, metadata));
    }

    private static Result<CreateRefundCommand> ToRefund(InStoreRefundRequest body, Limits limits)
    {
        if (string.IsNullOrEmpty(body.ChargeId))
        {
            return DomainError.Missing("chargeId");
        }

        var total = RequestMapper.RequiredMoney(body.RefundTotal, "refundTotal", limits);
        var error = total.Error
            ?? InStorePurchases.ReferenceId("refundReferenceId", body.RefundReferenceId)
            ?? RequestMapper.SoftDescriptor(body.SoftDescriptor, limits)
            ?? InStorePurchases.Validate(Metadata(body.Metadata), limits);
        return error is not null ? error : new CreateRefundCommand(body.ChargeId, total.Value, body.SoftDescriptor);
    }

    private static InStoreMetadata? Metadata(InStoreMetadataDto? metadata) => metadata is null
        ? null
        : new InStoreMetadata(
            metadata.MerchantNote, metadata.CustomInformation, metadata.CommunicationContext?.MerchantStoreName, metadata.CommunicationContext?.MerchantOrderId);
}
