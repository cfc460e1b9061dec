using System.Data.Common;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// One statement of a <see cref="RelationalSession"/>: binds its parameters through the dialect and runs it. A prepared
/// command belongs to the session's cache and outlives the statement; any other command is disposed with it.
/// </summary>
internal readonly struct Statement(RelationalSession session, DbCommand command, bool owned) : IDisposable
{
    private SqlDialect Dialect => session.Dialect;

    public DbCommand Command => command;

    public void Text(string name, string? value) => Dialect.Text(command, name, value);

    public void Int32(string name, int? value) => Dialect.Int32(command, name, value);

    public void Int64(string name, long? value) => Dialect.Int64(command, name, value);

    public void Bytes(string name, byte[]? value) => Dialect.Bytes(command, name, value);

    public void Time(string name, DateTimeOffset at) => Dialect.Time(command, name, at.ToUnixTimeMilliseconds());

    public void Time(string name, long? unixMilliseconds) => Dialect.Time(command, name, unixMilliseconds);

    /// <summary>The statement's rows; writes the session holds go first, in the same round trip.</summary>
    public DbDataReader Read()
    {
        try
        {
            return session.ReadAfterHeld(command);
        }
        catch (DbException e)
        {
            session.Failing(e);
            throw;
        }
    }

    /// <summary>Every row the statement selects, each made by <paramref name="row"/>.</summary>
    public List<T> ReadAll<T>(Func<DbDataReader, T> row)
    {
        var items = new List<T>();
        using var reader = Read();
        while (reader.Read())
        {
            items.Add(row(reader));
        }

        return items;
    }

    public int Execute()
    {
        session.WriteHeld();
        return Run(static statement => statement.ExecuteNonQuery());
    }

    public long Scalar()
    {
        session.WriteHeld();
        return Convert.ToInt64(Run(static statement => statement.ExecuteScalar()), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (owned)
        {
            command.Dispose();
        }
    }

    /// <summary>Runs the statement; an error that aborts the transaction marks the session failed (static: nothing allocated).</summary>
    private T Run<T>(Func<DbCommand, T> run)
    {
        try
        {
            return run(command);
        }
        catch (DbException e)
        {
            session.Failing(e);
            throw;
        }
    }
}
