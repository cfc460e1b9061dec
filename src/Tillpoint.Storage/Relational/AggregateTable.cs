using System.Text;

namespace Tillpoint.Storage.Relational;

/// <summary>The list columns an UPDATE may set besides the version and the document.</summary>
[Flags]
internal enum ListColumns
{
    None = 0,
    State = 1,
    DueAt = 2,
    Amount = 4,
    MerchantReference = 8,
    All = State | DueAt | Amount | MerchantReference,
}

/// <summary>A row's version and list columns, as stored.</summary>
internal readonly record struct StoredRow(
    long Version, string State, long? DueAt, long? AmountHundredths, string? Currency, string? MerchantReference)
{
    /// <summary>The list columns whose values differ from <paramref name="stored"/>'s.</summary>
    public ListColumns ChangedSince(StoredRow stored)
    {
        var changed = ListColumns.None;
        if (!string.Equals(stored.State, State, StringComparison.Ordinal))
        {
            changed |= ListColumns.State;
        }

        if (stored.DueAt != DueAt)
        {
            changed |= ListColumns.DueAt;
        }

        if (stored.AmountHundredths != AmountHundredths || !string.Equals(stored.Currency, Currency, StringComparison.Ordinal))
        {
            changed |= ListColumns.Amount;
        }

        if (!string.Equals(stored.MerchantReference, MerchantReference, StringComparison.Ordinal))
        {
            changed |= ListColumns.MerchantReference;
        }

        return changed;
    }
}

/// <summary>
/// An aggregate table: its queries by id, its insert, and one versioned update per set of changed list columns (a
/// dialect that does not update changed columns only ever uses the one that sets them all).
/// </summary>
internal sealed class AggregateTable
{
    private readonly string[] _updates;

    /// <summary>The table <paramref name="name"/>; <paramref name="parents"/> are its parent id columns and their parameters.</summary>
    public AggregateTable(SqlDialect dialect, string name, string idColumn, params (string Column, string Parameter)[] parents)
    {
        Name = name;
        IdColumn = idColumn;
        var select = $"SELECT {dialect.StoredColumns(idColumn)} FROM {name}";
        ById = $"{select} WHERE merchant_id = @m AND {idColumn} = @id";
        ByIdForUpdate = ById + dialect.ForUpdate;
        Select = select;
        var columns = string.Concat(parents.Select(p => ", " + p.Column));
        var values = string.Concat(parents.Select(p => ", @" + p.Parameter));
        Insert =
            $"INSERT INTO {name} (merchant_id, {idColumn}{columns}, environment, version, state, created_at, due_at, {dialect.AmountColumn}, currency, merchant_reference, document) " +
            $"VALUES (@m, @id{values}, @env, 1, @state, @created, @due, @amount, @currency, @ref, @doc)";
        _updates = [.. Enumerable.Range(0, (int)ListColumns.All + 1).Select(columns => UpdateSql(dialect, (ListColumns)columns))];
    }

    public string Name { get; }

    public string IdColumn { get; }

    /// <summary><c>SELECT</c> the stored columns <c>FROM</c> the table, for a query to go on.</summary>
    public string Select { get; }

    public string ById { get; }

    /// <summary><see cref="ById"/> with the row lock a write takes on a ledger's owner.</summary>
    public string ByIdForUpdate { get; }

    public string Insert { get; }

    public string Update(ListColumns changed) => _updates[(int)changed];

    public override string ToString() => Name;

    private string UpdateSql(SqlDialect dialect, ListColumns changed)
    {
        var set = new StringBuilder("version = version + 1, document = @doc");
        if (changed.HasFlag(ListColumns.State))
        {
            set.Append(", state = @state");
        }

        if (changed.HasFlag(ListColumns.DueAt))
        {
            set.Append(", due_at = @due");
        }

        if (changed.HasFlag(ListColumns.Amount))
        {
            set.Append(", ").Append(dialect.AmountColumn).Append(" = @amount, currency = @currency");
        }

        if (changed.HasFlag(ListColumns.MerchantReference))
        {
            set.Append(", merchant_reference = @ref");
        }

        return $"UPDATE {Name} SET {set} WHERE merchant_id = @m AND {IdColumn} = @id AND version = @version";
    }
}
