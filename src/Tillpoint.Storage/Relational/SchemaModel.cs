namespace Tillpoint.Storage.Relational;

/// <summary>What a column holds; each dialect names the type it keeps it in (<see cref="SqlDialect.TypeName"/>).</summary>
internal enum ColumnType
{
    Text,
    Int32,
    Int64,

    /// <summary>A time to the millisecond.</summary>
    Time,
    Bytes,

    /// <summary>A flag, false until set.</summary>
    Bool,

    /// <summary>An exact decimal, never floating point.</summary>
    Decimal,

    /// <summary>The order rows were inserted in, numbered by the store: SQLite's rowid, a PostgreSQL identity.</summary>
    Sequence,
}

/// <summary>
/// A column. <see cref="Only"/> marks a column one store has and the other does not; a column whose place or type
/// differs between the stores is declared once for each.
/// </summary>
internal sealed record Column(string Name, ColumnType Type)
{
    public bool IsNullable { get; private init; }

    public bool IsPrimaryKey { get; private init; }

    public bool IsUnique { get; private init; }

    /// <summary>The referenced table and column, as <c>table (column)</c>.</summary>
    public string? References { get; private init; }

    public StoreKind? Only { get; private init; }

    /// <summary>The SQL literal a row gets when the insert names no value: what lets a column be added NOT NULL to a table with rows.</summary>
    public string? DefaultValue { get; private init; }

    public Column OrNull() => this with { IsNullable = true };

    public Column PrimaryKey() => this with { IsPrimaryKey = true };

    public Column Unique() => this with { IsUnique = true };

    public Column ReferencesColumn(string table, string column) => this with { References = $"{table} ({column})" };

    public Column In(StoreKind store) => this with { Only = store };

    public Column DefaultsTo(string literal) => this with { DefaultValue = literal };

    public string Render(SqlDialect dialect) =>
        $"{Name} {dialect.TypeName(Type)}"
        + (Type is ColumnType.Sequence ? string.Empty : IsNullable ? " NULL" : " NOT NULL")
        + (Type is ColumnType.Bool ? " DEFAULT " + dialect.False : DefaultValue is null ? string.Empty : " DEFAULT " + DefaultValue)
        + (IsPrimaryKey ? " PRIMARY KEY" : string.Empty)
        + (IsUnique ? " UNIQUE" : string.Empty)
        + (References is null ? string.Empty : " REFERENCES " + References);
}

internal enum KeyKind
{
    PrimaryKey,
    Unique,

    /// <summary>
    /// The key that finds a row: PostgreSQL's primary key, a unique key of a rowid table in SQLite. A large row (a JSON
    /// document of a few KiB, a stored response near a KiB) would not fit in the page of a SQLite index b-tree, and a
    /// WITHOUT ROWID table is one, so these tables keep their rows by rowid and their key in an index of its own.
    /// </summary>
    RowKey,
}

/// <summary>A key of several columns, declared after a table's columns.</summary>
internal sealed record TableKey(KeyKind Kind, string[] Columns)
{
    public StoreKind? Only { get; private init; }

    public TableKey In(StoreKind store) => this with { Only = store };

    public string Render(SqlDialect dialect) =>
        (Kind is KeyKind.PrimaryKey || (Kind is KeyKind.RowKey && dialect.Kind is StoreKind.Postgres) ? "PRIMARY KEY" : "UNIQUE")
        + $" ({string.Join(", ", Columns)})";
}

internal sealed record Table(string Name, Column[] Columns, TableKey[] Keys)
{
    public IEnumerable<Column> ColumnsIn(SqlDialect dialect) => Columns.Where(c => c.Only is null || c.Only == dialect.Kind);

    /// <summary>The table with only the columns <paramref name="included"/> keeps, as it is created.</summary>
    public string Create(SqlDialect dialect, Func<Column, bool> included)
    {
        var parts = ColumnsIn(dialect).Where(included).Select(c => c.Render(dialect))
            .Concat(Keys.Where(k => k.Only is null || k.Only == dialect.Kind).Select(k => k.Render(dialect)));
        return $"CREATE TABLE {Name} (\n    {string.Join(",\n    ", parts)}\n)";
    }
}

/// <summary>An index; <see cref="InRowOrder"/> orders equal keys by the table's <see cref="ColumnType.Sequence"/>.</summary>
internal sealed record TableIndex(string Name, Table Table, string[] Columns)
{
    public bool IsUnique { get; private init; }

    public Func<SqlDialect, string>? Where { get; private init; }

    public bool InRowOrder { get; private init; }

    public StoreKind? Only { get; private init; }

    public TableIndex Unique() => this with { IsUnique = true };

    public TableIndex Partial(string condition) => this with { Where = _ => condition };

    public TableIndex Partial(Func<SqlDialect, string> condition) => this with { Where = condition };

    public TableIndex ThenInRowOrder() => this with { InRowOrder = true };

    public TableIndex In(StoreKind store) => this with { Only = store };

    public string Create(SqlDialect dialect)
    {
        // SQLite ends every index entry with the rowid, so the order is there without naming it.
        var columns = InRowOrder && dialect.Kind is StoreKind.Postgres
            ? [.. Columns, Table.ColumnsIn(dialect).Single(c => c.Type is ColumnType.Sequence).Name]
            : Columns;
        return $"CREATE {(IsUnique ? "UNIQUE " : string.Empty)}INDEX {Name} ON {Table.Name} ({string.Join(", ", columns)})"
            + (Where is null ? string.Empty : " WHERE " + Where(dialect));
    }
}

/// <summary>One change of a migration step.</summary>
internal abstract record SchemaChange;

internal sealed record CreateTable(Table Table) : SchemaChange;

/// <summary>
/// Columns added to a table after it was made, and the statement that fills them in its existing rows. A migration that
/// creates the table too makes it with these columns in their place, and has no rows to fill.
/// </summary>
internal sealed record AddColumns(Table Table, string[] Columns, Func<SqlDialect, string>? Fill = null) : SchemaChange;

internal sealed record CreateIndex(TableIndex Index) : SchemaChange;

/// <summary>The steps of the schema's history, grouped into each store's migrations and rendered in its dialect.</summary>
internal static class SchemaHistory
{
    /// <summary>
    /// One script per version: <paramref name="stepsInFirstVersion"/> steps in the first, one step in each after it.
    /// </summary>
    public static string[] Scripts(SqlDialect dialect, IReadOnlyList<SchemaChange[]> steps, int stepsInFirstVersion)
    {
        IReadOnlyList<SchemaChange[]> versions =
        [
            [.. steps.Take(stepsInFirstVersion).SelectMany(s => s)],
            .. steps.Skip(stepsInFirstVersion),
        ];
        return [.. versions.Select((_, i) => Render(dialect, versions[i], versions.Skip(i + 1)))];
    }

    private static string Render(SqlDialect dialect, SchemaChange[] version, IEnumerable<SchemaChange[]> later)
    {
        var created = version.OfType<CreateTable>().Select(c => c.Table).ToHashSet();
        // Columns added by a later version are not there yet when a table is made.
        var addedLater = later.SelectMany(v => v.OfType<AddColumns>()).SelectMany(a => a.Columns.Select(c => (a.Table, c))).ToHashSet();
        var statements = new List<string>();
        foreach (var change in version)
        {
            switch (change)
            {
                case CreateTable create:
                    statements.Add(create.Table.Create(dialect, c => !addedLater.Contains((create.Table, c.Name))));
                    break;
                case AddColumns add when !created.Contains(add.Table):
                    statements.AddRange(add.Table.ColumnsIn(dialect).Where(c => add.Columns.Contains(c.Name))
                        .Select(c => $"ALTER TABLE {add.Table.Name} ADD COLUMN {c.Render(dialect)}"));
                    if (add.Fill is not null)
                    {
                        statements.Add(add.Fill(dialect));
                    }

                    break;
                case AddColumns:
                    break;
                case CreateIndex index when index.Index.Only is null || index.Index.Only == dialect.Kind:
                    statements.Add(index.Index.Create(dialect));
                    break;
                case CreateIndex:
                    break;
            }
        }

        return string.Join(";\n", statements) + ";\n";
    }
}
