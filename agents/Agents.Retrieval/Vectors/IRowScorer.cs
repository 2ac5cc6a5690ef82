namespace Agents.Retrieval.Vectors;

/// <summary>Scores consecutive rows against one query; a struct, so the scan loop is compiled once per scorer with the call inlined.</summary>
internal unsafe interface IRowScorer
{
    /// <summary>Bytes of the block one row's score reads, which decides whether a scan is worth a second thread.</summary>
    int BytesPerRow { get; }

    /// <summary>Writes the scores of rows <paramref name="firstRow"/> to <paramref name="firstRow"/> + <paramref name="count"/> - 1 (at most <see cref="RowScan.ChunkRows"/>).</summary>
    void Score(int firstRow, int count, float* scores);
}
