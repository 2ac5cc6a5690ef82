using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Float32 dot products of one query with consecutive rows of a <see cref="VectorMatrix"/> block. Every row goes
/// through the same loop, so a row scores the same bits in a scan, in a re-rank and on any thread.
/// </summary>
/// <remarks>
/// <para>
/// Rows are read one after another. Reading four rows side by side, a register of each in turn, sharing the query
/// loads, measured 6% slower on the AMD EPYC of issue 5 with <see cref="ReadAhead"/> and 40% slower without: the float
/// rows are long enough (1.5 KiB at 384 dimensions) that the query loads cost nothing, and one address stream suits
/// the hardware prefetchers better than four.
/// </para>
/// <para>
/// Query and rows are 64-byte aligned and <c>stride</c> is a multiple of 16 floats whose padding is zero, so every
/// width reads whole registers with aligned loads. One generic loop serves every width: the JIT compiles it once per
/// lane struct, with the lane operations inlined.
/// </para>
/// </remarks>
internal static unsafe class FloatDotProducts
{
    public static FloatDotKernel Widest { get; } =
        Vector512.IsHardwareAccelerated ? FloatDotKernel.Vector512
        : Vector256.IsHardwareAccelerated ? FloatDotKernel.Vector256
        : FloatDotKernel.Vector128;

    public static bool IsSupported(FloatDotKernel kernel) => kernel switch
    {
        FloatDotKernel.Vector512 => Vector512.IsHardwareAccelerated,
        FloatDotKernel.Vector256 => Vector256.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary><c>scores[i] = dot(query, rows + i * stride)</c> for <c>i</c> below <paramref name="count"/>.</summary>
    public static void Score(FloatDotKernel kernel, float* query, float* rows, int stride, int count, float* scores)
    {
        switch (kernel)
        {
            case FloatDotKernel.Vector512:
                Score<Lanes512, Vector512<float>>(query, rows, stride, count, scores);
                break;
            case FloatDotKernel.Vector256:
                Score<Lanes256, Vector256<float>>(query, rows, stride, count, scores);
                break;
            default:
                Score<Lanes128, Vector128<float>>(query, rows, stride, count, scores);
                break;
        }
    }

    /// <summary>
    /// Rows one after another, four accumulators a row so the fused multiply-adds never wait on each other, and a
    /// tail for strides of 16 or 32 floats past a multiple of four registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score<TLanes, TVector>(float* query, float* rows, int stride, int count, float* scores)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        for (var row = 0; row < count; row++)
        {
            var values = rows + ((nint)row * stride);
            ReadAhead.Prefetch(values);
            TVector a0 = default, a1 = default, a2 = default, a3 = default;
            var i = 0;
            for (; i + (4 * TLanes.Count) <= stride; i += 4 * TLanes.Count)
            {
                a0 = TLanes.MultiplyAdd(TLanes.Load(values + i), TLanes.Load(query + i), a0);
                a1 = TLanes.MultiplyAdd(TLanes.Load(values + i + TLanes.Count), TLanes.Load(query + i + TLanes.Count), a1);
                a2 = TLanes.MultiplyAdd(TLanes.Load(values + i + (2 * TLanes.Count)), TLanes.Load(query + i + (2 * TLanes.Count)), a2);
                a3 = TLanes.MultiplyAdd(TLanes.Load(values + i + (3 * TLanes.Count)), TLanes.Load(query + i + (3 * TLanes.Count)), a3);
            }

            for (; i < stride; i += TLanes.Count)
            {
                a0 = TLanes.MultiplyAdd(TLanes.Load(values + i), TLanes.Load(query + i), a0);
            }

            scores[row] = Vector128.Sum(TLanes.Fold(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3))));
        }
    }

    private interface ILanes<TVector>
        where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Load(float* source);

        static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

        static abstract TVector Add(TVector left, TVector right);

        /// <summary>Adds the vector's halves down to 128 bits.</summary>
        static abstract Vector128<float> Fold(TVector vector);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        public static Vector512<float> Load(float* source) => Vector512.LoadAligned(source);

        public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
            Vector512.FusedMultiplyAdd(left, right, addend);

        public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

        public static Vector128<float> Fold(Vector512<float> vector)
        {
            var half = vector.GetLower() + vector.GetUpper();
            return half.GetLower() + half.GetUpper();
        }
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        public static Vector256<float> Load(float* source) => Vector256.LoadAligned(source);

        public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
            Vector256.FusedMultiplyAdd(left, right, addend);

        public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

        public static Vector128<float> Fold(Vector256<float> vector) => vector.GetLower() + vector.GetUpper();
    }

    private readonly struct Lanes128 : ILanes<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        public static Vector128<float> Load(float* source) => Vector128.LoadAligned(source);

        public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) =>
            Vector128.FusedMultiplyAdd(left, right, addend);

        public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

        public static Vector128<float> Fold(Vector128<float> vector) => vector;
    }
}
