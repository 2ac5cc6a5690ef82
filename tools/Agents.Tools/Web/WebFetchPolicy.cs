using System.Net;

namespace Agents.Tools.Web;

/// <summary>
/// Decides which URLs, redirects and addresses a fetch may use. URLs are checked before anything is
/// sent, for a clear early refusal; addresses are checked again on every connection, after name
/// resolution, which is the check that cannot be talked around (DNS rebinding, odd spellings).
/// </summary>
public sealed class WebFetchPolicy
{
    private const string OnlyPublic = "only public internet addresses are fetched";

    private readonly WebFetchOptions _options;

    public WebFetchPolicy(WebFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Parses what a user or a model typed; the message of a failure says what a valid URL looks like.</summary>
    public static Uri ParseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new WebFetchException($"'{Shorten(url)}' is not a valid absolute URL; give one that starts with http:// or https://.");
        }

        return uri;
    }

    /// <summary>Refuses schemes other than http and https, credentials, and hosts that are literal blocked addresses or names of this machine.</summary>
    public void CheckUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            var scheme = url.IsAbsoluteUri ? url.Scheme : "relative";
            throw new WebFetchException($"Only http and https URLs can be fetched, not {scheme} URLs.");
        }

        if (url.UserInfo.Length > 0)
        {
            // The credentials themselves are not repeated: the message may reach a model or a log.
            throw new WebFetchException($"URLs that carry credentials (user:password@) are refused; remove them from the URL for {url.IdnHost}.");
        }

        var host = url.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host, out var literal))
        {
            CheckAddress(literal, host);
            return;
        }

        if (!_options.AllowPrivateNetworks && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            throw new WebFetchException($"Refused {url.IdnHost}: it names this machine; {OnlyPublic}.");
        }
    }

    /// <summary>Checks a redirect's target like a first URL, and refuses a step down from https to http.</summary>
    public void CheckRedirect(Uri from, Uri to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            throw new WebFetchException($"Refused the redirect from {from.GetLeftPart(UriPartial.Path)} to {to.GetLeftPart(UriPartial.Path)}: it would step down from https to http.");
        }

        CheckUrl(to);
    }

    /// <summary>Refuses an address this fetch may not connect to; <paramref name="host"/> names where it came from.</summary>
    public void CheckAddress(IPAddress address, string host)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(host);
        if (IsAllowed(address, out var kind))
        {
            return;
        }

        var shown = host.Trim('[', ']');
        var what = NetworkAddressClassifier.Describe(kind);
        throw new WebFetchException(IPAddress.TryParse(shown, out _)
            ? $"Refused {address}: it is {what}; {OnlyPublic}."
            : $"Refused {shown}: it resolves to {address}, {what}; {OnlyPublic}.");
    }

    public bool IsAllowed(IPAddress address, out NetworkAddressKind kind)
    {
        ArgumentNullException.ThrowIfNull(address);
        kind = NetworkAddressClassifier.Classify(address);
        if (kind == NetworkAddressKind.Public)
        {
            return true;
        }

        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _options.AllowedNetworks)
        {
            if (network.Contains(v4) || network.Contains(address))
            {
                return true;
            }
        }

        // These are never one server, whatever the caller allows.
        return _options.AllowPrivateNetworks && kind is not (NetworkAddressKind.Unspecified or NetworkAddressKind.ThisNetwork or NetworkAddressKind.Multicast or NetworkAddressKind.Broadcast);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "...");
}
