using System.Globalization;
using System.Net.Sockets;

namespace Agents.Models;

/// <summary>
/// A hosted model server could not give an answer: unreachable, too slow, failing, rate limited beyond
/// what the options allow, or refusing the request. The message is one sentence naming the server and
/// what to do.
/// </summary>
public sealed class ModelServerException : Exception
{
    public ModelServerException(string message, Uri endpoint, int? statusCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The server's base address.</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP status of the last response, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the server asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    internal static ModelServerException WaitTooLong(Uri endpoint, int statusCode, TimeSpan retryAfter, TimeSpan maxRetryAfter)
    {
        var why = statusCode == 429 ? "rate limited" : $"HTTP {statusCode}";
        return new(
            $"The model server at {endpoint} asked to wait {Seconds(retryAfter)} before retrying ({why}), more than the {Seconds(maxRetryAfter)} allowed; try again later or raise MaxRetryAfter.",
            endpoint,
            statusCode,
            retryAfter);
    }

    internal static ModelServerException KeptFailing(Uri endpoint, int statusCode, int attempts, TimeSpan? retryAfter) =>
        new(
            $"The model server at {endpoint} kept failing (HTTP {statusCode}) after {Attempts(attempts)}; try again later or check the server's logs.",
            endpoint,
            statusCode,
            retryAfter);

    internal static ModelServerException Refused(Uri endpoint, int statusCode, string? serverMessage)
    {
        var detail = string.IsNullOrWhiteSpace(serverMessage) ? "no reason given" : serverMessage.Trim().TrimEnd('.');
        return new($"The model server at {endpoint} refused the request (HTTP {statusCode}): {detail}.", endpoint, statusCode);
    }

    internal static ModelServerException Unreachable(Uri endpoint, HttpRequestException error) =>
        new($"Could not reach the model server at {endpoint}: {Describe(error)}. Check the endpoint and that the server is running.", endpoint, innerException: error);

    internal static ModelServerException AttemptTimedOut(Uri endpoint, TimeSpan attemptTimeout, int attempts, Exception error) =>
        new(
            $"The model server at {endpoint} did not answer within {Seconds(attemptTimeout)} (attempt timeout) in {Attempts(attempts)}; check that the server is up, or raise AttemptTimeout for a slow model.",
            endpoint,
            innerException: error);

    internal static ModelServerException TotalTimedOut(Uri endpoint, TimeSpan totalTimeout, int attempts, Exception error) =>
        new(
            $"The model server at {endpoint} gave no answer within {Seconds(totalTimeout)} (total timeout) over {Attempts(attempts)}; try again later or raise TotalTimeout.",
            endpoint,
            innerException: error);

    private static string Describe(HttpRequestException error)
    {
        if (error.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "the connection timed out",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no network route to the host",
                _ => socket.Message.TrimEnd('.'),
            };
        }

        return error.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before a full response arrived",
            HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
            _ => error.Message.TrimEnd('.'),
        };
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";
}
