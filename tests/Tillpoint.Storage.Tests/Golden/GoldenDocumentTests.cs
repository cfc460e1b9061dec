using System.Text;
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
            StoredDocuments.CheckoutSession.Read,
            StoredDocuments.CheckoutSession.Write,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichCheckoutSession,
                (1, "minimal") => GoldenRecordsV1.MinimalCheckoutSession,
                _ => null,
            }),
        GoldenType.Of(
            "charge-permission",
            StoredDocuments.ChargePermission.Read,
            StoredDocuments.ChargePermission.Write,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichChargePermission,
                (1, "minimal") => GoldenRecordsV1.MinimalChargePermission,
                _ => null,
            }),
        GoldenType.Of(
            "charge",
            StoredDocuments.Charge.Read,
            StoredDocuments.Charge.Write,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichCharge,
                (1, "minimal") => GoldenRecordsV1.MinimalCharge,
                _ => null,
            }),
        GoldenType.Of(
            "refund",
            StoredDocuments.Refund.Read,
            StoredDocuments.Refund.Write,
            (version, variant) => (version, variant) switch
            {
                (1, "rich") => GoldenRecordsV1.RichRefund,
                (1, "minimal") => GoldenRecordsV1.MinimalRefund,
                _ => null,
            }),
    ];

    /// <summary>The version today's code writes; its goldens must be what it writes, byte for byte.</summary>
    private const int CurrentVersion = 1;

    public static TheoryData<string> Documents()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.json").Where(p => DocumentName().IsMatch(Path.GetFileName(p))).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Golden_LoadsIntoTheRecordItWasWrittenFrom(string file)
    {
        var (type, expected) = Describe(file);

        var loaded = type.Read(File.ReadAllBytes(Path.Combine(Folder, file)));

        Fields.AssertEqual(expected, loaded);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Golden_WrittenAgain_LoadsEqual(string file)
    {
        var (type, expected) = Describe(file);
        var golden = File.ReadAllBytes(Path.Combine(Folder, file));

        var written = type.Write(type.Read(golden));

        Fields.AssertEqual(expected, type.Read(written));
        if (file.Contains($".v{CurrentVersion}.", StringComparison.Ordinal))
        {
            // A golden file is the stored document plus the final newline every checked-in text file has.
            Assert.Equal(Encoding.UTF8.GetString(golden).TrimEnd('\n'), Encoding.UTF8.GetString(written));
        }
    }

    [Fact]
    public void EveryStoredType_HasARichAndAMinimalGoldenAtTheCurrentVersion()
    {
        foreach (var type in Types)
        {
            foreach (var variant in new[] { "rich", "minimal" })
            {
                var file = $"{type.Name}.v{CurrentVersion}.{variant}.json";
                var expected = type.Expected(CurrentVersion, variant);
                Assert.True(expected is not null, $"No record describes {file}: add one beside {nameof(GoldenRecordsV1)}.");
                Assert.True(
                    File.Exists(Path.Combine(Folder, file)),
                    $"Golden/{file} is missing. Today's code writes it as:\n{Encoding.UTF8.GetString(type.Write(expected))}");
            }
        }
    }

    [Fact]
    public void RichGoldensOfTheCurrentVersion_SetEveryStoredField()
    {
        foreach (var type in Types)
        {
            Fields.AssertEveryFieldSet(type.Expected(CurrentVersion, "rich")!);
        }
    }

    [Fact]
    public void GoldenFolder_HoldsOnlyDocumentsAndTheEnumNames()
    {
        var names = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).ToList();

        Assert.All(names, name => Assert.True(name == StoredEnumNameTests.File || DocumentName().IsMatch(name!), $"Golden/{name} is not named type.vN.variant.json"));
        Assert.Equal(Types.Length * 2, names.Count(name => name!.Contains($".v{CurrentVersion}.", StringComparison.Ordinal)));
    }

    private static (GoldenType Type, object Expected) Describe(string file)
    {
        var match = DocumentName().Match(file);
        Assert.True(match.Success, $"Golden/{file} is not named type.vN.variant.json");
        var type = Types.SingleOrDefault(t => t.Name == match.Groups["type"].Value);
        Assert.True(type is not null, $"Golden/{file} is of no stored type");
        var expected = type.Expected(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["variant"].Value);
        Assert.True(expected is not null, $"No record describes Golden/{file}");
        return (type, expected);
    }

    [GeneratedRegex(@"^(?<type>[a-z-]+)\.v(?<version>[0-9]+)\.(?<variant>[a-z]+)\.json$")]
    private static partial Regex DocumentName();

    /// <summary>How one stored type is read and written, and which record each of its golden files holds.</summary>
    private sealed record GoldenType(string Name, Func<byte[], object> Read, Func<object, byte[]> Write, Func<int, string, object?> Expected)
    {
        public static GoldenType Of<T>(string name, Func<byte[], T> read, Func<T, byte[]> write, Func<int, string, T?> expected)
            where T : class => new(name, bytes => read(bytes), record => write((T)record), expected);
    }
}
