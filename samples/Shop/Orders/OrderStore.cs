using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Tillpoint.Shop.Orders;

/// <summary>
/// Orders in a SQLite file (<c>orders.db</c>) in the shop's data folder.
/// </summary>
/// <remarks>
/// SQLite rather than a JSON file: the result page, an order-page refresh and a merchant's click can change one order
/// at the same moment, and a read-change-write of a JSON file needs a lock of its own and a careful rename to survive
/// a crash. SQLite gives both: every change runs in a <c>BEGIN IMMEDIATE</c> transaction (writers queue, none is
/// lost, even across processes), and WAL keeps readers off the writers' backs. Each order is one JSON document;
/// the columns are only what is looked up.
/// </remarks>
public sealed class OrderStore
{
    private const int FirstOrderNumber = 1001;
    private readonly string _connectionString;

    public OrderStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "orders.db"),
            // Seconds a writer waits for another's transaction before giving up.
            DefaultTimeout = 30,
        }.ToString();

        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS orders (
                number INTEGER PRIMARY KEY,
                checkout_session_id TEXT NOT NULL UNIQUE,
                document TEXT NOT NULL
            );
            """);
    }

    /// <summary>
    /// Stores a new order for a checkout session, numbered next. When the session already has an order that is
    /// still awaiting payment (the buyer placed it again, e.g. after changing the cart), that order takes the new
    /// contents and keeps its number; an order further along is returned unchanged.
    /// </summary>
    public Order Place(Order draft)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var existing = Query(connection, transaction, "SELECT document FROM orders WHERE checkout_session_id = $id", ("$id", draft.CheckoutSessionId));
        Order placed;
        if (existing is not null)
        {
            if (existing.State != OrderState.AwaitingPayment)
            {
                return existing;
            }

            placed = existing.WithContents(draft);
            Save(connection, transaction, placed, insert: false);
        }
        else
        {
            using var next = connection.CreateCommand();
            next.Transaction = transaction;
            next.CommandText = $"SELECT COALESCE(MAX(number) + 1, {FirstOrderNumber}) FROM orders";
            placed = draft with { Number = Convert.ToInt32(next.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) };
            Save(connection, transaction, placed, insert: true);
        }

        transaction.Commit();
        return placed;
    }

    public Order? Find(int number)
    {
        using var connection = Open();
        return Query(connection, null, "SELECT document FROM orders WHERE number = $number", ("$number", number));
    }

    public Order? FindByCheckoutSession(string checkoutSessionId)
    {
        using var connection = Open();
        return Query(connection, null, "SELECT document FROM orders WHERE checkout_session_id = $id", ("$id", checkoutSessionId));
    }

    /// <summary>
    /// Reads an order, applies <paramref name="change"/> and writes the result, all in one write transaction. Keep
    /// <paramref name="change"/> quick and pure: no network calls while other writers wait.
    /// </summary>
    /// <returns>The changed order, or <see langword="null"/> when there is no such order.</returns>
    public Order? Update(int number, Func<Order, Order> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var current = Query(connection, transaction, "SELECT document FROM orders WHERE number = $number", ("$number", number));
        if (current is null)
        {
            return null;
        }

        var changed = change(current);
        if (changed.Number != current.Number || changed.CheckoutSessionId != current.CheckoutSessionId)
        {
            throw new InvalidOperationException("An update may not change an order's number or checkout session.");
        }

        Save(connection, transaction, changed, insert: false);
        transaction.Commit();
        return changed;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per connection, not stored in the file: an acknowledged order must survive a power cut.
        Execute(connection, "PRAGMA synchronous=FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Order? Query(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object Value) parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return command.ExecuteScalar() is string json ? JsonSerializer.Deserialize(json, OrderJsonContext.Default.Order) : null;
    }

    private static void Save(SqliteConnection connection, SqliteTransaction transaction, Order order, bool insert)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = insert
            ? "INSERT INTO orders (number, checkout_session_id, document) VALUES ($number, $id, $document)"
            : "UPDATE orders SET document = $document WHERE number = $number";
        command.Parameters.AddWithValue("$number", order.Number);
        command.Parameters.AddWithValue("$id", order.CheckoutSessionId);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(order, OrderJsonContext.Default.Order));
        command.ExecuteNonQuery();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Order))]
internal sealed partial class OrderJsonContext : JsonSerializerContext;
