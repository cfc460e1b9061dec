namespace Tillpoint.Server.Cli;

/// <summary>
/// What a <c>tillpoint</c> exit code means. Scripts branch on these numbers and the README lists them: never renumber,
/// only add.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The verb did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed (a bug, a full disk, a port in use): the message says what.</summary>
    public const int Failure = 1;

    /// <summary>The command line or an input file was wrong: an unknown option, a bad date, a file that is not a key.</summary>
    public const int Usage = 2;

    /// <summary>Something named on the command line does not exist: a merchant, a key.</summary>
    public const int NotFound = 3;

    /// <summary>The change clashes with what is there: a key already revoked, an output file that exists.</summary>
    public const int Conflict = 4;

    /// <summary>The store cannot be opened or migrated: a database that is down, a folder that cannot be written.</summary>
    public const int StoreUnavailable = 5;
}
