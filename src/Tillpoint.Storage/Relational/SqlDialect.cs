using System.Data.Common;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// What differs between the relational stores, for <see cref="RelationalSession"/>, which holds everything else: column
/// types (times, amounts), the fragments of SQL that only one store knows (index hints, row locks), how statements are
/// prepared and parameters bound, and the few operations one store does its own way (claiming due work, appending
/// events). Parameters are written <c>@name</c> in the SQL text and named without the <c>@</c> when bound.
/// </summary>
internal abstract class SqlDialect
{
    private RelationalSql? _sql;

    /// <summary>The statements of this dialect that have its fragments in them, composed on first use.</summary>
    public RelationalSql Sql => _sql ??= new RelationalSql(this);

    /// <summary>Which store this is, for the pieces of the schema only one of them has.</summary>
    public abstract StoreKind Kind { get; }

    /// <summary>The type a column of <paramref name="type"/> is kept in.</summary>
    public abstract string TypeName(ColumnType type);

    /// <summary>False, as a flag's default.</summary>
    public abstract string False { get; }

    /// <summary>The text at <paramref name="path"/> in a row's JSON <c>document</c>.</summary>
    public abstract string TextOf(IReadOnlyList<string> path);

    /// <summary>The amount at <paramref name="path"/> in a row's JSON <c>document</c>, in the type of <see cref="AmountColumn"/>.</summary>
    public abstract string ListedAmountOf(IReadOnlyList<string> path);

    /// <summary>
    /// Whether each connection keeps its statements prepared for reuse. Otherwise every statement is a new command
    /// (the driver may still prepare it behind the scenes).
    /// </summary>
    public abstract bool PreparesCommands { get; }

    /// <summary>
    /// Whether the writer's session remembers the list columns of the rows a command read, so that a Save sets only the
    /// columns whose values changed. Such a dialect selects <see cref="StoredColumns"/> with amounts in hundredths.
    /// </summary>
    public abstract bool UpdatesChangedColumns { get; }

    /// <summary>What an aggregate query selects, the document first; <paramref name="idColumn"/> is the table's id.</summary>
    public abstract string StoredColumns(string idColumn);

    /// <summary>An index hint after a table name, or nothing where the planner needs none.</summary>
    public abstract string IndexedBy(string index);

    /// <summary>The row lock a write session takes on what it reads of a ledger's owner; nothing with a single writer.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>A row lock that leaves rows another transaction holds to it; <paramref name="of"/> names the locked table.</summary>
    public abstract string ForUpdateSkipLocked(string? of = null);

    /// <summary>A parameter in a comparison with NULL, typed where the database cannot infer the type of a NULL.</summary>
    public abstract string Typed(string name, string type);

    /// <summary>The column of an aggregate's listed amount (<c>amount_hundredths</c> or <c>amount</c>).</summary>
    public abstract string AmountColumn { get; }

    /// <summary>The condition that an IPN notification was not fanned out yet.</summary>
    public abstract string NotFannedOut(string column);

    /// <summary>The value marking a notification fanned out.</summary>
    public abstract string FannedOut { get; }

    /// <summary>The earliest time, as a literal.</summary>
    public abstract string Epoch { get; }

    /// <summary>The function giving the greater of two values.</summary>
    public abstract string Greatest { get; }

    /// <summary>The column that orders delivery trackers submitted in the same millisecond.</summary>
    public abstract string SubmissionOrder { get; }

    /// <summary>How settings keys are ordered: by code point, as in every store.</summary>
    public abstract string KeyOrder { get; }

    /// <summary>
    /// One table's arm of <see cref="RelationalSql.FindDue"/>: <paramref name="select"/> from <paramref name="table"/>'s
    /// partial due index, for <c>@env</c> and due by <c>@now</c>.
    /// </summary>
    public abstract string DueArm(string select, string table);

    /// <summary>
    /// Whether text can be stored. A lookup by a value that cannot be stored finds nothing, as it would in a store that
    /// could hold it, instead of failing the request.
    /// </summary>
    public virtual bool CanStore(string value) => true;

    /// <summary>Whether a failed statement aborted the transaction, so that a later commit would silently roll back.</summary>
    public abstract bool AbortsTransaction(DbException exception);

    /// <summary>Failures that mean another transaction got there first; the command, run again, sees its result.</summary>
    public abstract bool IsRaceLost(Exception exception);

    /// <summary>Failures that are not the command's fault (the disk, say): they fail the whole write, not one command.</summary>
    public virtual bool IsStoreFailure(Exception exception) => false;

    /// <summary>A new command of <paramref name="sql"/>; a preparing dialect also creates its parameters and prepares it.</summary>
    public abstract DbCommand CreateCommand(DbConnection connection, string sql);

    public abstract void Text(DbCommand command, string name, string? value);

    public abstract void Int32(DbCommand command, string name, int? value);

    public abstract void Int64(DbCommand command, string name, long? value);

    public abstract void Bytes(DbCommand command, string name, byte[]? value);

    /// <summary>A time, kept to the millisecond in every store so that all of them answer the same.</summary>
    public abstract void Time(DbCommand command, string name, long? unixMilliseconds);

    /// <summary>An aggregate's listed amount, in the type of <see cref="AmountColumn"/>.</summary>
    public abstract void Amount(DbCommand command, string name, decimal? amount);

    /// <summary>A bound of a search on <see cref="AmountColumn"/>, rounded inwards where the column is in hundredths.</summary>
    public abstract void AmountBound(DbCommand command, string name, decimal bound, bool lower);

    public abstract DateTimeOffset GetTime(DbDataReader reader, int ordinal);

    public abstract decimal GetAmount(DbDataReader reader, int ordinal);

    public abstract decimal GetEventAmount(DbDataReader reader, int ordinal);

    /// <summary>
    /// Takes a lock named by <paramref name="parts"/> until the write commits, so that a read-modify-write of something
    /// that may not exist yet (an idempotency key, a setting) is exclusive on every node. Nothing with a single writer.
    /// </summary>
    public virtual void LockName(RelationalSession session, params string[] parts)
    {
    }

    /// <summary>
    /// Whether a write session holds writes whose results nothing reads and sends them with its next statement or its
    /// commit (see <see cref="RelationalSession.HoldsWrites"/>): worth it where each statement is a round trip.
    /// </summary>
    public virtual bool HoldsWrites => false;

    /// <summary>Whether <see cref="LockName"/> takes a lock at all.</summary>
    public virtual bool LocksNames => false;

    /// <summary>Appends each event, and its IPN notification when one is due, in the command's transaction.</summary>
    public abstract void Append(RelationalSession session, string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events);

    /// <summary>See <see cref="IWriteSession.ClaimDue"/>.</summary>
    public abstract IReadOnlyList<DueItem> ClaimDue(RelationalSession session, ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked);

    /// <summary>What turns a query into its plan; the plan is one row per step, its text in <see cref="PlanColumn"/>.</summary>
    public abstract string Explain { get; }

    public abstract int PlanColumn { get; }

    /// <summary>Run before a plan is asked for: a test's tables are tiny, and scanning them whole is what a planner rightly picks.</summary>
    public virtual string? BeforeExplain => null;
}
