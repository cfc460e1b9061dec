using System.Data.Common;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// All SQL of the relational stores, over one connection: a reader, or the session of a write (one command's
/// transaction, or the SQLite writer's, one command after another). What differs between SQLite and PostgreSQL is in the
/// <see cref="SqlDialect"/>.
/// </summary>
/// <remarks>
/// The money rules are checked on a whole ledger (a charge permission, its charges and its refunds) inside one command,
/// so two commands must never work on one ledger at the same time, on this node or another. Where several nodes share
/// the store, a write session therefore locks the row of a charge permission or a checkout session it reads until the
/// command commits; charges and refunds change only under their permission's lock, and a ledger's charges and refunds
/// are read after that lock is held, so each statement sees the last commit. SQLite's single writer makes every command
/// exclusive already. Saves still check versions: a stale object is a conflict, never a lost update.
/// <para>
/// On SQLite, commands are prepared once per connection and reused: on the hot paths (a signed Get, a capture) statement
/// preparation would otherwise cost more than the query. Its writer's session remembers the list columns of the rows a
/// command read, so a Save rewrites only the columns whose values changed: SQLite rewrites an index entry for every
/// indexed column an UPDATE sets, changed or not, and each such entry is a page more in the commit.
/// </para>
/// </remarks>
internal sealed partial class RelationalSession : IWriteSession, IDisposable
{
    private readonly DbConnection _connection;
    private readonly RelationalSql _sql;
    private readonly Dictionary<string, DbCommand>? _commands;

    /// <summary>The list columns of rows this command read or wrote, by table and id (a writer whose dialect wants them).</summary>
    private readonly Dictionary<(AggregateTable Table, string Id), StoredRow>? _rows;

    /// <summary>A session over <paramref name="connection"/>; a write session takes the dialect's locks and may remember rows.</summary>
    public RelationalSession(DbConnection connection, SqlDialect dialect, bool writes)
    {
        _connection = connection;
        Dialect = dialect;
        Writes = writes;
        _sql = dialect.Sql;
        _commands = dialect.PreparesCommands ? new(StringComparer.Ordinal) : null;
        _rows = writes && dialect.UpdatesChangedColumns ? [] : null;
        _holdsWrites = writes && dialect.HoldsWrites;
    }

    public SqlDialect Dialect { get; }

    public DbConnection Connection => _connection;

    /// <summary>Whether this is a write session.</summary>
    public bool Writes { get; }

    /// <summary>
    /// Whether a statement of this session failed in a way that aborted its transaction (PostgreSQL). A COMMIT after that
    /// silently rolls back: a command that caught the error and returned normally must not look committed.
    /// </summary>
    public bool Failed { get; private set; }

    internal void Failing(DbException exception) => Failed |= Dialect.AbortsTransaction(exception);

    public CheckoutSession? GetCheckoutSession(string merchantId, string checkoutSessionId) => ReadDocument(
        Writes ? _sql.CheckoutSessions.ByIdForUpdate : _sql.CheckoutSessions.ById,
        _sql.CheckoutSessions, merchantId, checkoutSessionId, StoredDocuments.CheckoutSession);

    public CheckoutSession? FindCheckoutSession(string checkoutSessionId) => ReadDocument(
        Writes ? _sql.FindCheckoutSessionForUpdate : _sql.FindCheckoutSession,
        _sql.CheckoutSessions, null, checkoutSessionId, StoredDocuments.CheckoutSession);

    public ChargePermission? GetChargePermission(string merchantId, string chargePermissionId) => ReadDocument(
        Writes ? _sql.ChargePermissions.ByIdForUpdate : _sql.ChargePermissions.ById,
        _sql.ChargePermissions, merchantId, chargePermissionId, StoredDocuments.ChargePermission);

    public Charge? GetCharge(string merchantId, string chargeId) => ReadDocument(
        _sql.Charges.ById, _sql.Charges, merchantId, chargeId, StoredDocuments.Charge);

    public IReadOnlyList<Charge> GetChargesOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        _sql.ChargesOfPermission, _sql.Charges, merchantId, chargePermissionId, StoredDocuments.Charge);

    public Refund? GetRefund(string merchantId, string refundId) => ReadDocument(
        _sql.Refunds.ById, _sql.Refunds, merchantId, refundId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        _sql.RefundsOfPermission, _sql.Refunds, merchantId, chargePermissionId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfCharge(string merchantId, string chargeId) => ReadDocuments(
        _sql.RefundsOfCharge, _sql.Refunds, merchantId, chargeId, StoredDocuments.Refund);

    public CheckoutSession Save(CheckoutSession session) => SaveDocument(
        session with { Version = session.Version + 1 },
        session.Version,
        _sql.CheckoutSessions,
        session.MerchantId, session.CheckoutSessionId, session.Environment, session.State.ToString(), session.CreationTimestamp, session.NextDueAt,
        StoredDocuments.CheckoutSession,
        new Listing(session.PaymentDetails.ChargeAmount, session.MerchantMetadata.MerchantReferenceId));

    public ChargePermission Save(ChargePermission chargePermission) => SaveDocument(
        chargePermission with { Version = chargePermission.Version + 1 },
        chargePermission.Version,
        _sql.ChargePermissions,
        chargePermission.MerchantId, chargePermission.ChargePermissionId, chargePermission.Environment, chargePermission.State.ToString(),
        chargePermission.CreationTimestamp, chargePermission.NextDueAt,
        StoredDocuments.ChargePermission,
        new Listing(chargePermission.AmountLimit, chargePermission.MerchantMetadata.MerchantReferenceId));

    public Charge Save(Charge charge) => SaveDocument(
        charge with { Version = charge.Version + 1 },
        charge.Version,
        _sql.Charges,
        charge.MerchantId, charge.ChargeId, charge.Environment, charge.State.ToString(), charge.CreationTimestamp, charge.NextDueAt,
        StoredDocuments.Charge,
        new Listing(charge.ChargeAmount, charge.MerchantMetadata?.MerchantReferenceId),
        charge.ChargePermissionId);

    public Refund Save(Refund refund) => SaveDocument(
        refund with { Version = refund.Version + 1 },
        refund.Version,
        _sql.Refunds,
        refund.MerchantId, refund.RefundId, refund.Environment, refund.State.ToString(), refund.CreationTimestamp, refund.NextDueAt,
        StoredDocuments.Refund,
        new Listing(refund.RefundAmount, null),
        refund.ChargePermissionId,
        refund.ChargeId);

    /// <summary>Called by the writer before each command: what an earlier command read says nothing about this one.</summary>
    internal void ForgetRows() => _rows?.Clear();

    /// <summary>A statement of <paramref name="sql"/>: the connection's prepared one where the dialect keeps them.</summary>
    internal Statement Command(string sql)
    {
        if (_commands is null)
        {
            return new Statement(this, Dialect.CreateCommand(_connection, sql), owned: true);
        }

        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Dialect.CreateCommand(_connection, sql);
            _commands[sql] = command;
        }

        return new Statement(this, command, owned: false);
    }

    public void Dispose()
    {
        if (_commands is not null)
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }

        _connection.Dispose();
    }

    private bool CanStore(string? value) => value is null || Dialect.CanStore(value);

    private T? ReadDocument<T>(string sql, AggregateTable table, string? merchantId, string id, StoredDocument<T> format)
        where T : class
    {
        if (!CanStore(merchantId) || !CanStore(id))
        {
            return null;
        }

        using var command = Command(sql);
        if (merchantId is not null)
        {
            command.Text("m", merchantId);
        }

        command.Text("id", id);
        using var reader = command.Read();
        return reader.Read() ? ReadStored(reader, table, format) : null;
    }

    private List<T> ReadDocuments<T>(string sql, AggregateTable table, string merchantId, string id, StoredDocument<T> format)
        where T : class => ReadRows<T, StoredRows<T>>(sql, merchantId, id, new StoredRows<T>(table, format));

    /// <summary>
    /// The rows <paramref name="sql"/> selects for a merchant's object (<c>@m</c>, <c>@id</c>), each made by
    /// <paramref name="rows"/>; none for an id the store could not hold. The maker is a struct, so this is compiled for
    /// each and calls it directly: a ledger's reads (on every capture) pay no indirect call or allocation for it.
    /// </summary>
    private List<T> ReadRows<T, TRows>(string sql, string merchantId, string id, TRows rows)
        where TRows : struct, IRowReader<T>
    {
        var items = new List<T>();
        if (!CanStore(merchantId) || !CanStore(id))
        {
            return items;
        }

        using var command = Command(sql);
        command.Text("m", merchantId);
        command.Text("id", id);
        using var reader = command.Read();
        while (reader.Read())
        {
            items.Add(rows.Read(this, reader));
        }

        return items;
    }

    /// <summary>Makes one item of the current row.</summary>
    private interface IRowReader<out T>
    {
        T Read(RelationalSession session, DbDataReader reader);
    }

    private readonly struct StoredRows<T>(AggregateTable table, StoredDocument<T> format) : IRowReader<T>
        where T : class
    {
        public T Read(RelationalSession session, DbDataReader reader) => session.ReadStored(reader, table, format);
    }

    /// <summary>A row selected as the dialect's stored columns; a writer that updates changed columns remembers them.</summary>
    private T ReadStored<T>(DbDataReader reader, AggregateTable table, StoredDocument<T> format)
        where T : class
    {
        // Read as one span: a document is a KiB or two, and a stream over it costs more than the copy.
        var document = format.Read(reader.GetFieldValue<byte[]>(0));
        if (_rows is not null)
        {
            _rows[(table, reader.GetString(7))] = new StoredRow(
                reader.GetInt64(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6));
        }

        return document;
    }

    private T SaveDocument<T>(
        T saved,
        long loadedVersion,
        AggregateTable table,
        string merchantId,
        string id,
        ReleaseEnvironment environment,
        string state,
        DateTimeOffset createdAt,
        DateTimeOffset? dueAt,
        StoredDocument<T> format,
        Listing listing,
        string? chargePermissionId = null,
        string? chargeId = null)
        where T : class
    {
        // A reference that cannot be stored (PostgreSQL text cannot hold NUL, which the API accepts) is not searchable.
        var reference = listing.MerchantReference is { } r && Dialect.CanStore(r) ? r : null;
        var row = new StoredRow(
            loadedVersion + 1,
            state,
            dueAt is { } due ? CeilingUnixMilliseconds(due) : null,
            listing.Amount is { } amount ? (long)(amount.Amount * 100m) : null,
            listing.Amount?.Currency.ToString(),
            reference);
        var columns = loadedVersion == 0 ? ListColumns.All : ChangedColumns(table, id, loadedVersion, row);
        using var command = Command(loadedVersion == 0 ? table.Insert : table.Update(columns));
        command.Text("m", merchantId);
        command.Text("id", id);
        command.Bytes("doc", format.Write(saved));
        if (columns.HasFlag(ListColumns.State))
        {
            command.Text("state", row.State);
        }

        if (columns.HasFlag(ListColumns.DueAt))
        {
            command.Time("due", row.DueAt);
        }

        if (columns.HasFlag(ListColumns.Amount))
        {
            Dialect.Amount(command.Command, "amount", listing.Amount?.Amount);
            command.Text("currency", row.Currency);
        }

        if (columns.HasFlag(ListColumns.MerchantReference))
        {
            command.Text("ref", row.MerchantReference);
        }

        if (loadedVersion == 0)
        {
            command.Text("env", environment.ToString());
            command.Time("created", createdAt);
            if (chargePermissionId is not null)
            {
                command.Text("permission", chargePermissionId);
            }

            if (chargeId is not null)
            {
                command.Text("charge", chargeId);
            }
        }
        else
        {
            command.Int64("version", loadedVersion);
        }

        WriteVersioned(command, id, loadedVersion);
        if (_rows is not null)
        {
            _rows[(table, id)] = row;
        }

        return saved;
    }

    /// <summary>
    /// The list columns whose values differ from the stored row's; all of them when this command never read it, or when
    /// the dialect does not remember rows.
    /// </summary>
    private ListColumns ChangedColumns(AggregateTable table, string id, long loadedVersion, StoredRow row) =>
        _rows is not null && _rows.TryGetValue((table, id), out var stored) && stored.Version == loadedVersion
            ? row.ChangedSince(stored)
            : ListColumns.All;

    /// <summary>
    /// Due times round up: a due time stored early would make the sweeper load an object whose change is not due yet,
    /// save it unchanged and find it due again, until the clock caught up.
    /// </summary>
    internal static long CeilingUnixMilliseconds(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        return at.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? milliseconds : milliseconds + 1;
    }
}
