namespace Agents.Onnx.Models;

/// <summary>A folder is not a model this library reads, or its files are missing or malformed; the message is one sentence naming the file and what to do.</summary>
public sealed class ModelFolderException(string message, Exception? innerException = null) : Exception(message, innerException);
