using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Storage.Tests.Golden;

namespace Tillpoint.Storage.Tests;

/// <summary>
/// What the stored documents refuse: a version this code does not read (a document's version is its leading
/// <c>documentVersion</c>, or 1 when it has none), and a document without a field its record requires.
/// </summary>
public sealed class StoredDocumentTests
{
    private static readonly string Charge = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "charge.v1.rich.json")).TrimEnd('\n');

    private static byte[] WithLeading(string versionProperty) => Encoding.UTF8.GetBytes("{" + versionProperty + "," + Charge[1..]);

    [Fact]
    public void Write_Version1_RecordsNoVersion()
    {
        var written = Encoding.UTF8.GetString(StoredDocuments.Charge.Write(GoldenRecordsV1.RichCharge));

        Assert.Equal(1, StoredDocuments.Charge.DocumentVersion);
        Assert.StartsWith("{\"chargeId\":", written, StringComparison.Ordinal);
        Assert.DoesNotContain("documentVersion", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LeadingDocumentVersion1_ReadsAsVersion1()
    {
        var loaded = StoredDocuments.Charge.Read(WithLeading("\"documentVersion\":1"));

        Fields.AssertEqual(GoldenRecordsV1.RichCharge, loaded);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    public void Read_DocumentOfANewerVersion_IsRefusedNamingItsVersion(int version)
    {
        var error = Assert.Throws<InvalidDataException>(() => StoredDocuments.Charge.Read(WithLeading($"\"documentVersion\":{version}")));

        Assert.Equal($"A stored Charge document is of version {version}; this version of Tillpoint reads version 1.", error.Message);
    }

    [Theory]
    [InlineData("\"documentVersion\":0")]
    [InlineData("\"documentVersion\":-1")]
    [InlineData("\"documentVersion\":1.5")]
    [InlineData("\"documentVersion\":\"2\"")]
    [InlineData("\"documentVersion\":null")]
    [InlineData("\"documentVersion\":4294967297")]
    public void Read_DocumentVersionNotAPositiveWholeNumber_IsRefused(string versionProperty)
    {
        var error = Assert.Throws<InvalidDataException>(() => StoredDocuments.Charge.Read(WithLeading(versionProperty)));

        Assert.Equal("A stored document's documentVersion is not a positive whole number.", error.Message);
    }

    [Fact]
    public void Read_DocumentVersionAfterTheFirstProperty_IsNotAVersion()
    {
        // Only the first property records a version; the same name further on is an unknown field, skipped as any other.
        var document = Encoding.UTF8.GetBytes(Charge[..^1] + ",\"documentVersion\":2}");

        Fields.AssertEqual(GoldenRecordsV1.RichCharge, StoredDocuments.Charge.Read(document));
    }

    [Theory]
    [InlineData("chargeId")]
    [InlineData("chargePermissionId")]
    [InlineData("merchantId")]
    [InlineData("environment")]
    [InlineData("chargeAmount")]
    [InlineData("refundedAmount")]
    [InlineData("lastUpdatedTimestamp")]
    [InlineData("creationTimestamp")]
    [InlineData("expirationTimestamp")]
    public void Read_ChargeWithoutARequiredProperty_IsRefusedNamingIt(string property)
    {
        var document = JsonNode.Parse(Charge)!.AsObject();
        Assert.True(document.Remove(property));

        var error = Assert.Throws<JsonException>(() => StoredDocuments.Charge.Read(Encoding.UTF8.GetBytes(document.ToJsonString())));

        Assert.Contains($"'{property}'", error.Message, StringComparison.Ordinal);
    }
}
