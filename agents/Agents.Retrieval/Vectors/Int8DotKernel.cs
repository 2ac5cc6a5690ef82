namespace Agents.Retrieval.Vectors;

/// <summary>The int8 dot-product kernels: unsigned row codes times signed query codes, summed into int32.</summary>
internal enum Int8DotKernel
{
    /// <summary>Portable: widens to int16, multiplies, widens the products to int32.</summary>
    Vector128,

    /// <summary>Zero-extends 16 codes to int16 and multiply-adds pairs into int32 (<c>vpmaddwd</c>).</summary>
    Avx2,

    /// <summary>The same with 32 codes a step.</summary>
    Avx512BW,

    /// <summary>Multiplies 32 code pairs and adds them by fours into int32 in one instruction (<c>vpdpbusd</c>).</summary>
    AvxVnni,
}
