using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Tillpoint.Server.Api;

namespace Tillpoint.Server.Tests.Conventions;

/// <summary>
/// The API's handlers and pipeline are the API's own: the dashboard, the hosted pages, the sweeper and the rest change
/// payments through the use cases of Commands/, never through the API. The compiler cannot say this of one assembly.
/// </summary>
public sealed class ApiBoundaryTests
{
    /// <summary>What of Api/ the rest of the server may name, and why.</summary>
    private static readonly HashSet<string> SharedOutsideApi =
    [
        // The operations' descriptions drive the OpenAPI document (Docs/).
        nameof(ApiOperation), nameof(ApiOperations), nameof(IdempotencyKeyUse),
        // The button creates a checkout session from the same request as Create Checkout Session, mapped alike.
        nameof(RequestMapper),
        // Each object's wire shape: the CLI prints an object as the API answers it, and the dashboard shows wire names.
        nameof(WireMapper),
    ];

    [Fact]
    public void NothingOutsideApi_NamesTheApisHandlersOrPipeline()
    {
        var apiTypes = typeof(ApiOperation).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ApiOperation).Namespace && !t.IsNested && !t.IsDefined(typeof(CompilerGeneratedAttribute)))
            .Select(t => t.Name.Split('`')[0])
            .Where(name => !name.Contains('<', StringComparison.Ordinal) && !SharedOutsideApi.Contains(name))
            .ToHashSet();
        Assert.Contains(nameof(ApiRequest), apiTypes);
        Assert.Contains("ChargesApi", apiTypes);
        var named = new Regex($@"\b({string.Join('|', apiTypes)})\b");

        var server = Path.Combine(TestRepository.Root, "src", "Tillpoint.Server");
        var api = Path.Combine(server, "Api") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(api, StringComparison.Ordinal) && !IsBuildOutput(file))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => named.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(server, l.file)}:{l.number}: {named.Match(l.line).Value}")
            .ToList();

        Assert.Empty(offenders);
    }

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
}
