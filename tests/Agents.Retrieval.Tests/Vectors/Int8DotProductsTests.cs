using System.Runtime.InteropServices;
using Agents.Retrieval.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

public class Int8DotProductsTests
{
    // Kernels by name: the kernel enum is internal, and theory parameters of public tests must be public.
    public static TheoryData<string> Kernels() => new(Enum.GetValues<Int8DotKernel>().Where(Int8DotProducts.IsSupported).Select(kernel => kernel.ToString()));

    [Theory]
    [MemberData(nameof(Kernels))]
    public unsafe void EveryKernelComputesTheExactIntegerDotProducts(string kernel)
    {
        // 10 rows: two whole blocks of four and half a block; ranges that start and end inside blocks.
        const int Rows = 10;
        var dots = stackalloc int[Rows];
        var random = new Random(1);
        foreach (var stride in new[] { 64, 128, 448 })
        {
            var codes = new byte[Rows, stride];
            var blocks = (byte*)NativeMemory.AlignedAlloc((nuint)(12 * stride), 64);
            var query = (sbyte*)NativeMemory.AlignedAlloc((nuint)stride, 64);
            var wideQuery = (short*)NativeMemory.AlignedAlloc((nuint)(stride * sizeof(short)), 64);
            try
            {
                new Span<byte>(blocks, 12 * stride).Fill(128);
                for (var row = 0; row < Rows; row++)
                {
                    for (var code = 0; code < stride; code++)
                    {
                        codes[row, code] = code % 97 == 0 ? (byte)255 : (byte)random.Next(1, 256);
                        blocks[Int8DotProducts.Offset(row, code, stride)] = codes[row, code];
                    }
                }

                for (var code = 0; code < stride; code++)
                {
                    query[code] = code % 31 == 0 ? (sbyte)-127 : (sbyte)random.Next(-127, 128);
                    wideQuery[code] = query[code];
                }

                foreach (var (first, count) in new[] { (0, 10), (1, 7), (5, 1), (3, 2), (8, 2) })
                {
                    Int8DotProducts.Score(Enum.Parse<Int8DotKernel>(kernel), query, wideQuery, blocks, stride, first, count, dots);

                    for (var i = 0; i < count; i++)
                    {
                        var expected = 0;
                        for (var code = 0; code < stride; code++)
                        {
                            expected += codes[first + i, code] * query[code];
                        }

                        Assert.Equal(expected, dots[i]);
                    }
                }
            }
            finally
            {
                NativeMemory.AlignedFree(blocks);
                NativeMemory.AlignedFree(query);
                NativeMemory.AlignedFree(wideQuery);
            }
        }
    }
}
