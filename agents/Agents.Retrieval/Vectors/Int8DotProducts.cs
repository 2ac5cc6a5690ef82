using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Integer dot products of one query's codes with consecutive rows of a <see cref="QuantizedVectorIndex"/> block,
/// through <see cref="RowBlocks"/>: <c>dots[i] = Σ rows_i[d] · query[d]</c>, rows unsigned bytes, the query signed
/// (as bytes for <c>vpdpbusd</c>, as int16 for the widening kernels). Every kernel computes the same exact integers.
/// </summary>
/// <remarks>
/// Rows and query are 64-byte aligned, <c>stride</c> a multiple of 64 codes whose padding is the code of zero in
/// the rows and zero in the query. A product is at most 255 · 127, which fits int16, so the portable kernel may
/// multiply in int16 before widening.
/// </remarks>
internal static unsafe class Int8DotProducts
{
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

    public static void Score(Int8DotKernel kernel, sbyte* query, short* wideQuery, byte* rows, int stride, int count, int* dots)
    {
        switch (kernel)
        {
            case Int8DotKernel.AvxVnni:
                RowBlocks.Score(new RowDot<VnniLanes, Vector256<sbyte>, Vector256<int>>(query, wideQuery, stride), rows, stride, count, dots);
                break;
            case Int8DotKernel.Avx512BW:
                RowBlocks.Score(new RowDot<Avx512BWLanes, Vector512<short>, Vector512<int>>(query, wideQuery, stride), rows, stride, count, dots);
                break;
            case Int8DotKernel.Avx2:
                RowBlocks.Score(new RowDot<Avx2Lanes, Vector256<short>, Vector256<int>>(query, wideQuery, stride), rows, stride, count, dots);
                break;
            default:
                RowBlocks.Score(new RowDot<PortableLanes, Vector128<short>, Vector128<int>>(query, wideQuery, stride), rows, stride, count, dots);
                break;
        }
    }

    /// <summary>Two accumulators; two steps are at most 64 codes and the stride a multiple of 64, so no tail.</summary>
    private readonly struct RowDot<TLanes, TQuery, TAccumulator>(sbyte* query, short* wideQuery, int stride) : IRowDot<byte, int>
        where TLanes : struct, ILanes<TQuery, TAccumulator>
        where TQuery : struct
        where TAccumulator : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<int> Dot(byte* row)
        {
            TAccumulator a0 = default, a1 = default;
            for (var i = 0; i < stride; i += 2 * TLanes.Codes)
            {
                a0 = TLanes.MultiplyAdd(row + i, TLanes.LoadQuery(query + i, wideQuery + i), a0);
                a1 = TLanes.MultiplyAdd(row + i + TLanes.Codes, TLanes.LoadQuery(query + i + TLanes.Codes, wideQuery + i + TLanes.Codes), a1);
            }

            return TLanes.Fold(TLanes.Add(a0, a1));
        }
    }

    private interface ILanes<TQuery, TAccumulator>
        where TQuery : struct
        where TAccumulator : struct
    {
        /// <summary>Codes consumed per step.</summary>
        static abstract int Codes { get; }

        static abstract TQuery LoadQuery(sbyte* query, short* wideQuery);

        static abstract TAccumulator MultiplyAdd(byte* row, TQuery query, TAccumulator accumulator);

        static abstract TAccumulator Add(TAccumulator left, TAccumulator right);

        /// <summary>Adds the accumulator's halves down to 128 bits.</summary>
        static abstract Vector128<int> Fold(TAccumulator accumulator);
    }

    private readonly struct VnniLanes : ILanes<Vector256<sbyte>, Vector256<int>>
    {
        public static int Codes => Vector256<byte>.Count;

        public static Vector256<sbyte> LoadQuery(sbyte* query, short* wideQuery) => Vector256.LoadAligned(query);

        public static Vector256<int> MultiplyAdd(byte* row, Vector256<sbyte> query, Vector256<int> accumulator) =>
            AvxVnni.MultiplyWideningAndAdd(accumulator, Vector256.LoadAligned(row), query);

        public static Vector256<int> Add(Vector256<int> left, Vector256<int> right) => left + right;

        public static Vector128<int> Fold(Vector256<int> accumulator) => accumulator.GetLower() + accumulator.GetUpper();
    }

    private readonly struct Avx512BWLanes : ILanes<Vector512<short>, Vector512<int>>
    {
        public static int Codes => Vector512<short>.Count;

        public static Vector512<short> LoadQuery(sbyte* query, short* wideQuery) => Vector512.LoadAligned(wideQuery);

        public static Vector512<int> MultiplyAdd(byte* row, Vector512<short> query, Vector512<int> accumulator) =>
            accumulator + Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadAligned(row)), query);

        public static Vector512<int> Add(Vector512<int> left, Vector512<int> right) => left + right;

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

        public static Vector256<int> Add(Vector256<int> left, Vector256<int> right) => left + right;

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

        public static Vector128<int> Add(Vector128<int> left, Vector128<int> right) => left + right;

        public static Vector128<int> Fold(Vector128<int> accumulator) => accumulator;
    }
}
