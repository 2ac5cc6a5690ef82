using System.Text;

namespace Agents.Onnx.Models;

/// <summary>
/// Reads protobuf fields from a stream up to a boundary, seeking past what the caller skips. Just enough of the wire
/// format for <see cref="OnnxGraphSignature"/>; anything malformed is an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class ProtobufReader(Stream stream, long end)
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public bool TryReadField(out int field, out int wireType)
    {
        if (stream.Position >= end)
        {
            (field, wireType) = (0, 0);
            return false;
        }

        var tag = ReadVarint();
        (field, wireType) = ((int)((ulong)tag >> 3), (int)(tag & 7));
        if (field <= 0)
        {
            throw new InvalidDataException("a field number is 0 or out of range");
        }

        return true;
    }

    public long ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.Position < end ? stream.ReadByte() : -1;
            if (b < 0)
            {
                throw new InvalidDataException("it ends in the middle of a field");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)value;
            }
        }

        throw new InvalidDataException("a number runs past 10 bytes");
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                Advance(ReadLength());
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                throw new InvalidDataException($"it uses wire type {wireType}, which ONNX files do not");
        }
    }

    public string ReadString(int maxBytes) => Encoding.UTF8.GetString(ReadBytes(maxBytes));

    /// <summary>A small nested message, read into memory.</summary>
    public ProtobufReader ReadMessage(int maxBytes)
    {
        var bytes = ReadBytes(maxBytes);
        return new ProtobufReader(new MemoryStream(bytes, writable: false), bytes.Length);
    }

    /// <summary>A nested message read in place from the same stream, for one too large to hold; call <see cref="Leave"/> after it.</summary>
    public ProtobufReader EnterMessage()
    {
        var length = ReadLength();
        return new ProtobufReader(stream, stream.Position + length);
    }

    public void Leave(ProtobufReader nested) => stream.Position = nested.End;

    private long End => end;

    private byte[] ReadBytes(int maxBytes)
    {
        var length = ReadLength();
        if (length > maxBytes)
        {
            throw new InvalidDataException($"a name or shape field claims {length:N0} bytes");
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private long ReadLength()
    {
        var length = ReadVarint();
        if (length < 0 || length > end - stream.Position)
        {
            throw new InvalidDataException("a field runs past the end of its message");
        }

        return length;
    }

    private void Advance(long count)
    {
        if (count > end - stream.Position)
        {
            throw new InvalidDataException("a field runs past the end of its message");
        }

        stream.Seek(count, SeekOrigin.Current);
    }
}
