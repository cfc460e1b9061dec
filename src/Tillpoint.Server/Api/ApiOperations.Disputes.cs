using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Disputes and evidence files (spec §2): every answer is 200, as the official SDKs' tests expect.</summary>
internal sealed partial class ApiOperations
{
    private const string Disputes = "Disputes";

    private static ApiOperation[] DisputeOperations =>
    [
        Command(
            "CreateDispute", "POST", "disputes", Disputes, "Create a Dispute",
            "A payment service provider reports a buyer's chargeback against a captured charge; the dispute starts ActionRequired or UnderReview.",
            Bodies.CreateDisputeRequest, typeof(DisputeDto), [200], IdempotencyKeyUse.Required, null, WriteErrors,
            DisputesApi.CreateDisputeAsync) with { RequiredRole = MerchantRole.Psp },
        Read(
            "GetDispute", "disputes/{disputeId}", Disputes, "Get a Dispute",
            "The dispute's state, deadline, evidence and, once decided, its resolution.",
            typeof(DisputeDto), DisputesApi.GetDisputeAsync),
        Command(
            "UpdateDispute", "PATCH", "disputes/{disputeId}", Disputes, "Update a Dispute",
            "A payment service provider reports the new status of a dispute it manages, its outcome included.",
            Bodies.UpdateDisputeRequest, typeof(DisputeDto), [200], IdempotencyKeyUse.Optional, null, WriteErrors,
            DisputesApi.UpdateDisputeAsync) with { RequiredRole = MerchantRole.Psp },
        Command(
            "ContestDispute", "POST", "disputes/{disputeId}/contest", Disputes, "Contest a Dispute",
            "Sends the merchant's evidence before the response deadline; the dispute moves to UnderReview.",
            Bodies.ContestDisputeRequest, typeof(DisputeDto), [200], IdempotencyKeyUse.Optional, null, WriteErrors,
            DisputesApi.ContestDisputeAsync),
        Command(
            "UploadFile", "POST", "files", Disputes, "Upload a File",
            "Creates an evidence file and answers with the address its bytes are PUT to (unsigned, once, before urlExpirationTimestamp).",
            Bodies.UploadFileRequest, typeof(FileDto), [200], IdempotencyKeyUse.Required, null, CreateErrors,
            FilesApi.UploadFileAsync),
    ];
}
