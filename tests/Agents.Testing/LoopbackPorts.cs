using System.Net;
using System.Net.Sockets;

namespace Agents.Testing;

/// <summary>Loopback ports for tests that need a server to be absent.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was just free and is closed again: nothing listens there, so connections are refused at once.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
