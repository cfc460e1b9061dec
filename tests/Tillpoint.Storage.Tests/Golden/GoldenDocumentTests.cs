using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// Documents written by earlier versions of Tillpoint, checked in under <c>Golden/</c>, must still load into the records
/// they were written from: a renamed domain or storage property fails here instead of losing stored data.
/// </summary>
public sealed partial class GoldenDocumentTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Golden");

    private static readonly GoldenType[] Types =
    [
        GoldenType.Of(
            "checkout-session",
            StoredDocuments.CheckoutSession,
            RichRecords.CheckoutSession,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichCheckoutSession,
                (1, "minimal") => GoldenRecordsV1.MinimalCheckoutSession,
                (2, "rich") => GoldenRecordsV2.RichCheckoutSession,
                (2, "minimal") => GoldenRecordsV2.MinimalCheckoutSession,
                (3, "rich") => GoldenRecordsV3.RichCheckoutSession,
                (3, "minimal") => GoldenRecordsV3.MinimalCheckoutSession,
                _ => null,
            }),
        GoldenType.Of(
            "charge-permission",
            StoredDocuments.ChargePermission,
            RichRecords.ChargePermission,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichChargePermission,
                (1, "minimal") => GoldenRecordsV1.MinimalChargePermission,
                (2, "rich") => GoldenRecordsV2.RichChargePermission,
                (2, "minimal") => GoldenRecordsV2.MinimalChargePermission,
                _ => null,
            }),
        GoldenType.Of(
            "charge",
            StoredDocuments.Charge,
            RichRecords.Charge,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichCharge,
                (1, "minimal") => GoldenRecordsV1.MinimalCharge,
                _ => null,
            }),
        GoldenType.Of(
            "refund",
            StoredDocuments.Refund,
            RichRecords.Refund,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichRefund,
                (1, "minimal") => GoldenRecordsV1.MinimalRefund,
                _ => null,
            }),
    ];

    private static readonly string[] Variants = ["rich", "minimal"];

    public static TheoryData<string> Documents()
    {
        var files = new TheoryData<string>();
        foreach (var name in Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Where(n => DocumentName().IsMatch(n!)).Order(StringComparer.Ordinal))
        {
            files.Add(name!);
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Golden_LoadsIntoTheRecordItWasWrittenFrom(string file)
    {
        var golden = Describe(file);

        var loaded = golden.Type.Read(File.ReadAllBytes(Path.Combine(Folder, file)));

        Fields.AssertEqual(golden.Expected, loaded);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Golden_WrittenAgain_LoadsEqual(string file)
    {
        var golden = Describe(file);

        var written = golden.Type.Write(golden.Type.Read(File.ReadAllBytes(Path.Combine(Folder, file))));

        Fields.AssertEqual(golden.Expected, golden.Type.Read(written));
    }

    /// <summary>
    /// Today's writer keeps every property of a document of its own version, with the same value written the same way
    /// (a decimal's scale, a time's precision): a field may be added, none renamed, dropped or reformatted without a new
    /// version. So a document written now still reads as what it is in the Tillpoint that wrote the golden.
    /// </summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void GoldenOfTheCurrentVersion_WrittenAgain_KeepsEveryPropertyAndValue(string file)
    {
        var golden = Describe(file);
        if (golden.Version != golden.Type.DocumentVersion)
        {
            Assert.True(golden.Version < golden.Type.DocumentVersion, $"Golden/{file} is of a version today's code does not write yet");
            return;
        }

        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        var written = golden.Type.Write(golden.Type.Read(bytes));

        using var before = JsonDocument.Parse(bytes);
        using var after = JsonDocument.Parse(written);
        AssertKept(before.RootElement, after.RootElement, "$");
    }

    [Fact]
    public void EveryStoredType_HasARichAndAMinimalGoldenAtTheVersionItWrites()
    {
        foreach (var type in Types)
        {
            foreach (var variant in Variants)
            {
                var file = $"{type.Name}.v{type.DocumentVersion}.{variant}.json";
                var expected = type.Expected(type.DocumentVersion, variant);
                Assert.True(expected is not null, $"No record describes Golden/{file}: add a GoldenRecordsV{type.DocumentVersion}.");
                Assert.True(
                    File.Exists(Path.Combine(Folder, file)),
                    $"Golden/{file} is missing. Today's code writes it as:\n{Encoding.UTF8.GetString(type.Write(expected))}");
            }
        }
    }

    [Fact]
    public void RichRecords_SetEveryField()
    {
        foreach (var type in Types)
        {
            Fields.AssertEveryFieldSet(type.Rich);
        }
    }

    [Fact]
    public void RichRecords_WrittenAndRead_KeepEveryField()
    {
        foreach (var type in Types)
        {
            Fields.AssertEqual(type.Rich, type.Read(type.Write(type.Rich)));
        }
    }

    [Fact]
    public void GoldenFolder_HoldsOnlyDocumentsAndTheEnumNames()
    {
        var names = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).ToList();

        Assert.All(names, name => Assert.True(
            name == StoredEnumNameTests.File || DocumentName().IsMatch(name!), $"Golden/{name} is not named type.vN.variant.json"));
        Assert.All(names.Where(name => name != StoredEnumNameTests.File), name => Describe(name!));
    }

    /// <summary>Every property of <paramref name="golden"/> is in <paramref name="written"/> with the same value, written alike.</summary>
    private static void AssertKept(JsonElement golden, JsonElement written, string path)
    {
        Assert.True(golden.ValueKind == written.ValueKind, $"{path}: was {golden.ValueKind}, is {written.ValueKind}");
        switch (golden.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in golden.EnumerateObject())
                {
                    Assert.True(written.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is no longer written");
                    AssertKept(property.Value, value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(golden.GetArrayLength() == written.GetArrayLength(), $"{path}: the number of items changed");
                for (var i = 0; i < golden.GetArrayLength(); i++)
                {
                    AssertKept(golden[i], written[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(golden.GetString() == written.GetString(), $"{path}: was {golden.GetString()}, is {written.GetString()}");
                break;
            default:
                Assert.True(golden.GetRawText() == written.GetRawText(), $"{path}: was {golden.GetRawText()}, is {written.GetRawText()}");
                break;
        }
    }

    private static (GoldenType Type, int Version, object Expected) Describe(string file)
    {
        var match = DocumentName().Match(file);
        Assert.True(match.Success, $"Golden/{file} is not named type.vN.variant.json");
        var type = Types.SingleOrDefault(t => t.Name == match.Groups["type"].Value);
        Assert.True(type is not null, $"Golden/{file} is of no stored type");
        var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
        var expected = type.Expected(version, match.Groups["variant"].Value);
        Assert.True(expected is not null, $"No record describes Golden/{file}");
        return (type, version, expected);
    }

    [GeneratedRegex(@"^(?<type>[a-z-]+)\.v(?<version>[0-9]+)\.(?<variant>[a-z]+)\.json$")]
    private static partial Regex DocumentName();

    /// <summary>How one stored type is read and written, and which record each of its golden files holds.</summary>
    private sealed record GoldenType(
        string Name,
        int DocumentVersion,
        Func<byte[], object> Read,
        Func<object, byte[]> Write,
        object Rich,
        Func<int, string, object?> Expected)
    {
        public static GoldenType Of<T>(string name, StoredDocument<T> document, T rich, Func<int, string, T?> expected)
            where T : class => new(name, document.DocumentVersion, document.Read, record => document.Write((T)record), rich, expected);
    }
}
