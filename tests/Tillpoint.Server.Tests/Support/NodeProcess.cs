using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tillpoint.Client;

namespace Tillpoint.Server.Tests.Support;

/// <summary>
/// <c>tillpoint serve</c> in a process of its own, on real clocks, so that a test can kill it (SIGKILL) the way a
/// machine dies: no shutdown, no flush, connections cut.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private NodeProcess(Process process, StringBuilder output, Uri httpsBase, string thumbprint)
    {
        _process = process;
        _output = output;
        HttpsBase = httpsBase;
        CertificateThumbprint = thumbprint;
    }

    public Uri HttpsBase { get; }

    public string CertificateThumbprint { get; }

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node on <paramref name="storage"/> (the executable built beside the tests) and waits until it answers.</summary>
    public static async Task<NodeProcess> StartAsync(TestStorage storage)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), "serve", .. storage.CliArguments,
            "--urls", $"https://127.0.0.1:{port}", "--operator-token", TillpointHost.OperatorToken,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var httpsBase = new Uri($"https://127.0.0.1:{port}");
        var certificate = Path.Combine(storage.DataDirectory, "tillpoint-https.pem");
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout && !process.HasExited)
        {
            if (File.Exists(certificate))
            {
                var node = new NodeProcess(process, output, httpsBase, X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificate)).Thumbprint);
                try
                {
                    using var http = node.Http();
                    using var health = await http.GetAsync(new Uri(httpsBase, "/healthz"));
                    if (health.IsSuccessStatusCode)
                    {
                        return node;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(100);
        }

        process.Kill();
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"tillpoint serve did not come up within {StartTimeout}:\n{output}");
    }

    /// <summary>A client signing with the real clock, as the node checks against it.</summary>
    public AmazonPayClient Client(TestMerchant merchant) => new(
        Http(),
        new AmazonPayClientOptions
        {
            Endpoint = HttpsBase,
            PublicKeyId = merchant.SandboxKeyId,
            PrivateKeyPem = merchant.PrivateKeyPem,
            Sandbox = true,
        });

    /// <summary>Kills the process with SIGKILL: nothing of it runs afterwards.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private HttpClient Http() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == CertificateThumbprint },
    });

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
