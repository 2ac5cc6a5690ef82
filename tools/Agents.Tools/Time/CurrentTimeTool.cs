using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Time;

/// <summary>
/// The <c>current_time</c> tool: the date and time now, in UTC or an IANA time zone. Models do not
/// know the date; this is the smallest tool that makes their answers depend on the real world.
/// </summary>
public sealed class CurrentTimeTool
{
    private readonly TimeProvider _time;

    public CurrentTimeTool(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    [KernelFunction("current_time")]
    [Description("Returns the current date and time as ISO 8601 with the day of the week, in UTC or in the given IANA time zone.")]
    public string CurrentTime(
        [Description("An IANA time zone such as Europe/Paris or America/New_York; UTC when omitted.")] string? timeZone = null)
    {
        var now = _time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(timeZone))
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            {
                throw new ArgumentException($"Unknown time zone '{timeZone}'; use an IANA id such as Europe/Paris, or omit it for UTC.");
            }

            now = TimeZoneInfo.ConvertTime(now, zone);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{now:yyyy-MM-ddTHH:mm:sszzz} ({now.DayOfWeek})");
    }

    /// <summary>The tool as a Semantic Kernel function, ready for <see cref="AgentOptions.Tools"/>.</summary>
    public static KernelFunction CreateFunction(TimeProvider? timeProvider = null)
    {
        var tool = new CurrentTimeTool(timeProvider);
        return KernelFunctionFactory.CreateFromMethod(tool.CurrentTime, functionName: "current_time");
    }
}
