using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.Steps;

/// <summary>Writes durations as milliseconds (the trace's <c>ms</c> fields), to 0.1 ms.</summary>
public sealed class MillisecondsJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromMilliseconds(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalMilliseconds, 1));
}
