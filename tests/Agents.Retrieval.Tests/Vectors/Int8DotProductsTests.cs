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
        // 9 rows: two blocks of four and a block with one row; extremes included.
        const int Rows = 9;
        var dots = stackalloc int[Rows];
        var random = new Random(1);
        foreach (var stride in new[] { 64, 128, 448 })
        {
            var rows = (byte*)NativeMemory.AlignedAlloc((nuint)(Rows * stride), 64);
            var query = (sbyte*)NativeMemory.AlignedAlloc((nuint)stride, 64);
            var wideQuery = (short*)NativeMemory.AlignedAlloc((nuint)(stride * sizeof(short)), 64);
            try
            {
                for (var i = 0; i < Rows * stride; i++)
                {
                    rows[i] = i % 97 == 0 ? (byte)255 : (byte)random.Next(1, 256);
                }

                for (var i = 0; i < stride; i++)
                {
                    query[i] = i % 31 == 0 ? (sbyte)-127 : (sbyte)random.Next(-127, 128);
                    wideQuery[i] = query[i];
                }

                Int8DotProducts.Score(Enum.Parse<Int8DotKernel>(kernel), query, wideQuery, rows, stride, Rows, dots);

                for (var row = 0; row < Rows; row++)
                {
                    var expected = 0;
                    for (var i = 0; i < stride; i++)
                    {
                        expected += rows[(row * stride) + i] * query[i];
                    }

                    Assert.Equal(expected, dots[row]);
                }
            }
            finally
            {
                NativeMemory.AlignedFree(rows);
                NativeMemory.AlignedFree(query);
                NativeMemory.AlignedFree(wideQuery);
            }
        }
    }
}
