using Agents.Models;
using Agents.Onnx;
using Agents.Onnx.Downloads;
using Agents.Onnx.Models;
using Agents.Recipes;
using Agents.Tools.JavaScript;
using Agents.Tools.Sql;
using Agents.Tools.Web;
using Agents.Tracing;

namespace Agents.Playground.Commands;

/// <summary>
/// Runs a command body and turns its failures into the console contract: one sentence on standard
/// error saying what failed and what to do, the matching exit code, a stack trace only with --verbose.
/// </summary>
internal static class FailureReporter
{
    public static async Task<int> RunAsync(Terminal terminal, bool verbose, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RecipeException ex)
        {
            // One line per problem, each already "file:line:col: message".
            foreach (var error in ex.Errors)
            {
                terminal.Error.WriteLine(error.ToString());
            }

            return Report(terminal, verbose, ex, null, ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is UsageException or TraceFormatException)
        {
            return Report(terminal, verbose, ex, ex.Message, ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is ModelServerException or OnnxModelException or JavaScriptToolException or SqlToolException or WebFetchException or ModelDownloadException or ModelFolderException)
        {
            // These already say in one sentence what failed or was refused and what to change.
            return Report(terminal, verbose, ex, ex.Message, ExitCodes.RuntimeFailure);
        }
        catch (OperationCanceledException ex)
        {
            return Report(terminal, verbose, ex, "Cancelled.", ExitCodes.RuntimeFailure);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // File errors name their path, which is what the user needs to fix.
            return Report(terminal, verbose, ex, $"{ex.Message.TrimEnd('.')}.", ExitCodes.RuntimeFailure);
        }
        catch (Exception ex)
        {
            return Report(terminal, verbose, ex, $"{ex.Message.TrimEnd('.')} (rerun with --verbose for details).", ExitCodes.RuntimeFailure);
        }
    }

    private static int Report(Terminal terminal, bool verbose, Exception ex, string? sentence, int exitCode)
    {
        if (sentence is not null)
        {
            terminal.Error.WriteLine(sentence);
        }

        if (verbose)
        {
            terminal.Error.WriteLine(ex.ToString());
        }

        return exitCode;
    }
}
