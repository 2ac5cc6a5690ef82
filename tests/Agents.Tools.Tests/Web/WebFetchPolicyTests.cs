using System.Net;
using Agents.Tools.Web;

namespace Agents.Tools.Tests.Web;

public sealed class WebFetchPolicyTests
{
    private readonly WebFetchPolicy _policy = new(new WebFetchOptions());

    [Fact]
    public void Refuses_a_redirect_from_https_down_to_http()
    {
        var error = Assert.Throws<WebFetchException>(() =>
            _policy.CheckRedirect(new Uri("https://bank.example/login?session=abc"), new Uri("http://bank.example/login?session=abc")));

        Assert.Equal("Refused the redirect from https://bank.example/login to http://bank.example/login: it would step down from https to http.", error.Message);
        Assert.DoesNotContain("session", error.Message);
    }

    [Theory]
    [InlineData("https://a.example/", "https://b.example/")]
    [InlineData("http://a.example/", "https://a.example/")]
    [InlineData("http://a.example/", "http://b.example/")]
    public void Allows_redirects_that_keep_or_raise_security(string from, string to) =>
        _policy.CheckRedirect(new Uri(from), new Uri(to));

    [Fact]
    public void Allowing_private_networks_opens_them_but_never_unspecified_multicast_or_broadcast()
    {
        var open = new WebFetchPolicy(new WebFetchOptions { AllowPrivateNetworks = true });

        foreach (var reachable in new[] { "127.0.0.1", "::1", "10.1.2.3", "169.254.169.254", "fd00::1", "100.64.0.1" })
        {
            Assert.True(open.IsAllowed(IPAddress.Parse(reachable), out _), reachable);
            Assert.False(_policy.IsAllowed(IPAddress.Parse(reachable), out _), reachable);
        }

        foreach (var never in new[] { "0.0.0.0", "::", "0.1.2.3", "224.0.0.1", "ff02::1", "255.255.255.255" })
        {
            Assert.False(open.IsAllowed(IPAddress.Parse(never), out _), never);
        }

        open.CheckUrl(new Uri("http://localhost:8080/"));
    }

    [Fact]
    public void An_allowed_network_opens_that_network_only_in_either_address_family()
    {
        var options = new WebFetchOptions();
        options.AllowedNetworks.Add(IPNetwork.Parse("10.20.0.0/16"));
        var policy = new WebFetchPolicy(options);

        Assert.True(policy.IsAllowed(IPAddress.Parse("10.20.3.4"), out var kind));
        Assert.Equal(NetworkAddressKind.Private, kind);
        Assert.True(policy.IsAllowed(IPAddress.Parse("::ffff:10.20.3.4"), out _));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.21.0.1"), out _));
        Assert.Throws<WebFetchException>(() => policy.CheckUrl(new Uri("http://localhost/")));
    }
}
