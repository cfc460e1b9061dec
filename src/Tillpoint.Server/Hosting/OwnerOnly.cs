namespace Tillpoint.Server.Hosting;

/// <summary>
/// Files and folders that hold secrets (private keys, buyers' data) are readable by their owner only from the moment
/// they exist. Changing the mode after writing would leave a moment in which another local user could open the file,
/// and a descriptor opened in that moment stays readable after any later change.
/// </summary>
internal static class OwnerOnly
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder owner-only when it does not exist yet. A folder that exists keeps its mode: its owner chose it.
    /// </summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>
    /// Creates a new owner-only file. The creation is exclusive, so it fails on any name that exists, a symbolic link
    /// included (dangling or not): it never writes through a link into a file someone else chose.
    /// </summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>True when something has this name: a file, a folder, or a symbolic link, even one pointing nowhere.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>
    /// Puts <paramref name="contents"/> at <paramref name="path"/>, replacing whatever is there at once: a new owner-only
    /// file beside it is renamed over it. A rename replaces a symbolic link itself, never the file it points to, and a
    /// reader sees the old file or the new one, never half of either.
    /// </summary>
    public static async Task ReplaceAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken = default)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = CreateNew(temporary))
            {
                await file.WriteAsync(contents, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The same as <see cref="ReplaceAsync"/>, for callers that cannot wait (a server being built).</summary>
    public static void Replace(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = CreateNew(temporary))
            {
                file.Write(contents);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Takes group and other access away from a file an earlier version created with them; a file that is already
    /// owner-only, or that does not exist, is left alone.
    /// </summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) != 0)
        {
            File.SetUnixFileMode(path, mode & FileMode);
        }
    }
}
