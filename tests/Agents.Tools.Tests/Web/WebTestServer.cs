using System.IO.Compression;
using System.Text;
using Agents.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Tools.Tests.Web;

/// <summary>A real Kestrel server on 127.0.0.1 serving well-behaved pages and hostile ones (bombs, endless and trickling bodies, redirect games).</summary>
public sealed class WebTestServer : IAsyncLifetime
{
    /// <summary>How much a compression bomb inflates to; far above the caps the tests set.</summary>
    public const int BombInflatedBytes = 8 * 1024 * 1024;

    public const string PageHtml = "<html><head><title>Loopback page</title></head><body><nav>Menu</nav><p>Hello from the loopback server.</p></body></html>";

    private LoopbackServer _server = null!;

    public Uri BaseUrl => _server.BaseUrl;

    public int Port => BaseUrl.Port;

    public Uri Url(string pathAndQuery) => _server.Url(pathAndQuery);

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(MapRoutes);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static void MapRoutes(WebApplication app)
    {
        var bombs = new Dictionary<string, byte[]>
        {
            ["gzip"] = Compress(s => new GZipStream(s, CompressionLevel.Optimal)),
            ["deflate"] = Compress(s => new ZLibStream(s, CompressionLevel.Optimal)),
            ["br"] = Compress(s => new BrotliStream(s, CompressionLevel.Optimal)),
        };

        app.MapGet("/page", () => Results.Content(PageHtml, "text/html; charset=utf-8"));
        app.MapGet("/text", () => Results.Text("Plain text from the loopback server.", "text/plain; charset=utf-8"));
        app.MapGet("/json", () => Results.Text("""{"answer":42}""", "application/problem+json"));
        app.MapGet("/latin1", () => Results.Bytes(Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me"), "text/plain; charset=iso-8859-1"));
        app.MapGet("/meta-charset", () => Results.Bytes(
            Encoding.Latin1.GetBytes("<html><head><meta charset=\"windows-1252\"><title>Caf\u00e9</title></head><body><p>caf\u00e9 cr\u00e8me</p></body></html>"),
            "text/html"));
        app.MapGet("/png", () => Results.Bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"));
        app.MapGet("/no-type", async (HttpContext context) => await context.Response.Body.WriteAsync("untyped"u8.ToArray()));
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/close", (HttpContext context) =>
        {
            // A fresh connection per request, so each fetch resolves the host name again.
            context.Response.Headers.Connection = "close";
            return Results.Text("closed after this", "text/plain");
        });
        app.MapGet("/redirect", (string to, int? status) => Results.Redirect(to, permanent: status is 301 or 308, preserveMethod: status is 307 or 308));
        app.MapGet("/chain/{left:int}", (int left) => left == 0 ? Results.Text("End of the chain.", "text/plain") : Results.Redirect($"/chain/{left - 1}"));
        app.MapGet("/bomb/{encoding}", async (HttpContext context, string encoding) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.ContentEncoding = encoding;
            await context.Response.Body.WriteAsync(bombs[encoding], context.RequestAborted);
        });
        app.MapGet("/endless", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            await TrickleAsync(context, async ct => await context.Response.Body.WriteAsync(chunk, ct));
        });
        app.MapGet("/slowloris", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            await TrickleAsync(context, async ct =>
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), ct);
                await context.Response.Body.FlushAsync(ct);
                await Task.Delay(100, ct);
            });
        });
        app.MapGet("/silent", async (HttpContext context) => await TrickleAsync(context, ct => Task.Delay(100, ct)));

    }

    /// <summary>Repeats <paramref name="step"/> until the client goes away, which is how these responses are meant to end.</summary>
    private static async Task TrickleAsync(HttpContext context, Func<CancellationToken, Task> step)
    {
        while (!context.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await step(context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static byte[] Compress(Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
        {
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)'a');
            for (var written = 0; written < BombInflatedBytes; written += block.Length)
            {
                compressing.Write(block);
            }
        }

        return output.ToArray();
    }
}
