using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>
/// Source-generated serialization of every wire type. Every property is written, nulls included, in declaration
/// order, because the official SDKs compare key lists. Reading tolerates unknown keys, as a client must.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CheckoutSessionDto))]
[JsonSerializable(typeof(AddressWithIdDto))]
[JsonSerializable(typeof(ChargeDto))]
[JsonSerializable(typeof(ChargePermissionDto))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CreateCheckoutSessionRequest))]
[JsonSerializable(typeof(UpdateCheckoutSessionRequest))]
[JsonSerializable(typeof(CompleteCheckoutSessionRequest))]
[JsonSerializable(typeof(CaptureChargeRequest))]
[JsonSerializable(typeof(RefundDto))]
[JsonSerializable(typeof(BuyerProfileDto))]
[JsonSerializable(typeof(DeliveryTrackerRequest))]
[JsonSerializable(typeof(OperatorClockDto))]
[JsonSerializable(typeof(BuyerRedirectDto))]
[JsonSerializable(typeof(AdvanceClockRequest))]
[JsonSerializable(typeof(OperatorCloseChargePermissionRequest))]
[JsonSerializable(typeof(OperatorPaymentMethodRequest))]
[JsonSerializable(typeof(CreateChargeRequest))]
[JsonSerializable(typeof(CancelChargeRequest))]
[JsonSerializable(typeof(UpdateChargePermissionRequest))]
[JsonSerializable(typeof(CloseChargePermissionRequest))]
[JsonSerializable(typeof(CreateRefundRequest))]
[JsonSerializable(typeof(FinalizeCheckoutSessionRequest))]
[JsonSerializable(typeof(UpdateChargeRequest))]
[JsonSerializable(typeof(AuthorizationTokenDto))]
[JsonSerializable(typeof(ReportDto))]
[JsonSerializable(typeof(ReportsDto))]
[JsonSerializable(typeof(CreateReportRequest))]
[JsonSerializable(typeof(CreateReportResponse))]
[JsonSerializable(typeof(ReportDocumentDto))]
[JsonSerializable(typeof(ReportScheduleDto))]
[JsonSerializable(typeof(ReportSchedulesDto))]
[JsonSerializable(typeof(CreateReportScheduleRequest))]
[JsonSerializable(typeof(CreateReportScheduleResponse))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(DisbursementsDto))]
[JsonSerializable(typeof(MerchantAccountRequest))]
[JsonSerializable(typeof(ClaimMerchantAccountRequest))]
[JsonSerializable(typeof(MerchantAccountIdsDto))]
[JsonSerializable(typeof(CreatedMerchantAccountDto))]
[JsonSerializable(typeof(StoreRequest))]
[JsonSerializable(typeof(StoreDto))]
[JsonSerializable(typeof(MerchantScanRequest))]
[JsonSerializable(typeof(InStoreChargeRequest))]
[JsonSerializable(typeof(InStoreRefundRequest))]
[JsonSerializable(typeof(MerchantScanDto))]
[JsonSerializable(typeof(InStoreChargeDto))]
[JsonSerializable(typeof(InStoreRefundDto))]
[JsonSerializable(typeof(DisputeDto))]
[JsonSerializable(typeof(FileDto))]
[JsonSerializable(typeof(CreateDisputeRequest))]
[JsonSerializable(typeof(UpdateDisputeRequest))]
[JsonSerializable(typeof(ContestDisputeRequest))]
[JsonSerializable(typeof(UploadFileRequest))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>
/// Requests as a server reads them: an unknown key is an error (the API answers UnrecognizedField), and requests omit
/// null members when written by a client.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CreateCheckoutSessionRequest))]
[JsonSerializable(typeof(UpdateCheckoutSessionRequest))]
[JsonSerializable(typeof(CompleteCheckoutSessionRequest))]
[JsonSerializable(typeof(CaptureChargeRequest))]
[JsonSerializable(typeof(DeliveryTrackerRequest))]
[JsonSerializable(typeof(AdvanceClockRequest))]
[JsonSerializable(typeof(BuyerChoice))]
[JsonSerializable(typeof(OperatorCloseChargePermissionRequest))]
[JsonSerializable(typeof(OperatorPaymentMethodRequest))]
[JsonSerializable(typeof(CreateChargeRequest))]
[JsonSerializable(typeof(CancelChargeRequest))]
[JsonSerializable(typeof(UpdateChargePermissionRequest))]
[JsonSerializable(typeof(CloseChargePermissionRequest))]
[JsonSerializable(typeof(CreateRefundRequest))]
[JsonSerializable(typeof(FinalizeCheckoutSessionRequest))]
[JsonSerializable(typeof(UpdateChargeRequest))]
[JsonSerializable(typeof(CreateReportRequest))]
[JsonSerializable(typeof(CreateReportScheduleRequest))]
[JsonSerializable(typeof(MerchantAccountRequest))]
[JsonSerializable(typeof(ClaimMerchantAccountRequest))]
[JsonSerializable(typeof(StoreRequest))]
[JsonSerializable(typeof(MerchantScanRequest))]
[JsonSerializable(typeof(InStoreChargeRequest))]
[JsonSerializable(typeof(InStoreRefundRequest))]
[JsonSerializable(typeof(CreateDisputeRequest))]
[JsonSerializable(typeof(UpdateDisputeRequest))]
[JsonSerializable(typeof(ContestDisputeRequest))]
[JsonSerializable(typeof(UploadFileRequest))]
public sealed partial class ApiRequestJsonContext : JsonSerializerContext;
