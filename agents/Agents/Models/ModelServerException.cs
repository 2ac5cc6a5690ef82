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

    internal static ModelServerException ConnectionFailed(Uri endpoint, HttpRequestException error, int attempts)
    {
        var socket = FindInner<SocketException>(error);
        var reason = Describe(error, socket);
        var neverConnected = socket?.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData
                or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.TimedOut
            || error.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;
        var message = neverConnected
            ? $"Could not reach the model server at {endpoint}: {reason}. Check the endpoint and that the server is running."
            : $"The model server at {endpoint} broke off the connection ({reason}) after {Attempts(attempts)}; try again later or check the server's logs.";
        return new(message, endpoint, innerException: error);
    }

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

    private static string Describe(HttpRequestException error, SocketException? socket) =>
        socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.ConnectionReset => "connection reset",
            SocketError.ConnectionAborted => "connection aborted",
            SocketError.TimedOut => "the connection timed out",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no network route to the host",
            not null => socket.Message.TrimEnd('.'),
            null => error.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "host not found",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                HttpRequestError.ResponseEnded => "the response ended early",
                HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
                _ => (error.InnerException ?? error).Message.TrimEnd('.'),
            },
        };

    private static T? FindInner<T>(Exception error)
        where T : Exception
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";
}
