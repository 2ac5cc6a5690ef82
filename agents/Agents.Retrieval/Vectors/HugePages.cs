using System.Runtime.InteropServices;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Asks Linux to back a large block with 2 MB pages before it is first written. Filling a 150 MB vector matrix
/// otherwise takes one page fault per 4 KB page (about 38,000, each costly under virtualisation), and the kernels'
/// scans then miss the TLB on every new page; with 2 MB pages both nearly vanish. Elsewhere, and where transparent
/// huge pages are switched off, the advice does nothing.
/// </summary>
internal static partial class HugePages
{
    private const nuint Size = 2 << 20;
    private const int MadviseHugePage = 14;

    private static bool s_available = true;

    public static unsafe void Advise(void* start, long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes < 2 * (long)Size)
        {
            return;
        }

        // Only the whole 2 MB pages inside the block; madvise wants page-aligned ranges.
        var first = ((nuint)start + Size - 1) & ~(Size - 1);
        var end = ((nuint)start + (nuint)bytes) & ~(Size - 1);
        if (end > first && s_available)
        {
            try
            {
                // Advice only: when the kernel declines (huge pages off, no memory to spare) the block works as before.
                _ = Madvise(first, end - first, MadviseHugePage);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // A C library without madvise under that name: blocks keep the kernel's default pages.
                s_available = false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
