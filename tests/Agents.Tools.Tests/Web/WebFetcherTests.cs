using System.Diagnostics;
using System.Net;
using Agents.Tools.Web;

namespace Agents.Tools.Tests.Web;

public sealed class WebFetcherTests(WebTestServer server) : IClassFixture<WebTestServer>, IDisposable
{
    private const string OnlyPublic = "only public internet addresses are fetched";

    // Host names the tests resolve themselves; nothing here ever reaches a real DNS server.
    private readonly Dictionary<string, IPAddress[]> _dns = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _resolved = [];

    private WebFetcher? _strict;
    private WebFetcher? _open;

    /// <summary>Default options: nothing but public addresses.</summary>
    private WebFetcher Strict => _strict ??= new WebFetcher(Options());

    /// <summary>Reaches the test server at 127.0.0.1 and nothing else that is not public.</summary>
    private WebFetcher Open => _open ??= new WebFetcher(Options(o => o.AllowedNetworks.Add(IPNetwork.Parse("127.0.0.1/32"))));

    public void Dispose()
    {
        _strict?.Dispose();
        _open?.Dispose();
    }

    [Fact]
    public async Task Fetches_a_page_from_an_allowed_network()
    {
        var response = await Open.FetchAsync(server.Url("/page"));

        Assert.Equal(server.Url("/page"), response.Url);
        Assert.Equal("text/html", response.MediaType);
        Assert.True(response.IsHtml);
        Assert.Equal(WebTestServer.PageHtml, response.Text);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://2130706433:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://0177.0.0.1:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://0x7f.0.0.1:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://0x7f000001:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://127.1:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://127.0.0.1.:{port}/text", "Refused 127.0.0.1: it is a loopback address")]
    [InlineData("http://[::1]:{port}/text", "Refused ::1: it is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/text", "Refused ::ffff:127.0.0.1: it is a loopback address")]
    [InlineData("http://[::ffff:7f00:1]:{port}/text", "Refused ::ffff:127.0.0.1: it is a loopback address")]
    [InlineData("http://[::127.0.0.1]:{port}/text", "Refused ::127.0.0.1: it is a loopback address")]
    [InlineData("http://[64:ff9b::127.0.0.1]:{port}/text", "Refused 64:ff9b::7f00:1: it is a loopback address")]
    [InlineData("http://[2002:7f00:1::1]:{port}/text", "Refused 2002:7f00:1::1: it is a loopback address")]
    [InlineData("http://0:{port}/text", "Refused 0.0.0.0: it is the unspecified address")]
    [InlineData("http://[::]:{port}/text", "Refused ::: it is the unspecified address")]
    [InlineData("http://localhost:{port}/text", "Refused localhost: it names this machine")]
    [InlineData("http://LOCALHOST.:{port}/text", "Refused localhost.: it names this machine")]
    [InlineData("http://api.localhost:{port}/text", "Refused api.localhost: it names this machine")]
    public async Task Refuses_every_spelling_of_this_machine_before_connecting(string template, string expected)
    {
        var url = template.Replace("{port}", server.Port.ToString());

        var error = await Assert.ThrowsAsync<WebFetchException>(() => Strict.FetchAsync(url));

        Assert.True(error.Message.StartsWith(expected, StringComparison.Ordinal), error.ToString());
        Assert.EndsWith($"{OnlyPublic}.", error.Message);
        Assert.Empty(_resolved);
        await AssertHealthyAsync(Strict);
    }

    [Theory]
    [InlineData("10.0.0.1", "a private-network address")]
    [InlineData("172.16.5.4", "a private-network address")]
    [InlineData("192.168.1.1", "a private-network address")]
    [InlineData("169.254.169.254", "a link-local address (the range of cloud metadata services)")]
    [InlineData("100.64.0.1", "a carrier-grade NAT address")]
    [InlineData("127.0.0.2", "a loopback address")]
    [InlineData("0.1.2.3", "a 'this network' address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    [InlineData("240.0.0.1", "a reserved, non-routable address")]
    [InlineData("198.18.0.1", "a benchmarking-network address")]
    [InlineData("192.0.2.1", "a documentation-only address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("fc00::1", "a unique-local (private) IPv6 address")]
    [InlineData("fd12:3456::1", "a unique-local (private) IPv6 address")]
    [InlineData("fe80::1", "a link-local address (the range of cloud metadata services)")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("::ffff:10.0.0.1", "a private-network address")]
    [InlineData("::ffff:169.254.169.254", "a link-local address (the range of cloud metadata services)")]
    [InlineData("::10.0.0.1", "a private-network address")]
    [InlineData("64:ff9b::a9fe:a9fe", "a link-local address (the range of cloud metadata services)")]
    [InlineData("64:ff9b:1::a00:1", "a private-network address")]
    [InlineData("2002:a00:1::1", "a private-network address")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a reserved, non-routable address")]
    public async Task Refuses_every_blocked_address_class_as_a_literal_and_as_a_resolved_name(string address, string description)
    {
        var ip = IPAddress.Parse(address);
        var literalHost = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        _dns["target.example"] = [ip];

        var literal = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync($"http://{literalHost}:{server.Port}/text"));
        var resolved = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync($"http://target.example:{server.Port}/text"));

        Assert.Equal($"Refused {ip}: it is {description}; {OnlyPublic}.", literal.Message);
        Assert.Equal($"Refused target.example: it resolves to {ip}, {description}; {OnlyPublic}.", resolved.Message);
        Assert.Equal(["target.example"], _resolved);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Refuses_circled_digits_whether_they_normalize_to_an_address_or_stay_a_name()
    {
        // With full IDN support the host maps to 127.0.0.1; under invariant globalization it stays a
        // punycode name. Here a hostile resolver answers loopback for any name, so both ways must refuse.
        using var fetcher = new WebFetcher(new WebFetchOptions { ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Loopback }) });

        var error = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.FetchAsync($"http://\u2460\u2461\u2466.0.0.1:{server.Port}/text"));

        Assert.Matches(@"^Refused (127\.0\.0\.1: it is|\S+: it resolves to 127\.0\.0\.1,) a loopback address; only public internet addresses are fetched\.$", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Refuses_a_public_looking_name_that_resolves_to_loopback()
    {
        _dns["public.example"] = [IPAddress.Loopback];

        var error = await Assert.ThrowsAsync<WebFetchException>(() => Strict.FetchAsync($"http://public.example:{server.Port}/text"));

        Assert.Equal($"Refused public.example: it resolves to 127.0.0.1, a loopback address; {OnlyPublic}.", error.Message);
        Assert.Equal(["public.example"], _resolved);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Refuses_an_answer_that_mixes_an_allowed_address_with_a_blocked_one()
    {
        // 127.0.0.1 is allowed and listed first; connecting to it would succeed, so only checking every answer stops this.
        _dns["mixed.example"] = [IPAddress.Loopback, IPAddress.Parse("10.0.0.1")];

        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync($"http://mixed.example:{server.Port}/text"));

        Assert.Equal($"Refused mixed.example: it resolves to 10.0.0.1, a private-network address; {OnlyPublic}.", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Checks_each_new_connection_so_dns_rebinding_is_caught()
    {
        _dns["rebind.example"] = [IPAddress.Loopback];
        var url = $"http://rebind.example:{server.Port}/close";
        var first = await Open.FetchAsync(url);
        Assert.Equal("closed after this", first.Text);

        // The server closed the connection, so the next fetch connects again and the name now points at the metadata service.
        _dns["rebind.example"] = [IPAddress.Parse("169.254.169.254")];
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(url));

        Assert.StartsWith("Refused rebind.example: it resolves to 169.254.169.254, a link-local address", error.Message);
        Assert.Equal(["rebind.example", "rebind.example"], _resolved);
        await AssertHealthyAsync(Open);
    }

    [Theory]
    [InlineData("http://10.0.0.1/", "Refused 10.0.0.1: it is a private-network address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "Refused 169.254.169.254: it is a link-local address")]
    [InlineData("http://[::ffff:169.254.169.254]/", "Refused ::ffff:169.254.169.254: it is a link-local address")]
    [InlineData("http://metadata.example/computeMetadata/v1/", "Refused metadata.example: it resolves to 169.254.169.254")]
    [InlineData("http://localhost:{port}/text", "Refused localhost: it names this machine")]
    [InlineData("file:///etc/passwd", "Only http and https URLs can be fetched, not file URLs.")]
    [InlineData("ftp://example.com/", "Only http and https URLs can be fetched, not ftp URLs.")]
    [InlineData("http://user:secret@example.com/", "URLs that carry credentials (user:password@) are refused")]
    public async Task Refuses_a_redirect_to_where_a_first_url_may_not_go(string target, string expected)
    {
        _dns["metadata.example"] = [IPAddress.Parse("169.254.169.254")];
        var to = Uri.EscapeDataString(target.Replace("{port}", server.Port.ToString()));

        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(server.Url($"/redirect?to={to}")));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain("secret", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Follows_redirects_and_reports_the_final_url(int status)
    {
        var response = await Open.FetchAsync(server.Url($"/redirect?status={status}&to=%2Fchain%2F4"));

        Assert.Equal(server.Url("/chain/0"), response.Url);
        Assert.Equal("End of the chain.", response.Text);
    }

    [Fact]
    public async Task Stops_after_five_redirects()
    {
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(server.Url("/chain/6")));

        Assert.Equal($"Fetching {server.Url("/chain/6")} was redirected more than 5 times; stopped at {server.Url("/chain/1")}.", error.Message);
        Assert.Equal("End of the chain.", (await Open.FetchAsync(server.Url("/chain/5"))).Text);
    }

    [Theory]
    [InlineData("http://user:secret@127.0.0.1:{port}/text")]
    [InlineData("http://user@127.0.0.1:{port}/text")]
    [InlineData("http://127.0.0.1:{port}@example.com/text")]
    public async Task Refuses_credentials_in_the_url_without_repeating_them(string template)
    {
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(template.Replace("{port}", server.Port.ToString())));

        Assert.StartsWith("URLs that carry credentials (user:password@) are refused; remove them from the URL", error.Message);
        Assert.DoesNotContain("secret", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://example.com/file.txt", "ftp")]
    [InlineData("gopher://example.com/", "gopher")]
    [InlineData("javascript:alert(1)", "javascript")]
    [InlineData("data:text/plain,hello", "data")]
    [InlineData("ws://example.com/socket", "ws")]
    public async Task Refuses_schemes_other_than_http_and_https(string url, string scheme)
    {
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(url));

        Assert.Equal($"Only http and https URLs can be fetched, not {scheme} URLs.", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Theory]
    [InlineData("http://127.0.0.1\\@example.com/")]
    [InlineData("http://%31%32%37.0.0.1/")]
    [InlineData("example.com/page")]
    [InlineData("")]
    public async Task Refuses_urls_that_do_not_parse(string url)
    {
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(url));

        Assert.EndsWith("is not a valid absolute URL; give one that starts with http:// or https://.", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Stops_a_compression_bomb_at_the_cap_counted_after_decompression(string encoding)
    {
        using var fetcher = new WebFetcher(Options(o =>
        {
            o.AllowPrivateNetworks = true;
            o.MaxResponseBytes = 1024 * 1024;
        }));

        var error = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.FetchAsync(server.Url($"/bomb/{encoding}")));

        Assert.Equal($"{server.Url($"/bomb/{encoding}")} sent more than 1,048,576 bytes (after decompression), the limit for one fetch; the body was not read further.", error.Message);
        await AssertHealthyAsync(fetcher);
    }

    [Fact]
    public async Task Stops_an_endless_body_at_the_cap()
    {
        using var fetcher = new WebFetcher(Options(o =>
        {
            o.AllowPrivateNetworks = true;
            o.MaxResponseBytes = 512 * 1024;
        }));

        var error = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.FetchAsync(server.Url("/endless")));

        Assert.Contains("sent more than 524,288 bytes (after decompression)", error.Message);
        await AssertHealthyAsync(fetcher);
    }

    [Theory]
    [InlineData("/slowloris")]
    [InlineData("/silent")]
    public async Task Stops_a_server_that_trickles_or_never_answers_at_the_deadline(string path)
    {
        var limit = TimeSpan.FromSeconds(1);
        using var fetcher = new WebFetcher(Options(o =>
        {
            o.AllowPrivateNetworks = true;
            o.Timeout = limit;
        }));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.FetchAsync(server.Url(path)));

        Assert.Equal($"Fetching {server.Url(path)} did not finish within 1 s; the server is too slow or never finished sending.", error.Message);
        Assert.InRange(clock.Elapsed, limit, limit + TimeSpan.FromSeconds(5));
        await AssertHealthyAsync(fetcher);
    }

    [Fact]
    public async Task Refuses_content_types_it_does_not_read()
    {
        var png = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(server.Url("/png")));
        var untyped = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(server.Url("/no-type")));

        Assert.Equal($"{server.Url("/png")} sent image/png, which web_fetch does not read; it reads HTML, plain text, JSON and XML.", png.Message);
        Assert.Equal($"{server.Url("/no-type")} did not say what type of content it sent, so it was not read.", untyped.Message);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Reads_structured_suffix_types_and_decodes_the_declared_charset()
    {
        var json = await Open.FetchAsync(server.Url("/json"));
        var latin1 = await Open.FetchAsync(server.Url("/latin1"));

        Assert.Equal("application/problem+json", json.MediaType);
        Assert.Equal("""{"answer":42}""", json.Text);
        Assert.Equal("caf\u00e9 cr\u00e8me", latin1.Text);
    }

    [Fact]
    public async Task Reads_an_html_pages_meta_charset_when_the_header_names_none()
    {
        var page = await Open.FetchAsync(server.Url("/meta-charset"));

        Assert.Contains("<p>caf\u00e9 cr\u00e8me</p>", page.Text);
    }

    [Fact]
    public async Task Reports_an_error_status_in_one_sentence()
    {
        var error = await Assert.ThrowsAsync<WebFetchException>(() => Open.FetchAsync(server.Url("/status/404?token=abc")));

        Assert.Equal($"{server.Url("/status/404")} answered HTTP 404 Not Found.", error.Message);
        await AssertHealthyAsync(Open);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Open.FetchAsync(server.Url("/silent"), cancel.Token));

        await AssertHealthyAsync(Open);
    }

    private WebFetchOptions Options(Action<WebFetchOptions>? configure = null)
    {
        var options = new WebFetchOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ResolveHost = (host, _) =>
            {
                lock (_resolved)
                {
                    _resolved.Add(host);
                }

                return _dns.TryGetValue(host, out var addresses)
                    ? Task.FromResult(addresses)
                    : throw new InvalidOperationException($"The test resolved an unexpected host name: {host}.");
            },
        };
        configure?.Invoke(options);
        return options;
    }

    private async Task AssertHealthyAsync(WebFetcher fetcher)
    {
        var response = await (fetcher == Strict ? Open : fetcher).FetchAsync(server.Url("/text"));
        Assert.Equal("Plain text from the loopback server.", response.Text);
    }
}
