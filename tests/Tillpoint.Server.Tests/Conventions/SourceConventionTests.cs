using System.Text.RegularExpressions;

namespace Tillpoint.Server.Tests.Conventions;

/// <summary>
/// Rules of the code base that the compiler cannot enforce. (The ambient clock and the tick count are refused by the
/// compiler itself: BannedSymbols.txt.)
/// </summary>
public sealed partial class SourceConventionTests
{
    // The samples are code merchants copy: they keep the same rules.
    private static readonly string[] CheckedFolders = ["src", "samples"];

    [Fact]
    public void Src_HoldsNoMoneyInBinaryFloatingPoint()
    {
        var offenders = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => FloatingMoney().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(TestRepository.Root, l.file)}:{l.number}")
            .ToList();

        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles()
    {
        var files = CheckedFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(TestRepository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        return files;
    }

    [GeneratedRegex(@"\b(double|float)\b[^;]*(amount|price|money|total)", RegexOptions.IgnoreCase)]
    private static partial Regex FloatingMoney();
}
