using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Per-dimension scalar quantisation to int8: dimension d maps [-range_d, range_d], its largest magnitude, onto the
/// codes -127…127, stored +128 as unsigned bytes. A query absorbs the ranges (<c>query_d · range_d / 127</c>) and is
/// quantised with one scale of its own, so a row's approximate score is one integer dot product times one float.
/// </summary>
internal sealed unsafe class ScalarQuantizer
{
    public const byte ZeroCode = 128;
    private const float MaxCode = 127;

    /// <summary>A row may exceed a range by this factor before the ranges must grow; the excess is clamped to the end code.</summary>
    private const float RangeTolerance = 1.1f;

    private readonly float[] _range;
    private readonly float[] _queryWeight;

    /// <summary>127 / range_d, zero past the last dimension so a row's zero padding encodes as <see cref="ZeroCode"/>.</summary>
    private readonly AlignedBlock<float> _toCode;

    public ScalarQuantizer(int dimensions, int floatStride)
    {
        _range = new float[dimensions];
        _queryWeight = new float[dimensions];
        _toCode = new AlignedBlock<float>(floatStride);
        _toCode.Slice(0, floatStride).Clear();
    }

    /// <summary>Takes every dimension's range from the matrix's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fit(VectorMatrix matrix)
    {
        var block = matrix.Block;
        using var largest = new AlignedScratch<float>(matrix.Stride);
        for (var row = 0; row < matrix.Count; row++)
        {
            var values = block.Pointer + ((nint)row * matrix.Stride);
            for (var i = 0; i < matrix.Stride; i += Vector128<float>.Count)
            {
                // Max propagates NaN, so a NaN anywhere in a dimension makes its range NaN, refused below.
                Vector128.Max(Vector128.LoadAligned(largest.Pointer + i), Vector128.Abs(Vector128.LoadAligned(values + i))).StoreAligned(largest.Pointer + i);
            }
        }

        GC.KeepAlive(block);
        largest.Span[.._range.Length].CopyTo(_range);
        var toCode = _toCode.Slice(0, _range.Length);
        for (var d = 0; d < _range.Length; d++)
        {
            if (!float.IsFinite(_range[d]))
            {
                throw new ArgumentException($"The matrix holds a value in dimension {d} that is not finite; only finite values can be quantised.", nameof(matrix));
            }

            toCode[d] = _range[d] == 0 ? 0 : MaxCode / _range[d];
            _queryWeight[d] = _range[d] / MaxCode;
        }
    }

    /// <summary>Whether the vector fits the current ranges, up to the tolerated excess.</summary>
    public bool Covers(ReadOnlySpan<float> vector)
    {
        for (var d = 0; d < vector.Length; d++)
        {
            if (Math.Abs(vector[d]) > _range[d] * RangeTolerance)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Codes one padded row: <paramref name="values"/> holds a multiple of 16 floats (the matrix stride), and the
    /// codes go out in units of 64, unit u at <c>codes + u · unitStride</c>, followed by <see cref="ZeroCode"/> up to
    /// <paramref name="codeStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EncodeRow(float* values, int floatStride, byte* codes, int codeStride, int unitStride)
    {
        var toCode = _toCode.Pointer;
        for (var i = 0; i < codeStride; i += 16)
        {
            var destination = codes + ((i / Int8DotProducts.UnitCodes) * unitStride) + (i % Int8DotProducts.UnitCodes);
            if (i >= floatStride)
            {
                Vector128.Create(ZeroCode).StoreAligned(destination);
                continue;
            }

            var low = Vector128.Narrow(Code(values, toCode, i), Code(values, toCode, i + 4));
            var high = Vector128.Narrow(Code(values, toCode, i + 8), Code(values, toCode, i + 12));
            Vector128.Narrow(low.AsUInt16(), high.AsUInt16()).StoreAligned(destination);
        }

        GC.KeepAlive(_toCode);
    }

    /// <summary>
    /// Quantises a query into signed codes, as bytes and as int16. Returns the factor that turns a code dot product
    /// into a score, and what the rows' +128 adds to every code dot product (128 · Σ codes).
    /// </summary>
    public (float Scale, int CodeOffset) EncodeQuery(ReadOnlySpan<float> query, Span<sbyte> codes, Span<short> wideCodes)
    {
        var weighted = new float[query.Length];
        TensorPrimitives.Multiply(query, _queryWeight, weighted);
        var largest = Math.Abs(TensorPrimitives.MaxMagnitude<float>(weighted));
        if (largest == 0)
        {
            return (0, 0);
        }

        var scale = MaxCode / largest;
        var codeSum = 0;
        for (var d = 0; d < weighted.Length; d++)
        {
            var code = (int)MathF.Round(weighted[d] * scale);
            codes[d] = (sbyte)code;
            wideCodes[d] = (short)code;
            codeSum += code;
        }

        return (largest / MaxCode, ZeroCode * codeSum);
    }

    /// <summary>Four values' codes, +128, as int32: round to nearest, clamp to ±127 (values past the range).</summary>
    private static Vector128<int> Code(float* values, float* toCode, int offset) =>
        Vector128.Clamp(
            Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadAligned(values + offset) * Vector128.LoadAligned(toCode + offset))),
            Vector128.Create(-(int)MaxCode),
            Vector128.Create((int)MaxCode)) + Vector128.Create((int)ZeroCode);
}
