using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Server.Api;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// The operation table drives what the server does, not only what the API reference says: each host has its own, and
/// an operation's declared idempotency rule is the rule its requests meet.
/// </summary>
public sealed class ApiOperationsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task TwoHostsInOneProcess_EachMapsOnlyItsOwnOperations()
    {
        await using var other = await TillpointHost.StartAsync();

        var first = Host.Services.GetRequiredService<ApiOperations>().All;
        var second = other.Services.GetRequiredService<ApiOperations>().All;

        Assert.NotSame(first, second);
        Assert.Equal(first.Select(o => o.Name), second.Select(o => o.Name));
        // Every operation under each of the three prefixes, and nothing the other host described.
        Assert.Equal(first.Count * 3, MappedOperations(Host).Count);
        Assert.All(MappedOperations(Host), operation => Assert.Contains(operation, first));
        Assert.All(MappedOperations(other), operation => Assert.Contains(operation, second));
        Assert.DoesNotContain(MappedOperations(other), operation => first.Any(o => ReferenceEquals(o, operation)));
    }

    [Fact]
    public async Task EveryOperationThatRequiresAnIdempotencyKey_RefusesARequestWithoutOne()
    {
        var required = Host.Services.GetRequiredService<ApiOperations>().All.Where(o => o.IdempotencyKey == IdempotencyKeyUse.Required).ToList();
        Assert.NotEmpty(required);

        var merchant = await MerchantWithEveryRoleAsync();
        foreach (var operation in required)
        {
            var (status, body, _) = await RawRequests.SendAsync(
                Host, merchant, merchant.SandboxKeyId, new HttpMethod(operation.Method), "/v2/" + WithIds(operation.Template), "{}"u8.ToArray());

            Assert.True(status == 400, $"{operation.Name} without a key answered {status}: {body}");
            Assert.Equal("MissingHeader", JsonDocument.Parse(body).RootElement.GetProperty("reasonCode").GetString());
        }
    }

    [Fact]
    public async Task EveryOperationThatReadsNoIdempotencyKey_IgnoresOne()
    {
        var none = Host.Services.GetRequiredService<ApiOperations>().All.Where(o => o.IdempotencyKey == IdempotencyKeyUse.None).ToList();
        Assert.NotEmpty(none);
        var merchant = await MerchantWithEveryRoleAsync();

        foreach (var operation in none)
        {
            // A key no operation could accept: an operation that read it would refuse it before anything else, so the answer
            // with it is the answer without it (a 404 for these ids, or the operation's own refusal of what else is missing).
            var path = "/v2/" + WithIds(operation.Template);
            var body = operation.Method == "GET" ? null : "{}"u8.ToArray();
            var with = await RawRequests.SendAsync(
                Host, merchant, merchant.SandboxKeyId, new HttpMethod(operation.Method), path, body,
                new Dictionary<string, string> { ["x-amz-pay-idempotency-key"] = "has spaces in it" });
            var without = await RawRequests.SendAsync(Host, merchant, merchant.SandboxKeyId, new HttpMethod(operation.Method), path, body);

            // An operation on one object finds none (or refuses what else is missing), as it does without the key; a list
            // answers whatever its filters say. Neither says a word on the key.
            Assert.True(
                operation.Template.Contains('{', StringComparison.Ordinal)
                    ? with.StatusCode is 404 or 400 && with.Body == without.Body
                    : with.StatusCode is 200 or 400,
                $"{operation.Name} with an unreadable key answered {with.StatusCode}: {with.Body}");
            Assert.Equal(without.StatusCode, with.StatusCode);
            Assert.DoesNotContain("idempotency", with.Body, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A merchant with every role, so that operations needing one get past the role check to where a key is read.</summary>
    private async Task<TestMerchant> MerchantWithEveryRoleAsync()
    {
        var merchant = await Host.CreateMerchantAsync();
        await Host.GrantAsync(merchant, "psp");
        await Host.GrantAsync(merchant, "solution-provider");
        return merchant;
    }

    private static List<ApiOperation> MappedOperations(TillpointHost host) =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<ApiOperation>())
            .OfType<ApiOperation>()];

    /// <summary>The template with ids no merchant has: the checks under test come before any lookup.</summary>
    private static string WithIds(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template, "{[^}]+}", "S01-0000000-0000000");
}
