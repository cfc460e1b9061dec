using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Hosting;

public sealed class ReadinessTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Readyz_WithTheStoreAnswering_Is200Healthy()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.HttpBase };

        using var response = await http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_StaysTheLivenessCheck()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.HttpBase };

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_WhenTheStoreFails_Is503WithTheReason()
    {
        // The real check and response, in front of a store whose queries fail (as a lost database connection does).
        await using var app = await StartAsync(new StartupWork(Task.FromResult<ITillpointStore>(new FailingStore()), null));
        using var http = new HttpClient { BaseAddress = Address(app) };

        using var response = await http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var store = body.GetProperty("checks").GetProperty("store");
        Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
        Assert.Contains("connection refused", store.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_WhileTheStoreIsOpening_Is503Starting()
    {
        var opening = new TaskCompletionSource<ITillpointStore>();
        await using var app = await StartAsync(new StartupWork(opening.Task, null));
        using var http = new HttpClient { BaseAddress = Address(app) };

        using var response = await http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("Starting", body.GetProperty("checks").GetProperty("store").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(StartupWork startup)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(startup);
        builder.Services.AddHealthChecks().AddCheck<StoreReadinessCheck>("store");
        var app = builder.Build();
        StoreReadinessCheck.Map(app);
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private sealed class FailingStore : ITillpointStore
    {
        public Task<T> WriteAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken = default) =>
            throw new IOException("connection refused");

        public T Read<T>(Func<IStoreReader, T> query) => throw new IOException("connection refused");

        public void Dispose()
        {
        }
    }
}
