using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Integer dot products of one query's codes with rows of a <see cref="QuantizedVectorIndex"/> block:
/// <c>dots[i] = Σ row[d] · query[d]</c>, rows unsigned bytes, the query signed (as bytes for <c>vpdpbusd</c>, as
/// int16 for the widening kernels). Every kernel computes the same exact integers.
/// </summary>
/// <remarks>
/// <para>
/// The codes are stored four rows interleaved a cache line at a time (see <see cref="Offset"/>), and the kernels
/// score four rows together: each query register is loaded once for four rows, one accumulator a row, the four sums
/// come out of one horizontal-add tree, and memory is still read in one sequential stream. A row is only 384 bytes at
/// 384 dimensions, so per-row work weighs more than in the float kernels; on the AMD EPYC of issue 5 one row at a time
/// ran at 0.55× of the int8 read bound, four rows stored apart and read side by side at 0.7×, four rows interleaved
/// at 0.95×.
/// </para>
/// <para>
/// Blocks and query are 64-byte aligned, <c>stride</c> a multiple of 64 codes whose padding is the code of zero in
/// the rows and zero in the query. A product is at most 255 · 127, which fits int16, so the portable kernel may
/// multiply in int16 before widening.
/// </para>
/// </remarks>
internal static unsafe class Int8DotProducts
{
    /// <summary>Rows interleaved in one block.</summary>
    public const int BlockRows = 4;

    /// <summary>Codes of one row stored together: one cache line.</summary>
    public const int UnitCodes = 64;

    /// <summary>Bytes from one of a row's units to its next.</summary>
    public const int UnitStride = BlockRows * UnitCodes;

    public static Int8DotKernel Fastest { get; } =
        AvxVnni.IsSupported ? Int8DotKernel.AvxVnni
        : Avx512BW.IsSupported ? Int8DotKernel.Avx512BW
        : Avx2.IsSupported ? Int8DotKernel.Avx2
        : Int8DotKernel.Vector128;

    public static bool IsSupported(Int8DotKernel kernel) => kernel switch
    {
        Int8DotKernel.AvxVnni => AvxVnni.IsSupported,
        Int8DotKernel.Avx512BW => Avx512BW.IsSupported,
        Int8DotKernel.Avx2 => Avx2.IsSupported,
        _ => true,
    };

    /// <summary>
    /// Where code <paramref name="code"/> of row <paramref name="row"/> is stored: rows in blocks of four, a block
    /// <c>4 · stride</c> bytes, in it the rows' first 64 codes (row 0, 1, 2, 3), then their next 64, and so on.
    /// </summary>
    public static nint Offset(int row, int code, int stride) =>
        ((nint)(row / BlockRows) * BlockRows * stride) + ((nint)(code / UnitCodes) * UnitStride) + ((row % BlockRows) * UnitCodes) + (code % UnitCodes);

    /// <summary><c>dots[i] = dot(row firstRow + i)</c> for <c>i</c> below <paramref name="count"/>; <paramref name="blocks"/> is the start of block 0.</summary>
    public static void Score(Int8DotKernel kernel, sbyte* query, short* wideQuery, byte* blocks, int stride, int firstRow, int count, int* dots)
    {
        switch (kernel)
        {
            case Int8DotKernel.AvxVnni:
                Score<VnniLanes, Vector256<sbyte>, Vector256<int>>(query, wideQuery, blocks, stride, firstRow, count, dots);
                break;
            case Int8DotKernel.Avx512BW:
                Score<Avx512BWLanes, Vector512<short>, Vector512<int>>(query, wideQuery, blocks, stride, firstRow, count, dots);
                break;
            case Int8DotKernel.Avx2:
                Score<Avx2Lanes, Vector256<short>, Vector256<int>>(query, wideQuery, blocks, stride, firstRow, count, dots);
                break;
            default:
                Score<PortableLanes, Vector128<short>, Vector128<int>>(query, wideQuery, blocks, stride, firstRow, count, dots);
                break;
        }
    }

    /// <summary>Whole blocks; the rows of a block outside the range asked for are scored and dropped, so every row goes through the same code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score<TLanes, TQuery, TAccumulator>(sbyte* query, short* wideQuery, byte* blocks, int stride, int firstRow, int count, int* dots)
        where TLanes : struct, ILanes<TQuery, TAccumulator>
        where TQuery : struct
        where TAccumulator : struct
    {
        var end = firstRow + count;
        for (var row = firstRow / BlockRows * BlockRows; row < end; row += BlockRows)
        {
            var block = blocks + ((nint)row * stride);
            ReadAhead.Prefetch(block);
            TAccumulator a0 = default, a1 = default, a2 = default, a3 = default;
            for (var unit = 0; unit < stride; unit += UnitCodes)
            {
                var codes = block + (BlockRows * unit);
                for (var i = 0; i < UnitCodes; i += TLanes.Codes)
                {
                    var q = TLanes.LoadQuery(query + unit + i, wideQuery + unit + i);
                    a0 = TLanes.MultiplyAdd(codes + i, q, a0);
                    a1 = TLanes.MultiplyAdd(codes + UnitCodes + i, q, a1);
                    a2 = TLanes.MultiplyAdd(codes + (2 * UnitCodes) + i, q, a2);
                    a3 = TLanes.MultiplyAdd(codes + (3 * UnitCodes) + i, q, a3);
                }
            }

            var sums = Sums(TLanes.Fold(a0), TLanes.Fold(a1), TLanes.Fold(a2), TLanes.Fold(a3));
            if (row >= firstRow && row + BlockRows <= end)
            {
                sums.Store(dots + (row - firstRow));
                continue;
            }

            for (var k = Math.Max(0, firstRow - row); k < BlockRows && row + k < end; k++)
            {
                dots[row + k - firstRow] = sums[k];
            }
        }
    }

    /// <summary>The four vectors' sums, in that order.</summary>
    private static Vector128<int> Sums(Vector128<int> a0, Vector128<int> a1, Vector128<int> a2, Vector128<int> a3)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.HorizontalAdd(Ssse3.HorizontalAdd(a0, a1), Ssse3.HorizontalAdd(a2, a3));
        }

        return Vector128.Create(Vector128.Sum(a0), Vector128.Sum(a1), Vector128.Sum(a2), Vector128.Sum(a3));
    }

    private interface ILanes<TQuery, TAccumulator>
        where TQuery : struct
        where TAccumulator : struct
    {
        /// <summary>Codes consumed per step.</summary>
        static abstract int Codes { get; }

        static abstract TQuery LoadQuery(sbyte* query, short* wideQuery);

        static abstract TAccumulator MultiplyAdd(byte* row, TQuery query, TAccumulator accumulator);

        /// <summary>Adds the accumulator's halves down to 128 bits.</summary>
        static abstract Vector128<int> Fold(TAccumulator accumulator);
    }

    private readonly struct VnniLanes : ILanes<Vector256<sbyte>, Vector256<int>>
    {
        public static int Codes => Vector256<byte>.Count;

        public static Vector256<sbyte> LoadQuery(sbyte* query, short* wideQuery) => Vector256.LoadAligned(query);

        public static Vector256<int> MultiplyAdd(byte* row, Vector256<sbyte> query, Vector256<int> accumulator) =>
            AvxVnni.MultiplyWideningAndAdd(accumulator, Vector256.LoadAligned(row), query);

        public static Vector128<int> Fold(Vector256<int> accumulator) => accumulator.GetLower() + accumulator.GetUpper();
    }

    private readonly struct Avx512BWLanes : ILanes<Vector512<short>, Vector512<int>>
    {
        public static int Codes => Vector512<short>.Count;

        public static Vector512<short> LoadQuery(sbyte* query, short* wideQuery) => Vector512.LoadAligned(wideQuery);

        public static Vector512<int> MultiplyAdd(byte* row, Vector512<short> query, Vector512<int> accumulator) =>
            accumulator + Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadAligned(row)), query);

        public static Vector128<int> Fold(Vector512<int> accumulator)
        {
            var half = accumulator.GetLower() + accumulator.GetUpper();
            return half.GetLower() + half.GetUpper();
        }
    }

    private readonly struct Avx2Lanes : ILanes<Vector256<short>, Vector256<int>>
    {
        public static int Codes => Vector256<short>.Count;

        public static Vector256<short> LoadQuery(sbyte* query, short* wideQuery) => Vector256.LoadAligned(wideQuery);

        public static Vector256<int> MultiplyAdd(byte* row, Vector256<short> query, Vector256<int> accumulator) =>
            accumulator + Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadAligned(row)), query);

        public static Vector128<int> Fold(Vector256<int> accumulator) => accumulator.GetLower() + accumulator.GetUpper();
    }

    private readonly struct PortableLanes : ILanes<Vector128<short>, Vector128<int>>
    {
        public static int Codes => Vector128<short>.Count;

        public static Vector128<short> LoadQuery(sbyte* query, short* wideQuery) => Vector128.LoadAligned(wideQuery);

        public static Vector128<int> MultiplyAdd(byte* row, Vector128<short> query, Vector128<int> accumulator)
        {
            var codes = Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(ulong*)row).AsByte()).AsInt16();
            var products = codes * query;
            return accumulator + Vector128.WidenLower(products) + Vector128.WidenUpper(products);
        }

        public static Vector128<int> Fold(Vector128<int> accumulator) => accumulator;
    }
}
