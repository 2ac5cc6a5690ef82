using System.Buffers;
using System.Text.Json;
using Agents.Steps;

namespace Agents.Tracing;

/// <summary>
/// Writes a run's steps as JSON Lines, one step per line, numbered by <c>seq</c> from 1. Each line is
/// flushed as it is written, so a run that crashes leaves every step before the crash on disk.
/// <see cref="TextDeltaStep"/>s are skipped: the <see cref="AnswerStep"/> carries the whole text.
/// </summary>
public sealed class JsonlTraceWriter : IAsyncDisposable
{
    private static readonly byte[] s_seqPrefix = "{\"seq\":"u8.ToArray();

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new();

    // Steps are serialized into one reused buffer and writer, so a line costs no allocation of its own.
    private readonly ArrayBufferWriter<byte> _json = new();
    private readonly Utf8JsonWriter _jsonWriter;
    private long _seq;

    /// <param name="stream">Where lines go; left open on dispose.</param>
    /// <param name="timeProvider">Stamps steps that arrive without a timestamp; the system clock by default.</param>
    public JsonlTraceWriter(Stream stream, TimeProvider? timeProvider = null)
        : this(stream, ownsStream: false, timeProvider)
    {
    }

    private JsonlTraceWriter(Stream stream, bool ownsStream, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _jsonWriter = new Utf8JsonWriter(_json, new JsonWriterOptions { Encoder = StepJson.Options.Encoder });
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>, and its folder if missing.</summary>
    public static JsonlTraceWriter Create(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 4096, useAsync: true);
        return new JsonlTraceWriter(stream, ownsStream: true, timeProvider);
    }

    /// <summary>How many lines have been written.</summary>
    public long Count => Interlocked.Read(ref _seq);

    /// <summary>Appends <paramref name="step"/> as one line and flushes it; a <see cref="TextDeltaStep"/> is ignored.</summary>
    public async ValueTask WriteAsync(AgentStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (StepJson.TypeOf(step) is null)
        {
            return;
        }

        if (step.Timestamp == default)
        {
            step = step with { Timestamp = _timeProvider.GetUtcNow() };
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _buffer.ResetWrittenCount();
            var seq = _seq + 1;

            // The serializer writes {"type":...,"ts":...,...}; splicing "seq" in front keeps one
            // serialization pass per line and puts the line number first, where readers look for it.
            _json.ResetWrittenCount();
            _jsonWriter.Reset(_json);
            JsonSerializer.Serialize(_jsonWriter, step, StepJson.Options);
            _jsonWriter.Flush();
            _buffer.Write(s_seqPrefix);
            WriteNumber(seq);
            _buffer.Write(","u8);
            _buffer.Write(_json.WrittenSpan[1..]);
            _buffer.Write("\n"u8);

            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _seq, seq);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
        await _jsonWriter.DisposeAsync().ConfigureAwait(false);
    }

    private void WriteNumber(long value)
    {
        var span = _buffer.GetSpan(20);
        value.TryFormat(span, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        _buffer.Advance(written);
    }
}
