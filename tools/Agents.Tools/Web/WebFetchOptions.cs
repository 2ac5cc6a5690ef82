using System.Net;

namespace Agents.Tools.Web;

/// <summary>Limits and permissions of <see cref="WebFetcher"/> and the <c>web_fetch</c> tool; every default is the safe one.</summary>
public sealed class WebFetchOptions
{
    /// <summary>
    /// Lets fetches reach loopback, private, link-local, carrier-grade NAT, unique-local and other
    /// non-public unicast addresses, and <c>localhost</c> names. Off by default: a model or a page
    /// must not be able to make this machine call into its own network or a cloud metadata service.
    /// Unspecified, multicast and broadcast addresses stay refused either way.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Networks reachable even though they are not public, e.g. one internal service, without opening every private range.</summary>
    public IList<IPNetwork> AllowedNetworks { get; } = [];

    /// <summary>How many redirects one fetch follows (at most 5 by default); each hop is checked like the first URL.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The largest body read, counted after decompression, so a small compressed bomb cannot fill memory.</summary>
    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How long establishing one connection (name resolution and TCP) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a whole fetch may take, redirects and body included; stops servers that trickle bytes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Media types that are read; the rest are refused. An entry starting with '+' admits every type
    /// with that structured-syntax suffix (<c>+json</c> admits <c>application/ld+json</c>).
    /// </summary>
    public ISet<string> AllowedMediaTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "application/json",
        "application/xml",
        "text/xml",
        "+json",
        "+xml",
    };

    /// <summary>The most characters of content the <c>web_fetch</c> tool returns to a model; the rest is cut with a marker.</summary>
    public int MaxContentCharacters { get; set; } = 20_000;

    public string UserAgent { get; set; } = "Agents.Tools-web_fetch/1.0";

    /// <summary>Resolves a host name to its addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> when null. Every address it returns is checked before any connection.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? ResolveHost { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
