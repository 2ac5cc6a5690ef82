namespace Agents.Tools.Web;

/// <summary>What kind of network an IP address belongs to, as far as reaching it from a server is concerned.</summary>
public enum NetworkAddressKind
{
    /// <summary>A globally routable unicast address: the only kind <c>web_fetch</c> reaches by default.</summary>
    Public,

    /// <summary><c>0.0.0.0</c> or <c>::</c>; connecting to it reaches the local host on many systems.</summary>
    Unspecified,

    /// <summary><c>0.0.0.0/8</c>, "this network".</summary>
    ThisNetwork,

    /// <summary><c>127.0.0.0/8</c> or <c>::1</c>.</summary>
    Loopback,

    /// <summary><c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>, and the deprecated IPv6 site-local <c>fec0::/10</c>.</summary>
    Private,

    /// <summary><c>100.64.0.0/10</c>, carrier-grade NAT.</summary>
    SharedAddressSpace,

    /// <summary><c>169.254.0.0/16</c> (where cloud metadata services live) or <c>fe80::/10</c>.</summary>
    LinkLocal,

    /// <summary><c>fc00::/7</c>, IPv6 unique local addresses, the IPv6 private networks.</summary>
    UniqueLocal,

    /// <summary><c>224.0.0.0/4</c> or <c>ff00::/8</c>.</summary>
    Multicast,

    /// <summary><c>255.255.255.255</c>.</summary>
    Broadcast,

    /// <summary>Ranges reserved for documentation (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>, ...).</summary>
    Documentation,

    /// <summary><c>198.18.0.0/15</c> and <c>2001:2::/48</c>, reserved for benchmarking lab networks.</summary>
    Benchmarking,

    /// <summary>Any other range that is not globally routable: protocol assignments, future use, tunnels, local-use NAT64.</summary>
    Reserved,
}
