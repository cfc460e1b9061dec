namespace Tillpoint.Testing.Tests;

/// <summary>The fixture on PostgreSQL: each server in a schema of its own in the database given.</summary>
public sealed class PostgresStoreTests
{
    private const string TillpointSchemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'tillpoint\\_%'";

    [SkippableFact]
    public async Task TwoServersOnOneDatabase_ShareNothing_AndLeaveNoSchemaBehind()
    {
        using var database = TestPostgres.CreateDatabase();
        var options = new TillpointTestServerOptions { PostgresConnectionString = database.ConnectionString };
        var one = await TillpointTestServer.StartAsync(options);
        var two = await TillpointTestServer.StartAsync(options);
        try
        {
            var session = (await one.Client.CreateCheckoutSessionAsync(TillpointTestServerTests.NewCheckout(one.Merchant))).Value;
            var twoBefore = await two.Clock.NowAsync();
            await one.Clock.AdvanceAsync(TimeSpan.FromDays(2));

            Assert.Equal(2, TestDatabase.Scalar(database.ConnectionString, TillpointSchemas));
            Assert.Equal("Canceled", (await one.Client.GetCheckoutSessionAsync(session.CheckoutSessionId!)).Value.StatusDetails?.State);
            Assert.InRange(await two.Clock.NowAsync() - twoBefore, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        }
        finally
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
        }

        Assert.Equal(0, TestDatabase.Scalar(database.ConnectionString, TillpointSchemas));
    }
}
