namespace Agents.Onnx.Chat;

/// <summary>
/// Splits a reply streamed in decoded pieces into the text that may be shown now, a stop sequence that
/// ends it, and the start of tool-call markup that must not be shown as text. Text that could still be
/// the start of a stop sequence or marker is held back until the next piece decides it.
/// </summary>
internal sealed class ReplyScanner(IReadOnlyList<string> stopSequences, string? toolCallMarker)
{
    // Everything a piece's end could be the start of, listed once rather than on every piece.
    private readonly string[] _watched = toolCallMarker is null ? [.. stopSequences] : [.. stopSequences, toolCallMarker];
    private readonly System.Text.StringBuilder _pending = new();
    private readonly System.Text.StringBuilder _toolCallText = new();

    /// <summary>A stop sequence was seen: generation should end and nothing after it is kept.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The reply turned into tool-call markup; everything from the marker on is in <see cref="ToolCallText"/>.</summary>
    public bool InToolCall { get; private set; }

    public string ToolCallText => _toolCallText.ToString();

    /// <summary>Adds a decoded piece and returns the text that is now safe to show.</summary>
    public string Append(string piece)
    {
        if (Stopped)
        {
            return "";
        }

        if (InToolCall)
        {
            _toolCallText.Append(piece);
            return "";
        }

        // Nothing to watch for (no stop sequences, no tools): every piece is shown as it comes.
        if (_watched.Length == 0)
        {
            return piece;
        }

        _pending.Append(piece);
        var text = _pending.ToString();
        var (at, isMarker) = FirstMatch(text);
        if (at >= 0)
        {
            _pending.Clear();
            if (isMarker)
            {
                InToolCall = true;
                _toolCallText.Append(text.AsSpan(at));
            }
            else
            {
                Stopped = true;
            }

            return text[..at];
        }

        var keep = LongestWatchedPrefixAtEnd(text);
        _pending.Remove(0, text.Length - keep);
        return text[..^keep];
    }

    /// <summary>The text still held back when the reply ends (it turned out not to be a stop sequence).</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    private (int At, bool IsMarker) FirstMatch(string text)
    {
        var best = (At: -1, IsMarker: false);
        foreach (var stop in stopSequences)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At))
            {
                best = (at, false);
            }
        }

        if (toolCallMarker is not null)
        {
            var at = text.IndexOf(toolCallMarker, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At))
            {
                best = (at, true);
            }
        }

        return best;
    }

    private int LongestWatchedPrefixAtEnd(string text)
    {
        var longest = 0;
        foreach (var watched in _watched)
        {
            for (var length = Math.Min(watched.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(watched.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
