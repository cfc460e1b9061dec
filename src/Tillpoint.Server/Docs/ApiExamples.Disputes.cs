using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Docs;

/// <summary>The Disputes examples: Jane Doe's charge disputed, contested with a tracking number and an uploaded receipt.</summary>
internal static partial class ApiExamples
{
    private const string DisputeId = ChargePermissionId + "-B483920";
    private const string FileId = "amzn1.file.5f2b7a1c9e0d4b6a8c3e1f7d2a9b4c60";
    private const string Disputed = "20261215T080000Z";
    private const string Contested = "20261216T120000Z";

    private static readonly Dictionary<string, (object? Request, Dictionary<int, object> Responses)> DisputeExamples = new()
    {
        ["CreateDispute"] = (
            new CreateDisputeRequest
            {
                ChargeId = ChargeId,
                ProviderMetadata = new DisputeProviderMetadataDto { ProviderDisputeId = "A2CQXQ2TUSYG7J" },
                DisputeAmount = Usd("14.00"),
                FilingReason = "ProductNotReceived",
                FilingTimestamp = 1797321600,
                StatusDetails = new DisputeStatusRequest { State = "ActionRequired", ReasonCode = "MerchantResponseRequired" },
                MerchantResponseDeadline = 1798272000,
            },
            new() { [200] = Dispute("ActionRequired") }),
        ["GetDispute"] = (null, new() { [200] = Dispute("ActionRequired") }),
        ["UpdateDispute"] = (
            new UpdateDisputeRequest
            {
                StatusDetails = new DisputeStatusRequest { State = "Resolved", ReasonCode = "InvestigatorResolved", Resolution = "MerchantWon" },
                ClosureTimestamp = 1798200000,
            },
            new() { [200] = Dispute("Resolved") }),
        ["ContestDispute"] = (
            new ContestDisputeRequest
            {
                MerchantEvidences =
                [
                    new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = "1Z999AA10123456784" },
                    new MerchantEvidenceDto { EvidenceType = "Receipt", FileId = FileId },
                ],
            },
            new() { [200] = Dispute("UnderReview") }),
        ["UploadFile"] = (
            new UploadFileRequest { Type = "pdf", Purpose = "disputeEvidence" },
            new()
            {
                [200] = new FileDto
                {
                    Id = FileId,
                    Type = "pdf",
                    Purpose = "disputeEvidence",
                    Url = "https://tillpoint.example/files/uploads/Xq3b9TQ0mJ5vYkR2sW8nC1dE4fG7hL6p",
                    Size = 0,
                    UrlExpirationTimestamp = "20261216T111000Z",
                },
            }),
    };

    private static DisputeDto Dispute(string state) => new()
    {
        DisputeId = DisputeId,
        ReleaseEnvironment = "Sandbox",
        ChargeId = ChargeId,
        DisputeType = "Chargeback",
        DisputeAmount = Usd("14.00"),
        FilingReason = "ProductNotReceived",
        StatusDetails = new DisputeStatusDetailsDto
        {
            State = state,
            ReasonCode = state switch
            {
                "ActionRequired" => "MerchantResponseRequired",
                "Resolved" => "InvestigatorResolved",
                _ => null,
            },
            ReasonDescription = state switch
            {
                "ActionRequired" => "Merchant needs to provide a response",
                "Resolved" => "An investigator decided the dispute",
                _ => "Amazon Pay is reviewing the merchant's evidence",
            },
            Resolution = state == "Resolved" ? "MerchantWon" : null,
            LastUpdatedTimestamp = state == "ActionRequired" ? Disputed : Contested,
        },
        MerchantEvidences = state == "ActionRequired"
            ? []
            : [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = "1Z999AA10123456784" }, new MerchantEvidenceDto { EvidenceType = "Receipt", FileId = FileId }],
        MerchantResponseDeadline = "20261226T080000Z",
        ResolutionAuthority = "AmazonPay",
        CreationTimestamp = Disputed,
    };
}
