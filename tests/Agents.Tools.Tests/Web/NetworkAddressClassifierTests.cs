using System.Net;
using Agents.Tools.Web;

namespace Agents.Tools.Tests.Web;

public sealed class NetworkAddressClassifierTests
{
    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_public(string address) =>
        Assert.Equal(NetworkAddressKind.Public, NetworkAddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("0.0.0.0", NetworkAddressKind.Unspecified)]
    [InlineData("::", NetworkAddressKind.Unspecified)]
    [InlineData("0.255.255.255", NetworkAddressKind.ThisNetwork)]
    [InlineData("127.0.0.1", NetworkAddressKind.Loopback)]
    [InlineData("127.255.255.254", NetworkAddressKind.Loopback)]
    [InlineData("::1", NetworkAddressKind.Loopback)]
    [InlineData("10.255.255.255", NetworkAddressKind.Private)]
    [InlineData("172.16.0.0", NetworkAddressKind.Private)]
    [InlineData("172.31.255.255", NetworkAddressKind.Private)]
    [InlineData("192.168.0.1", NetworkAddressKind.Private)]
    [InlineData("fec0::1", NetworkAddressKind.Private)]
    [InlineData("100.64.0.0", NetworkAddressKind.SharedAddressSpace)]
    [InlineData("100.127.255.255", NetworkAddressKind.SharedAddressSpace)]
    [InlineData("169.254.169.254", NetworkAddressKind.LinkLocal)]
    [InlineData("fe80::1", NetworkAddressKind.LinkLocal)]
    [InlineData("febf::1", NetworkAddressKind.LinkLocal)]
    [InlineData("fd00:ec2::254", NetworkAddressKind.UniqueLocal)]
    [InlineData("fc00::", NetworkAddressKind.UniqueLocal)]
    [InlineData("224.0.0.251", NetworkAddressKind.Multicast)]
    [InlineData("239.255.255.250", NetworkAddressKind.Multicast)]
    [InlineData("ff05::1:3", NetworkAddressKind.Multicast)]
    [InlineData("255.255.255.255", NetworkAddressKind.Broadcast)]
    [InlineData("192.0.2.10", NetworkAddressKind.Documentation)]
    [InlineData("198.51.100.1", NetworkAddressKind.Documentation)]
    [InlineData("203.0.113.5", NetworkAddressKind.Documentation)]
    [InlineData("2001:db8::1", NetworkAddressKind.Documentation)]
    [InlineData("3fff::1", NetworkAddressKind.Documentation)]
    [InlineData("198.19.255.255", NetworkAddressKind.Benchmarking)]
    [InlineData("2001:2::1", NetworkAddressKind.Benchmarking)]
    [InlineData("192.0.0.8", NetworkAddressKind.Reserved)]
    [InlineData("192.88.99.1", NetworkAddressKind.Reserved)]
    [InlineData("240.0.0.1", NetworkAddressKind.Reserved)]
    [InlineData("2001::1", NetworkAddressKind.Reserved)]
    [InlineData("100::1", NetworkAddressKind.Reserved)]
    [InlineData("4000::1", NetworkAddressKind.Reserved)]
    [InlineData("::8.8.8.8", NetworkAddressKind.Reserved)]
    [InlineData("::1:0:0:1", NetworkAddressKind.Reserved)]
    [InlineData("::ffff:127.0.0.1", NetworkAddressKind.Loopback)]
    [InlineData("::ffff:0:10.1.2.3", NetworkAddressKind.Private)]
    [InlineData("::127.0.0.1", NetworkAddressKind.Loopback)]
    [InlineData("::169.254.169.254", NetworkAddressKind.LinkLocal)]
    [InlineData("64:ff9b::7f00:1", NetworkAddressKind.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", NetworkAddressKind.LinkLocal)]
    [InlineData("64:ff9b:1::8.8.8.8", NetworkAddressKind.Private)]
    [InlineData("2002:c0a8:101::1", NetworkAddressKind.Private)]
    [InlineData("2002:7f00:1::", NetworkAddressKind.Loopback)]
    public void Special_purpose_addresses_get_their_kind(string address, NetworkAddressKind expected) =>
        Assert.Equal(expected, NetworkAddressClassifier.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Scoped_link_local_addresses_are_link_local()
    {
        var scoped = IPAddress.Parse("fe80::1%2");

        Assert.False(NetworkAddressClassifier.IsPublic(scoped));
        Assert.Equal(NetworkAddressKind.LinkLocal, NetworkAddressClassifier.Classify(scoped));
    }

    [Fact]
    public void Every_kind_has_words_for_an_error_message()
    {
        foreach (var kind in Enum.GetValues<NetworkAddressKind>())
        {
            Assert.StartsWith(kind is NetworkAddressKind.Unspecified or NetworkAddressKind.Broadcast ? "the " : "a ", NetworkAddressClassifier.Describe(kind));
        }
    }
}
