using Microsoft.Data.Sqlite;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Regions;
using Tillpoint.Storage.Sqlite;
using Tillpoint.Storage.Tests.Golden;

namespace Tillpoint.Storage.Tests;

/// <summary>Databases written by an older Tillpoint, opened by this one.</summary>
public sealed class MigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Creates the database at schema version 1 and fills it through the version 1 columns only.</summary>
    private void CreateVersion1Database(Action<SqliteConnection> fill)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.Options.DatabasePath};Mode=ReadWriteCreate;Pooling=False");
        connection.Open();
        SqliteSchema.Migrate(connection, targetVersion: 1);
        fill(connection);
    }

    private static void Insert(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static void InsertSession(SqliteConnection connection, CheckoutSession session, byte[]? document = null) => Insert(
        connection,
        "INSERT INTO checkout_sessions (merchant_id, checkout_session_id, environment, version, state, created_at, document) VALUES ($m, $id, $env, 1, $state, $at, $doc)",
        ("$m", session.MerchantId), ("$id", session.CheckoutSessionId), ("$env", session.Environment.ToString()), ("$state", session.State.ToString()),
        ("$at", session.CreationTimestamp.ToUnixTimeMilliseconds()),
        ("$doc", document ?? StoredDocuments.CheckoutSession.Write(session with { Version = 1 })));

    private static void InsertPermission(SqliteConnection connection, ChargePermission permission, byte[]? document = null) => Insert(
        connection,
        "INSERT INTO charge_permissions (merchant_id, charge_permission_id, environment, version, state, created_at, document) VALUES ($m, $id, $env, 1, $state, $at, $doc)",
        ("$m", permission.MerchantId), ("$id", permission.ChargePermissionId), ("$env", permission.Environment.ToString()), ("$state", permission.State.ToString()),
        ("$at", permission.CreationTimestamp.ToUnixTimeMilliseconds()),
        ("$doc", document ?? StoredDocuments.ChargePermission.Write(permission with { Version = 1 })));

    private static void InsertCharge(SqliteConnection connection, Charge charge, byte[]? document = null) => Insert(
        connection,
        "INSERT INTO charges (merchant_id, charge_id, charge_permission_id, environment, version, state, created_at, document) VALUES ($m, $id, $p, $env, 1, $state, $at, $doc)",
        ("$m", charge.MerchantId), ("$id", charge.ChargeId), ("$p", charge.ChargePermissionId), ("$env", charge.Environment.ToString()),
        ("$state", charge.State.ToString()), ("$at", charge.CreationTimestamp.ToUnixTimeMilliseconds()),
        ("$doc", document ?? StoredDocuments.Charge.Write(charge with { Version = 1 })));

    [Fact]
    public void Open_Version1Database_MigratesToTheLatestVersion()
    {
        CreateVersion1Database(_ => { });

        using (_dir.Open())
        {
        }

        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT max(version) FROM schema_migrations"));
        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1, _dir.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'refunds'"));
        Assert.Equal(1, _dir.Scalar("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'detail'"));
    }

    [Fact]
    public void Open_Version1Database_MakesEveryMerchantMadeBeforeRegionsNA()
    {
        CreateVersion1Database(connection => Insert(
            connection,
            "INSERT INTO merchants (merchant_id, store_id, name, created_at) VALUES ('M1', 'store-1', 'Shop', 0)"));

        using var store = _dir.Open();

        Assert.Equal(Region.NA, store.Read(r => r.GetMerchant("M1"))?.Region);
    }

    [Fact]
    public void Open_Version1Database_MakesEveryRowThatMayHaveAChangeAheadDueAtItsCreation()
    {
        var minute = 0;
        DateTimeOffset Next() => Times.T0.AddMinutes(++minute);
        CreateVersion1Database(connection =>
        {
            InsertSession(connection, Objects.Session("cs-open") with { CreationTimestamp = Next() });
            InsertSession(connection, Objects.Session("cs-completed") with { State = CheckoutSessionState.Completed, CreationTimestamp = Next() });
            InsertSession(connection, Objects.Session("cs-canceled") with { State = CheckoutSessionState.Canceled, CreationTimestamp = Next() });
            InsertPermission(connection, Objects.Permission("P-chargeable") with { CreationTimestamp = Next() });
            InsertPermission(connection, Objects.Permission("P-nonchargeable") with { State = ChargePermissionState.NonChargeable, CreationTimestamp = Next() });
            InsertPermission(connection, Objects.Permission("P-closed") with { State = ChargePermissionState.Closed, CreationTimestamp = Next() });
            foreach (var state in Enum.GetValues<ChargeState>())
            {
                InsertCharge(connection, Objects.Charge($"C-{state}", "P-chargeable", createdAt: Next()) with { State = state });
            }
        });

        using var store = _dir.Open();
        var due = store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddDays(1), 100));

        Assert.Equal(
            ["cs-open", "P-chargeable", "P-nonchargeable", "C-AuthorizationInitiated", "C-Authorized", "C-CaptureInitiated"],
            due.Select(d => d.ObjectId));
        Assert.All(due, d => Assert.Equal(d.DueAt.ToUnixTimeMilliseconds(), _dir.Scalar(CreatedAtOf(d))));
        Assert.Equal(6, _dir.Scalar(
            "SELECT (SELECT count(*) FROM checkout_sessions WHERE due_at IS NULL) + (SELECT count(*) FROM charge_permissions WHERE due_at IS NULL) + (SELECT count(*) FROM charges WHERE due_at IS NULL)"));
    }

    [Fact]
    public async Task Open_Version1Database_SweptRowGetsItsExactDueTimeWhenSavedAgain()
    {
        CreateVersion1Database(connection => InsertCharge(connection, Objects.Charge("C1", "P1")));
        using var store = _dir.Open();
        var item = Assert.Single(store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0, 10)));

        await store.WriteAsync(w => w.Save(w.GetCharge(item.MerchantId, item.ObjectId)!));

        Assert.Empty(store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddDays(29), 10)));
        var later = Assert.Single(store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddDays(30), 10)));
        Assert.Equal(new DueItem(ObjectType.Charge, Objects.MerchantA, "C1", "P1", Times.T0.AddDays(30)), later);
    }

    [Fact]
    public void Open_Version1Database_KeepsItsEventsWithoutDetail()
    {
        CreateVersion1Database(connection => Insert(
            connection,
            """
            INSERT INTO events (merchant_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, occurred_at)
            VALUES ('MERCHANT-A', 'Sandbox', 'Charge', 'C1', 'P1', NULL, 'Authorized', 0)
            """));

        using var store = _dir.Open();
        var stored = Assert.Single(store.Read(r => r.GetEvents(Objects.MerchantA, "C1")));

        Assert.Equal("Authorized", stored.Event.ToState);
        Assert.Null(stored.Event.Detail);
    }

    [Fact]
    public void Open_Version1DatabaseOfGoldenDocuments_ReadsEveryRowAsItWasWritten()
    {
        static byte[] Golden(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", file));
        CreateVersion1Database(connection =>
        {
            InsertSession(connection, GoldenRecordsV1.RichCheckoutSession, Golden("checkout-session.v1.rich.json"));
            InsertSession(connection, GoldenRecordsV1.MinimalCheckoutSession, Golden("checkout-session.v1.minimal.json"));
            InsertPermission(connection, GoldenRecordsV1.RichChargePermission, Golden("charge-permission.v1.rich.json"));
            InsertPermission(connection, GoldenRecordsV1.MinimalChargePermission, Golden("charge-permission.v1.minimal.json"));
            InsertCharge(connection, GoldenRecordsV1.RichCharge, Golden("charge.v1.rich.json"));
            InsertCharge(connection, GoldenRecordsV1.MinimalCharge, Golden("charge.v1.minimal.json"));
        });

        using var store = _dir.Open();

        foreach (var expected in new[] { GoldenRecordsV1.RichCheckoutSession, GoldenRecordsV1.MinimalCheckoutSession })
        {
            Fields.AssertEqual(expected, store.Read(r => r.GetCheckoutSession(expected.MerchantId, expected.CheckoutSessionId)));
        }

        foreach (var expected in new[] { GoldenRecordsV1.RichChargePermission, GoldenRecordsV1.MinimalChargePermission })
        {
            Fields.AssertEqual(expected, store.Read(r => r.GetChargePermission(expected.MerchantId, expected.ChargePermissionId)));
        }

        foreach (var expected in new[] { GoldenRecordsV1.RichCharge, GoldenRecordsV1.MinimalCharge })
        {
            Fields.AssertEqual(expected, store.Read(r => r.GetCharge(expected.MerchantId, expected.ChargeId)));
        }
    }

    private static string CreatedAtOf(DueItem item) => item.ObjectType switch
    {
        ObjectType.CheckoutSession => $"SELECT created_at FROM checkout_sessions WHERE checkout_session_id = '{item.ObjectId}'",
        ObjectType.ChargePermission => $"SELECT created_at FROM charge_permissions WHERE charge_permission_id = '{item.ObjectId}'",
        ObjectType.Charge => $"SELECT created_at FROM charges WHERE charge_id = '{item.ObjectId}'",
        ObjectType.Refund => $"SELECT created_at FROM refunds WHERE refund_id = '{item.ObjectId}'",
        ObjectType.Dispute => $"SELECT created_at FROM disputes WHERE dispute_id = '{item.ObjectId}'",
    };
}
