namespace Tillpoint.Testing;

/// <summary>
/// The documented commands use Tillpoint's default ports (8443, 8080; the shop's 5080; a hand-started PostgreSQL on
/// 55432). Test projects run in parallel processes, so the tests that run those commands take this lock, held across
/// processes through a file, for as long as they listen on a fixed port.
/// </summary>
internal static class FixedPorts
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "tillpoint-tests-fixed-ports.lock");

    // The file stays: deleting it on release would let two waiters lock two different files.
    /// <summary>Waits for the lock (at most <paramref name="timeout"/>, default five minutes); dispose to release it.</summary>
    public static async Task<IDisposable> AcquireAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock on Unix too (.NET takes an advisory lock on the file).
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
