using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Tillpoint.Shop.Subscriptions;

/// <summary>
/// Subscriptions in a SQLite file (<c>subscriptions.db</c>) beside the orders, for the same reasons
/// (<see cref="Orders.OrderStore"/>): one JSON document per subscription, changed in one write transaction.
/// </summary>
public sealed class SubscriptionStore
{
    private const int FirstNumber = 5001;
    private readonly string _connectionString;

    public SubscriptionStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "subscriptions.db"), DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS subscriptions (
                number INTEGER PRIMARY KEY,
                checkout_session_id TEXT NOT NULL UNIQUE,
                document TEXT NOT NULL
            );
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>Stores a new subscription for a checkout session, numbered next; the session's existing one is returned as it is.</summary>
    public Subscription Add(Subscription draft)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        if (Query(connection, transaction, "WHERE checkout_session_id = $key", draft.CheckoutSessionId).FirstOrDefault() is { } existing)
        {
            return existing;
        }

        using var next = connection.CreateCommand();
        next.Transaction = transaction;
        next.CommandText = $"SELECT COALESCE(MAX(number) + 1, {FirstNumber}) FROM subscriptions";
        var added = draft with { Number = Convert.ToInt32(next.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) };
        Save(connection, transaction, added, "INSERT INTO subscriptions (number, checkout_session_id, document) VALUES ($number, $id, $document)");
        transaction.Commit();
        return added;
    }

    public Subscription? Find(int number)
    {
        using var connection = Open();
        return Query(connection, null, "WHERE number = $key", number).FirstOrDefault();
    }

    public Subscription? FindByCheckoutSession(string checkoutSessionId)
    {
        using var connection = Open();
        return Query(connection, null, "WHERE checkout_session_id = $key", checkoutSessionId).FirstOrDefault();
    }

    /// <summary>Every subscription, oldest first: few enough for a sample shop's monthly run.</summary>
    public IReadOnlyList<Subscription> All()
    {
        using var connection = Open();
        return Query(connection, null, "WHERE number >= $key ORDER BY number", 0);
    }

    /// <summary>Reads a subscription, applies <paramref name="change"/> (quick and pure) and writes it, in one transaction.</summary>
    public Subscription? Update(int number, Func<Subscription, Subscription> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        if (Query(connection, transaction, "WHERE number = $key", number).FirstOrDefault() is not { } current)
        {
            return null;
        }

        var changed = change(current) with { Number = current.Number, CheckoutSessionId = current.CheckoutSessionId };
        Save(connection, transaction, changed, "UPDATE subscriptions SET document = $document WHERE number = $number");
        transaction.Commit();
        return changed;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var durable = connection.CreateCommand();
        durable.CommandText = "PRAGMA synchronous=FULL;";
        durable.ExecuteNonQuery();
        return connection;
    }

    private static List<Subscription> Query(SqliteConnection connection, SqliteTransaction? transaction, string where, object key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT document FROM subscriptions " + where;
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        var found = new List<Subscription>();
        while (reader.Read())
        {
            found.Add(JsonSerializer.Deserialize(reader.GetString(0), SubscriptionJsonContext.Default.Subscription)!);
        }

        return found;
    }

    private static void Save(SqliteConnection connection, SqliteTransaction transaction, Subscription subscription, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$number", subscription.Number);
        command.Parameters.AddWithValue("$id", subscription.CheckoutSessionId);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(subscription, SubscriptionJsonContext.Default.Subscription));
        command.ExecuteNonQuery();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Subscription))]
internal sealed partial class SubscriptionJsonContext : JsonSerializerContext;
