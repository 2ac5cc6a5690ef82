using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Vectors;

/// <summary>One row's dot product with a query, summed down to one 128-bit vector; a struct, so <see cref="RowBlocks"/> inlines it.</summary>
internal unsafe interface IRowDot<TElement, TSum>
    where TElement : unmanaged
    where TSum : unmanaged
{
    Vector128<TSum> Dot(TElement* row);
}
