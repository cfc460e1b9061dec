using System.Text.RegularExpressions;
using Tillpoint.Server.Api;

namespace Tillpoint.Server.Tests.Docs;

/// <summary>
/// The summary table of docs/operations.md lists every operation the server maps, with the success statuses and the
/// idempotency-key rule its declaration drives, so the page a merchant reads cannot fall behind the server.
/// </summary>
public sealed partial class OperationsSummaryTests
{
    [Fact]
    public void SummaryTable_ListsEveryOperationWithItsStatusesAndIdempotencyRule()
    {
        var rows = SummaryRows();
        var problems = new List<string>();
        foreach (var operation in new ApiOperations().All)
        {
            var route = $"{operation.Method} {Normalize("/" + operation.Template)}";
            if (!rows.TryGetValue(route, out var row))
            {
                problems.Add($"{operation.Name}: no row for `{route}`");
                continue;
            }

            foreach (var status in operation.SuccessStatuses.Where(status => !row.Success.Contains(status.ToString(), StringComparison.Ordinal)))
            {
                problems.Add($"{operation.Name}: success {status} not in '{row.Success}'");
            }

            var rule = operation.IdempotencyKey switch
            {
                IdempotencyKeyUse.Required => "required",
                IdempotencyKeyUse.Optional => "optional",
                _ => "–",
            };
            if (!row.IdempotencyKey.StartsWith(rule, StringComparison.Ordinal))
            {
                problems.Add($"{operation.Name}: idempotency key '{row.IdempotencyKey}', declared {operation.IdempotencyKey}");
            }

            if (operation.AcceptsSimulation != (row.Simulation == "yes"))
            {
                problems.Add($"{operation.Name}: simulation codes '{row.Simulation}', declared {operation.AcceptsSimulation}");
            }
        }

        Assert.True(problems.Count == 0, "docs/operations.md, table 'Summary':\n" + string.Join('\n', problems));
    }

    /// <summary>The Summary table's rows by "METHOD /path" (path parameters and the query left out).</summary>
    private static Dictionary<string, (string Success, string IdempotencyKey, string Simulation)> SummaryRows()
    {
        var text = File.ReadAllText(Path.Combine(TestRepository.Root, "docs", "operations.md"));
        var start = text.IndexOf("\n## Summary\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md has no '## Summary' section");
        var rows = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        foreach (var line in text[start..].Split('\n').Skip(2).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
            if (cells.Length == 5 && RouteCell().Match(cells[1]) is { Success: true } route)
            {
                rows[$"{route.Groups["method"].Value} {Normalize(route.Groups["path"].Value)}"] = (cells[2], cells[3], cells[4]);
            }
        }

        return rows;
    }

    private static string Normalize(string path) => Parameter().Replace(path.TrimEnd('/'), "{}");

    [GeneratedRegex(@"^`(?<method>GET|POST|PATCH|PUT|DELETE) (?<path>/[^`?]*)(\?[^`]*)?`")]
    private static partial Regex RouteCell();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
