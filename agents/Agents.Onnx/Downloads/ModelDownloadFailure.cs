namespace Agents.Onnx.Downloads;

/// <summary>Why a model download failed, for callers that react differently to each.</summary>
public enum ModelDownloadFailure
{
    /// <summary>The server answered 404: wrong URL, repository, revision or path.</summary>
    NotFound,

    /// <summary>The server answered 401 or 403: a gated or private repository, or a token without access.</summary>
    Unauthorized,

    /// <summary>The connection kept breaking, stalling or failing with server errors; the partial file is kept for resuming.</summary>
    Interrupted,

    /// <summary>The downloaded bytes do not have the expected SHA-256 or size; nothing was moved into place.</summary>
    ChecksumMismatch,

    /// <summary>The destination's disk has no room for the file.</summary>
    NoSpace,

    /// <summary>The server answered with a status that retrying will not change, or redirected too often.</summary>
    Refused,

    /// <summary>The source is malformed: a listing with unsafe paths, or a pattern that matches no file.</summary>
    InvalidSource,
}
