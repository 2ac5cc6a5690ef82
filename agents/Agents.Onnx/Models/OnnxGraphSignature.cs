namespace Agents.Onnx.Models;

/// <summary>
/// An ONNX file's graph inputs and outputs, read from its protobuf without loading the model: the reader seeks past
/// nodes and initializers (gigabytes of weights in a large model), so describing a model costs a few reads.
/// </summary>
internal sealed record OnnxGraphSignature(IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs, long? OpsetVersion, string? Producer)
{
    // ModelProto, GraphProto, ValueInfoProto, TypeProto and TensorShapeProto field numbers (onnx/onnx.proto3).
    private const int ModelProducerName = 2, ModelGraph = 7, ModelOpsetImport = 8;
    private const int GraphInput = 11, GraphOutput = 12;
    private const int ValueInfoName = 1, ValueInfoType = 2;
    private const int TypeTensor = 1, TensorElemType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int OpsetDomain = 1, OpsetVersionField = 2;

    // Names and shapes are small; a "value info" this large is a corrupt file, not a model.
    private const int MaxSmallMessage = 1 << 20;
    private const int MaxValues = 100_000;

    private static readonly string[] ElementTypes =
    [
        "undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool", "float16", "double",
        "uint32", "uint64", "complex64", "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2",
        "float8e5m2fnuz", "uint4", "int4", "float4e2m1",
    ];

    /// <exception cref="ModelFolderException">The file is missing or is not an ONNX model.</exception>
    public static OnnxGraphSignature Read(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFolderException($"'{path}' is missing; the model folder is incomplete, so pull it again.", ex);
        }

        using (stream)
        {
            try
            {
                return ReadModel(new ProtobufReader(stream, stream.Length));
            }
            catch (InvalidDataException ex)
            {
                throw new ModelFolderException($"'{path}' is not a readable ONNX model ({ex.Message}); the file is corrupt or truncated, so pull it again.", ex);
            }
        }
    }

    private static OnnxGraphSignature ReadModel(ProtobufReader model)
    {
        List<OnnxValueInfo>? inputs = null, outputs = null;
        string? producer = null;
        long? opset = null;
        while (model.TryReadField(out var field, out var wireType))
        {
            switch (field)
            {
                case ModelProducerName when wireType == ProtobufReader.LengthDelimited:
                    producer = model.ReadString(MaxSmallMessage);
                    break;
                case ModelOpsetImport when wireType == ProtobufReader.LengthDelimited:
                    var (domain, version) = ReadOpset(model.ReadMessage(MaxSmallMessage));
                    if (domain is "" or "ai.onnx")
                    {
                        opset = version;
                    }

                    break;
                case ModelGraph when wireType == ProtobufReader.LengthDelimited:
                    var graph = model.EnterMessage();
                    (inputs, outputs) = ReadGraph(graph);
                    model.Leave(graph);
                    break;
                default:
                    model.Skip(wireType);
                    break;
            }
        }

        if (inputs is null || outputs is null || outputs.Count == 0)
        {
            throw new InvalidDataException("it has no graph with inputs and outputs");
        }

        return new OnnxGraphSignature(inputs, outputs, opset, string.IsNullOrEmpty(producer) ? null : producer);
    }

    private static (List<OnnxValueInfo> Inputs, List<OnnxValueInfo> Outputs) ReadGraph(ProtobufReader graph)
    {
        var (inputs, outputs) = (new List<OnnxValueInfo>(), new List<OnnxValueInfo>());
        while (graph.TryReadField(out var field, out var wireType))
        {
            if (field is GraphInput or GraphOutput && wireType == ProtobufReader.LengthDelimited)
            {
                var list = field == GraphInput ? inputs : outputs;
                if (list.Count == MaxValues)
                {
                    throw new InvalidDataException($"its graph lists more than {MaxValues:N0} inputs or outputs");
                }

                list.Add(ReadValueInfo(graph.ReadMessage(MaxSmallMessage)));
            }
            else
            {
                graph.Skip(wireType);
            }
        }

        return (inputs, outputs);
    }

    private static OnnxValueInfo ReadValueInfo(ProtobufReader value)
    {
        string? name = null, elementType = null;
        var shape = new List<string>();
        while (value.TryReadField(out var field, out var wireType))
        {
            if (field == ValueInfoName && wireType == ProtobufReader.LengthDelimited)
            {
                name = value.ReadString(MaxSmallMessage);
            }
            else if (field == ValueInfoType && wireType == ProtobufReader.LengthDelimited)
            {
                var type = value.ReadMessage(MaxSmallMessage);
                while (type.TryReadField(out var typeField, out var typeWire))
                {
                    if (typeField == TypeTensor && typeWire == ProtobufReader.LengthDelimited)
                    {
                        (elementType, shape) = ReadTensorType(type.ReadMessage(MaxSmallMessage));
                    }
                    else
                    {
                        type.Skip(typeWire);
                    }
                }
            }
            else
            {
                value.Skip(wireType);
            }
        }

        return new OnnxValueInfo(name ?? throw new InvalidDataException("a graph input or output has no name"), elementType, shape);
    }

    private static (string ElementType, List<string> Shape) ReadTensorType(ProtobufReader tensor)
    {
        var (elementType, shape) = (0L, new List<string>());
        while (tensor.TryReadField(out var field, out var wireType))
        {
            if (field == TensorElemType && wireType == ProtobufReader.Varint)
            {
                elementType = tensor.ReadVarint();
            }
            else if (field == TensorShape && wireType == ProtobufReader.LengthDelimited)
            {
                var dims = tensor.ReadMessage(MaxSmallMessage);
                while (dims.TryReadField(out var dimField, out var dimWire))
                {
                    if (dimField == ShapeDim && dimWire == ProtobufReader.LengthDelimited)
                    {
                        shape.Add(ReadDimension(dims.ReadMessage(MaxSmallMessage)));
                    }
                    else
                    {
                        dims.Skip(dimWire);
                    }
                }
            }
            else
            {
                tensor.Skip(wireType);
            }
        }

        return (elementType >= 0 && elementType < ElementTypes.Length ? ElementTypes[elementType] : $"type{elementType}", shape);
    }

    private static string ReadDimension(ProtobufReader dim)
    {
        var text = "?";
        while (dim.TryReadField(out var field, out var wireType))
        {
            if (field == DimValue && wireType == ProtobufReader.Varint)
            {
                text = dim.ReadVarint().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (field == DimParam && wireType == ProtobufReader.LengthDelimited)
            {
                text = dim.ReadString(MaxSmallMessage);
            }
            else
            {
                dim.Skip(wireType);
            }
        }

        return text;
    }

    private static (string Domain, long Version) ReadOpset(ProtobufReader opset)
    {
        var (domain, version) = ("", 0L);
        while (opset.TryReadField(out var field, out var wireType))
        {
            if (field == OpsetDomain && wireType == ProtobufReader.LengthDelimited)
            {
                domain = opset.ReadString(MaxSmallMessage);
            }
            else if (field == OpsetVersionField && wireType == ProtobufReader.Varint)
            {
                version = opset.ReadVarint();
            }
            else
            {
                opset.Skip(wireType);
            }
        }

        return (domain, version);
    }
}
