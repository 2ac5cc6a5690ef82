namespace Agents.Playground.Hosting;

/// <summary>How the console reads a model server's URL and key from flags and the environment.</summary>
internal static class ServerSettings
{
    /// <summary>The server URL from AGENTS_ENDPOINT, else OPENAI_BASE_URL; null when neither is set.</summary>
    public static Uri? EndpointFromEnvironment(Func<string, string?> environment) =>
        Url(NonEmpty(environment("AGENTS_ENDPOINT")), "AGENTS_ENDPOINT") ?? Url(NonEmpty(environment("OPENAI_BASE_URL")), "OPENAI_BASE_URL");

    /// <summary>The key from AGENTS_API_KEY, else OPENAI_API_KEY; null when neither is set.</summary>
    public static string? ApiKeyFromEnvironment(Func<string, string?> environment) =>
        NonEmpty(environment("AGENTS_API_KEY")) ?? NonEmpty(environment("OPENAI_API_KEY"));

    /// <summary>Parses a server URL given by <paramref name="source"/> (a flag or variable name).</summary>
    /// <exception cref="UsageException">Not an absolute http(s) URL.</exception>
    public static Uri? Url(string? value, string source)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{source} '{value}' is not an http(s) URL; give the server's base URL, e.g. http://localhost:11434/v1.");
    }

    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
