using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Agents.Models;

/// <summary>
/// The one retry layer for a hosted model: a Polly pipeline (total timeout → retry → attempt timeout)
/// under the OpenAI SDK, whose own retries are off. Every way of not getting a successful response
/// ends as a <see cref="ModelServerException"/>, so the SDK only ever sees success.
/// </summary>
internal sealed class ModelServerRetryHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<bool> TotalTimeoutFired = new("Agents.Models.TotalTimeoutFired");
    private static readonly ResiliencePropertyKey<int> Attempts = new("Agents.Models.Attempts");

    private readonly Uri _endpoint;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _totalTimeout;
    private readonly TimeSpan _maxRetryAfter;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ModelServerRetryHandler(HostedModelOptions options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Copied, so later changes to the options object cannot change a client already built.
        _endpoint = options.EffectiveEndpoint;
        _attemptTimeout = options.AttemptTimeout;
        _totalTimeout = options.TotalTimeout;
        _maxRetryAfter = options.MaxRetryAfter;
        _timeProvider = options.TimeProvider;
        _pipeline = BuildPipeline(options);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    static (context, state) => state.Handler.SendAttemptAsync(state.Request, context),
                    context,
                    (Handler: this, Request: request)).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex) when (context.Properties.TryGetValue(TotalTimeoutFired, out _))
            {
                throw ModelServerException.TotalTimedOut(_endpoint, _totalTimeout, AttemptsMade(context), ex);
            }
            catch (TimeoutRejectedException ex)
            {
                throw ModelServerException.AttemptTimedOut(_endpoint, _attemptTimeout, AttemptsMade(context), ex);
            }
            catch (HttpRequestException ex)
            {
                throw ModelServerException.ConnectionFailed(_endpoint, ex, AttemptsMade(context));
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await DescribeFailureAsync(response, AttemptsMade(context), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, ResilienceContext context)
    {
        context.Properties.Set(Attempts, AttemptsMade(context) + 1);
        var response = await base.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // A stream is retried only until its headers arrive; from then on the caller is reading it.
            return response;
        }

        try
        {
            // Anything else is read whole within the attempt, so a body that stalls or breaks is retried too.
            await response.Content.LoadIntoBufferAsync(context.CancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(HostedModelOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = options.TotalTimeout,
                OnTimeout = static args =>
                {
                    args.Context.Properties.Set(TotalTimeoutFired, true);
                    return default;
                },
            });
        }

        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                // A server's own Retry-After beats our guess; null falls back to the jittered backoff.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfterHeader.Read(response.Headers, _timeProvider) : null),
            });
        }

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
        }

        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode) && !AsksToWaitTooLong(response, out _),
        _ => false,
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private bool AsksToWaitTooLong(HttpResponseMessage response, out TimeSpan retryAfter)
    {
        retryAfter = RetryAfterHeader.Read(response.Headers, _timeProvider) ?? TimeSpan.Zero;
        return retryAfter > _maxRetryAfter;
    }

    private async Task<ModelServerException> DescribeFailureAsync(HttpResponseMessage response, int attempts, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (IsTransient(response.StatusCode))
        {
            return AsksToWaitTooLong(response, out var retryAfter)
                ? ModelServerException.WaitTooLong(_endpoint, status, retryAfter, _maxRetryAfter)
                : ModelServerException.KeptFailing(_endpoint, status, attempts, RetryAfterHeader.Read(response.Headers, _timeProvider));
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ModelServerException.Refused(_endpoint, status, ErrorMessage(body));
    }

    /// <summary>The reason in an error body: OpenAI's <c>{"error":{"message":…}}</c>, the shapes other servers use, or the text itself.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString();
                    }

                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
                    {
                        return nested.GetString();
                    }
                }

                foreach (var name in (ReadOnlySpan<string>)["message", "detail"])
                {
                    if (root.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        return text.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body itself is the best reason there is.
        }

        const int MaxLength = 300;
        var trimmed = body.Trim();
        return trimmed.Length <= MaxLength ? trimmed : trimmed[..MaxLength] + "…";
    }

    private static int AttemptsMade(ResilienceContext context) => context.Properties.GetValue(Attempts, 0);
}
