namespace Agents.Testing.Models;

/// <summary>Something <see cref="FakeModelHub"/> does wrong to the next request for a file, once.</summary>
public abstract record HubFault
{
    private HubFault()
    {
    }

    /// <summary>Sends the headers of a normal response, then this many body bytes, then drops the connection.</summary>
    public static HubFault CutAfter(long bytes) => new Cut(bytes);

    /// <summary>Sends the headers of a normal response and this many body bytes, then nothing more until the client gives up.</summary>
    public static HubFault StallAfter(long bytes) => new Stall(bytes);

    /// <summary>Answers with this status and no body.</summary>
    public static HubFault Status(int statusCode) => new StatusCode(statusCode);

    /// <summary>Claims this Content-Length, sends a few bytes, and drops the connection.</summary>
    public static HubFault ClaimLength(long length) => new Claim(length);

    internal sealed record Cut(long Bytes) : HubFault;

    internal sealed record Stall(long Bytes) : HubFault;

    internal sealed record StatusCode(int Code) : HubFault;

    internal sealed record Claim(long Length) : HubFault;
}
