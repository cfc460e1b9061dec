namespace Tillpoint.Testing;

/// <summary>The repository the tests were built from: the folder with <c>Tillpoint.slnx</c> above the test binaries.</summary>
internal static class TestRepository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tillpoint.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tillpoint.slnx above {AppContext.BaseDirectory}.");
    }
}
