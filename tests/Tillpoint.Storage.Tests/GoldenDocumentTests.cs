using Tillpoint.Domain;
using Tillpoint.Domain.Disputes;

namespace Tillpoint.Storage.Tests;

/// <summary>Documents written by an earlier version still load: a renamed or retyped property would orphan stored data.</summary>
public class GoldenDocumentTests
{
    private static byte[] Golden(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    [Fact]
    public void DisputeV1_LoadsEveryField()
    {
        var dispute = StoredDocuments.Dispute.Read(Golden("Disputes/dispute.v1.rich.json"));

        Assert.Equal("S01-1111111-1111111-B123456", dispute.DisputeId);
        Assert.Equal("S01-1111111-1111111-C123456", dispute.ChargeId);
        Assert.Equal("S01-1111111-1111111", dispute.ChargePermissionId);
        Assert.Equal("MERCHANT-A", dispute.MerchantId);
        Assert.Equal(ReleaseEnvironment.Sandbox, dispute.Environment);
        Assert.Equal(new Money(40.00m, Currency.USD), dispute.DisputeAmount);
        Assert.Equal(DisputeFilingReason.Fraudulent, dispute.FilingReason);
        Assert.Equal(DisputeState.UnderReview, dispute.State);
        Assert.Null(dispute.ReasonCode);
        Assert.Equal("Amazon Pay is reviewing the merchant's evidence", dispute.ReasonDescription);
        Assert.Null(dispute.Resolution);
        Assert.Equal(
            [new MerchantEvidence(EvidenceType.TrackingNumber, null, "1Z999AA10123456784"), new MerchantEvidence(EvidenceType.Receipt, "amzn1.file.S01-0000000001", null)],
            dispute.MerchantEvidences);
        Assert.Equal(new DateTimeOffset(2025, 3, 12, 10, 10, 10, TimeSpan.Zero), dispute.MerchantResponseDeadline);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 10, 10, TimeSpan.Zero), dispute.FilingTimestamp);
        Assert.Null(dispute.ClosureTimestamp);
        Assert.Equal("A2CQXQ2TUSYG7J", dispute.ProviderDisputeId);
        Assert.Equal(new DateTimeOffset(2025, 3, 2, 9, 0, 0, TimeSpan.Zero), dispute.LastUpdatedTimestamp);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 10, 10, TimeSpan.Zero), dispute.CreationTimestamp);
        Assert.Equal(2, dispute.Version);
    }

    [Fact]
    public void Dispute_WrittenToday_ReadsBackTheSame()
    {
        var dispute = StoredDocuments.Dispute.Read(Golden("Disputes/dispute.v1.rich.json"));

        var again = StoredDocuments.Dispute.Read(StoredDocuments.Dispute.Write(dispute));

        Assert.Equal(dispute.MerchantEvidences, again.MerchantEvidences);
        Assert.Equal(dispute, again with { MerchantEvidences = dispute.MerchantEvidences });
    }
}
