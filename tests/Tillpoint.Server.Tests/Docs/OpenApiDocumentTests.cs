using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Server.Api;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Docs;

/// <summary>
/// The checked-in API reference (docs/openapi.json) is what the server generates, and it documents exactly the
/// merchant API routes that are mapped. After changing the API, regenerate it with
/// <c>TILLPOINT_UPDATE_OPENAPI=1 dotnet test tests/Tillpoint.Server.Tests --filter FullyQualifiedName~OpenApiDocumentTests</c>.
/// </summary>
public sealed class OpenApiDocumentTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string UpdateVariable = "TILLPOINT_UPDATE_OPENAPI";
    private const string Regenerate =
        $"regenerate it with `{UpdateVariable}=1 dotnet test tests/Tillpoint.Server.Tests --filter FullyQualifiedName~OpenApiDocumentTests` and commit docs/openapi.json";

    private static readonly string[] Prefixes = ["/sandbox/v2", "/live/v2", "/v2"];

    [Fact]
    public async Task Document_IsTheCheckedInFile()
    {
        var served = await FetchAsync();
        var path = Path.Combine(TestRepository.Root, "docs", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), $"docs/openapi.json is missing; {Regenerate}.");
        var checkedIn = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(
            checkedIn == served,
            $"docs/openapi.json differs from what the server generates (first difference at character {FirstDifference(checkedIn, served)}); {Regenerate}.");
    }

    [Fact]
    public async Task Document_IsTheSameOnEveryRequest()
    {
        Assert.Equal(await FetchAsync(), await FetchAsync());
    }

    [Fact]
    public async Task Document_DescribesExactlyTheMappedMerchantRoutes()
    {
        var operations = Operations(JsonDocument.Parse(await FetchAsync()).RootElement).Select(o => (o.Method, o.Path)).ToHashSet();
        var mapped = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ApiOperation>() is not null)
            .SelectMany(endpoint => endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods
                .Select(method => (Method: method.ToLowerInvariant(), Path: endpoint.RoutePattern.RawText!)))
            .ToList();

        var sandbox = mapped.Where(route => route.Path.StartsWith("/sandbox/v2/", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEmpty(sandbox);
        Assert.Empty(operations.Except(sandbox).Select(o => $"documented but not mapped: {o.Method} {o.Path}"));
        Assert.Empty(sandbox.Except(operations).Select(o => $"mapped but not documented: {o.Method} {o.Path}"));
        // The other prefixes serve the same operations, as the document's description says.
        var relative = sandbox.Select(route => (route.Method, Path: route.Path["/sandbox/v2".Length..])).ToHashSet();
        foreach (var prefix in Prefixes)
        {
            var under = mapped.Where(route => route.Path.StartsWith(prefix + "/", StringComparison.Ordinal))
                .Select(route => (route.Method, Path: route.Path[prefix.Length..])).ToHashSet();
            Assert.True(relative.SetEquals(under), $"{prefix} does not map the same operations as /sandbox/v2.");
        }
    }

    [Fact]
    public async Task Document_EveryOperationHasASummaryAnErrorResponseAndTheSignature()
    {
        var document = JsonDocument.Parse(await FetchAsync()).RootElement;
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Contains("AMZN-PAY-RSASSA-PSS-V2", schemes.GetProperty("AmazonPaySignature").GetProperty("description").GetString(), StringComparison.Ordinal);

        foreach (var (method, path, operation) in Operations(document))
        {
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{name} has no summary.");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{name} has no operationId.");
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
            Assert.True(errors.Count > 0, $"{name} documents no error response.");
            Assert.All(errors, error => Assert.Equal(
                "#/components/schemas/ErrorResponse",
                error.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()));
            Assert.True(
                operation.TryGetProperty("security", out var security)
                    && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("AmazonPaySignature", out _)),
                $"{name} does not require the signature.");
            var headers = operation.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("x-amz-pay-date", headers);
            Assert.Contains("x-amz-pay-host", headers);
            Assert.Contains("x-amz-pay-region", headers);
        }
    }

    [Fact]
    public async Task Document_EveryOperationHasARequestExampleAndAnExampleOfEveryResponse()
    {
        var document = JsonDocument.Parse(await FetchAsync()).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        foreach (var (method, path, operation) in Operations(document))
        {
            var name = $"{method} {path}";
            if (operation.TryGetProperty("requestBody", out var requestBody))
            {
                var request = requestBody.GetProperty("content").GetProperty("application/json");
                Assert.True(
                    request.TryGetProperty("example", out var example) && example.ValueKind == JsonValueKind.Object && example.EnumerateObject().Any(),
                    $"{name} has no request example.");
                AssertExampleFitsSchema(name + " request", example, request.GetProperty("schema"), schemas);
            }

            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                if (response.Name == "204")
                {
                    // No Content: nothing to give an example of.
                    Assert.False(response.Value.TryGetProperty("content", out _), $"{name} describes a body for 204.");
                    continue;
                }

                var content = response.Value.GetProperty("content").GetProperty("application/json");
                // An answer with nothing to say ({}, Cancel Report Schedule) needs no example; every other has a filled one.
                if (!Component(content.GetProperty("schema"), schemas).TryGetProperty("properties", out _))
                {
                    continue;
                }

                Assert.True(
                    content.TryGetProperty("example", out var example) && example.ValueKind == JsonValueKind.Object && example.EnumerateObject().Any(),
                    $"{name} has no example of its {response.Name} response.");
                AssertExampleFitsSchema($"{name} {response.Name}", example, content.GetProperty("schema"), schemas);
            }
        }
    }

    [Fact]
    public async Task Docs_HidesTheVendorBarTheClientButtonAndTheTestRequestButton()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.HttpBase };
        var html = await http.GetStringAsync("/docs/");

        // The viewer reads its configuration from the page: the developer-tools bar ("Share", "Generate SDK", "Deploy")
        // never shows, and neither do the buttons that open Scalar's client or send an unsigned request.
        Assert.Contains("\"showDeveloperTools\":\"never\"", html, StringComparison.Ordinal);
        Assert.Contains("\"hideClientButton\":true", html, StringComparison.Ordinal);
        Assert.Contains("\"hideTestRequestButton\":true", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_ServesTheViewerAndEveryScriptItLoadsFromThisServer()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.HttpBase };

        using var page = await http.GetAsync("/docs/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]* src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.DoesNotContain("://", script, StringComparison.Ordinal);
            using var response = await http.GetAsync(new Uri(new Uri(http.BaseAddress!, "/docs/"), script));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/docs/{script} answered {(int)response.StatusCode}.");
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, $"/docs/{script} is empty.");
        }
    }

    private async Task<string> FetchAsync()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.HttpBase };
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(member => member.Name is "get" or "post" or "patch" or "put" or "delete")
                .Select(member => (member.Name, path.Name, member.Value)));

    /// <summary>Every key of an example object is a property of its schema (a component the schema refers to).</summary>
    private static void AssertExampleFitsSchema(string name, JsonElement example, JsonElement schema, JsonElement schemas)
    {
        var properties = Component(schema, schemas).GetProperty("properties");
        foreach (var member in example.EnumerateObject())
        {
            Assert.True(
                properties.TryGetProperty(member.Name, out _),
                $"The example of {name} has '{member.Name}', which {schema.GetProperty("$ref").GetString()} does not define.");
        }
    }

    /// <summary>The component schema a <c>$ref</c> names.</summary>
    private static JsonElement Component(JsonElement schema, JsonElement schemas) =>
        schemas.GetProperty(schema.GetProperty("$ref").GetString()!["#/components/schemas/".Length..]);

    private static int FirstDifference(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return length;
    }
}
