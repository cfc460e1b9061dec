namespace Tillpoint.Bench;

internal static class BenchProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help"] or ["-h"] or ["help"])
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n\n{BenchOptions.Usage}");
            return 2;
        }

        if (options.Verb == "baseline-server")
        {
            return await BaselineServer.RunAsync(
                options.Port, options.HttpPort, options.CertificatePath ?? throw new ArgumentException("baseline-server needs --certificate."));
        }

        var tillpoint = await TillpointBinary.LocateAsync(options);
        Console.Error.WriteLine($"Using {tillpoint.Path}");
        var report = new Report(options, await MachineFacts.CollectAsync(tillpoint.RepositoryRoot, tillpoint.Path));
        var work = Directory.CreateTempSubdirectory("tillpoint-bench-").FullName;
        Console.CancelKeyPress += (_, _) =>
        {
            // Interrupted: no finally block runs, so stop the servers and remove the (possibly large) data folders here.
            ServerProcess.KillAll();
            for (var attempt = 1; !options.Keep && Directory.Exists(work); attempt++)
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException) when (attempt < 5)
                {
                    // A server or a CLI call may still be writing there for a moment.
                    Thread.Sleep(200);
                }
                catch (IOException)
                {
                    Console.Error.WriteLine($"Could not remove {work}");
                    break;
                }
            }
        };
        try
        {
            if (options.RunsThroughput)
            {
                report.Throughput = await ThroughputBenchmark.RunAsync(options, tillpoint, Path.Combine(work, "throughput"));
            }

            if (options.RunsReady)
            {
                report.Ready = await ReadyBenchmark.RunAsync(options, tillpoint, Path.Combine(work, "ready"));
            }

            if (options.RunsMemory)
            {
                report.Memory = await MemoryBenchmark.RunAsync(options, tillpoint, Path.Combine(work, "memory"));
            }

            if (options.RunsScaling)
            {
                report.Scaling = await ScalingBenchmark.RunAsync(options, tillpoint, Path.Combine(work, "scaling"));
            }

            if (options.RunsGrowth)
            {
                report.Growth = await GrowthBenchmark.RunAsync(options, tillpoint, Path.Combine(work, "growth"));
            }
        }
        finally
        {
            if (options.Keep)
            {
                Console.Error.WriteLine($"Kept the data folders under {work}");
            }
            else
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var markdown = report.ToMarkdown();
        Console.WriteLine(markdown);
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }

        if (report.HasFailures)
        {
            Console.Error.WriteLine("FAILURES: some requests failed (see the tables); the numbers of this run are suspect.");
            return 3;
        }

        return 0;
    }
}
