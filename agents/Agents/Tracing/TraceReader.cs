using System.Runtime.CompilerServices;
using System.Text.Json;
using Agents.Steps;

namespace Agents.Tracing;

/// <summary>Reads a JSONL trace written by <see cref="JsonlTraceWriter"/> back into steps.</summary>
public static class TraceReader
{
    /// <summary>
    /// Yields the trace's steps in file order. Blank lines are skipped; a line that is not a JSON object
    /// with a numeric <c>seq</c> and a string <c>type</c> throws <see cref="TraceFormatException"/>.
    /// </summary>
    public static async IAsyncEnumerable<TracedStep> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // ReadWrite sharing lets a trace be read while a run is still appending to it.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 4096, useAsync: true);
        using var reader = new StreamReader(stream);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Parse(line, path, lineNumber);
            }
        }
    }

    private static TracedStep Parse(string line, string path, long lineNumber)
    {
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(line);
            json = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException(path, lineNumber, $"not valid JSON ({ex.Message})", ex);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new TraceFormatException(path, lineNumber, "expected a JSON object per line.");
        }

        if (!json.TryGetProperty("seq", out var seqElement) || !seqElement.TryGetInt64(out var seq))
        {
            throw new TraceFormatException(path, lineNumber, "missing a numeric \"seq\".");
        }

        if (!json.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new TraceFormatException(path, lineNumber, "missing a string \"type\".");
        }

        var type = typeElement.GetString()!;
        if (!StepJson.IsKnownType(type))
        {
            return new TracedStep(seq, type, null, json);
        }

        try
        {
            var step = json.Deserialize<AgentStep>(StepJson.Options)
                ?? throw new TraceFormatException(path, lineNumber, $"a \"{type}\" event is empty.");
            return new TracedStep(seq, type, step, json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new TraceFormatException(path, lineNumber, $"not a valid \"{type}\" event ({ex.Message})", ex);
        }
    }
}
