using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Agents.Tools.Web;

/// <summary>
/// Sorts IP addresses into public and the special-purpose ranges of the IANA registries, so a
/// fetch can refuse to reach into the machine it runs on or the networks behind it. IPv6 forms that
/// carry an IPv4 address (mapped, compatible, translated, NAT64, 6to4) are judged by that address,
/// since that is where a connection to them ends up.
/// </summary>
public static class NetworkAddressClassifier
{
    public static NetworkAddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            throw new ArgumentException($"'{address}' is not an IPv4 or IPv6 address.", nameof(address));
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
            AddressFamily.InterNetworkV6 when length == 16 => ClassifyV6(bytes),
            _ => throw new ArgumentException($"'{address}' is not an IPv4 or IPv6 address.", nameof(address)),
        };
    }

    public static bool IsPublic(IPAddress address) => Classify(address) == NetworkAddressKind.Public;

    /// <summary>Words for error messages: "127.0.0.1 is a loopback address".</summary>
    public static string Describe(NetworkAddressKind kind) => kind switch
    {
        NetworkAddressKind.Public => "a public address",
        NetworkAddressKind.Unspecified => "the unspecified address",
        NetworkAddressKind.ThisNetwork => "a 'this network' address",
        NetworkAddressKind.Loopback => "a loopback address",
        NetworkAddressKind.Private => "a private-network address",
        NetworkAddressKind.SharedAddressSpace => "a carrier-grade NAT address",
        NetworkAddressKind.LinkLocal => "a link-local address (the range of cloud metadata services)",
        NetworkAddressKind.UniqueLocal => "a unique-local (private) IPv6 address",
        NetworkAddressKind.Multicast => "a multicast address",
        NetworkAddressKind.Broadcast => "the broadcast address",
        NetworkAddressKind.Documentation => "a documentation-only address",
        NetworkAddressKind.Benchmarking => "a benchmarking-network address",
        NetworkAddressKind.Reserved => "a reserved, non-routable address",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static NetworkAddressKind ClassifyV4(uint a)
    {
        if (a == 0)
        {
            return NetworkAddressKind.Unspecified;
        }

        if (a == uint.MaxValue)
        {
            return NetworkAddressKind.Broadcast;
        }

        return a switch
        {
            _ when In(a, 0x00000000, 8) => NetworkAddressKind.ThisNetwork,
            _ when In(a, 0x0A000000, 8) => NetworkAddressKind.Private,
            _ when In(a, 0x64400000, 10) => NetworkAddressKind.SharedAddressSpace,
            _ when In(a, 0x7F000000, 8) => NetworkAddressKind.Loopback,
            _ when In(a, 0xA9FE0000, 16) => NetworkAddressKind.LinkLocal,
            _ when In(a, 0xAC100000, 12) => NetworkAddressKind.Private,
            _ when In(a, 0xC0000000, 24) => NetworkAddressKind.Reserved,       // 192.0.0.0/24 protocol assignments
            _ when In(a, 0xC0000200, 24) => NetworkAddressKind.Documentation,  // 192.0.2.0/24
            _ when In(a, 0xC0586300, 24) => NetworkAddressKind.Reserved,       // 192.88.99.0/24 former 6to4 relays
            _ when In(a, 0xC0A80000, 16) => NetworkAddressKind.Private,
            _ when In(a, 0xC6120000, 15) => NetworkAddressKind.Benchmarking,   // 198.18.0.0/15
            _ when In(a, 0xC6336400, 24) => NetworkAddressKind.Documentation,  // 198.51.100.0/24
            _ when In(a, 0xCB007100, 24) => NetworkAddressKind.Documentation,  // 203.0.113.0/24
            _ when In(a, 0xE0000000, 4) => NetworkAddressKind.Multicast,
            _ when In(a, 0xF0000000, 4) => NetworkAddressKind.Reserved,        // 240.0.0.0/4 future use
            _ => NetworkAddressKind.Public,
        };
    }

    private static NetworkAddressKind ClassifyV6(ReadOnlySpan<byte> b)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var low = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        var embedded = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);

        if (high == 0)
        {
            return (low >> 32) switch
            {
                0 when embedded == 0 => NetworkAddressKind.Unspecified,
                0 when embedded == 1 => NetworkAddressKind.Loopback,
                // ::a.b.c.d, the deprecated IPv4-compatible form: never a real destination.
                0 => Blocked(ClassifyV4(embedded)) ?? NetworkAddressKind.Reserved,
                // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated) reach the IPv4 address.
                0x0000FFFF or 0xFFFF0000 => ClassifyV4(embedded),
                _ => NetworkAddressKind.Reserved,
            };
        }

        // 64:ff9b::/96, well-known NAT64: a gateway forwards to the embedded IPv4 address.
        if (high == 0x0064FF9B00000000 && low >> 32 == 0)
        {
            return ClassifyV4(embedded);
        }

        return high switch
        {
            _ when In(high, 0x0064FF9B00010000, 48) => NetworkAddressKind.Private,        // 64:ff9b:1::/48 local-use NAT64
            _ when In(high, 0x0100000000000000, 64) => NetworkAddressKind.Reserved,       // 100::/64 discard-only
            _ when In(high, 0x20010DB800000000, 32) => NetworkAddressKind.Documentation,
            _ when In(high, 0x2001000200000000, 48) => NetworkAddressKind.Benchmarking,
            _ when In(high, 0x2001000000000000, 23) => NetworkAddressKind.Reserved,       // protocol assignments, Teredo tunnels
            // 2002:aabb:ccdd::/48, 6to4: a relay forwards to a.b.c.d.
            _ when In(high, 0x2002000000000000, 16) => Blocked(ClassifyV4((uint)(high >> 16))) ?? NetworkAddressKind.Public,
            _ when In(high, 0x3FFF000000000000, 20) => NetworkAddressKind.Documentation,
            _ when In(high, 0xFC00000000000000, 7) => NetworkAddressKind.UniqueLocal,
            _ when In(high, 0xFE80000000000000, 10) => NetworkAddressKind.LinkLocal,
            _ when In(high, 0xFEC0000000000000, 10) => NetworkAddressKind.Private,         // deprecated site-local
            _ when In(high, 0xFF00000000000000, 8) => NetworkAddressKind.Multicast,
            // Only 2000::/3 is allocated for global unicast; the rest is reserved by the IETF.
            _ when !In(high, 0x2000000000000000, 3) => NetworkAddressKind.Reserved,
            _ => NetworkAddressKind.Public,
        };
    }

    private static NetworkAddressKind? Blocked(NetworkAddressKind kind) => kind == NetworkAddressKind.Public ? null : kind;

    private static bool In(uint address, uint network, int prefixLength) =>
        (address ^ network) >> (32 - prefixLength) == 0;

    private static bool In(ulong high64, ulong network, int prefixLength) =>
        (high64 ^ network) >> (64 - prefixLength) == 0;
}
