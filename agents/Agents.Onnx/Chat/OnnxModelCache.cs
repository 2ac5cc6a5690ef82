using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Onnx.Chat;

/// <summary>
/// The process-wide set of loaded models, keyed by folder and device, so every client of one folder
/// shares one copy of the weights. A model stays loaded while any client holds it and is released
/// the moment the last one is disposed: keep one client (a singleton) to keep a model warm.
/// </summary>
internal sealed class OnnxModelCache
{
    private readonly Dictionary<(string Folder, OnnxDevice Device), Entry> _entries = [];
    private readonly Lock _lock = new();

    public static OnnxModelCache Shared { get; } = new();

    /// <summary>The number of models loaded now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public Lease Acquire(string folder, OnnxDevice device, ILogger? logger = null)
    {
        var key = (Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), device);
        lock (_lock)
        {
            // Loading under the lock: two clients asking for the same new folder must not load it twice.
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(LoadedOnnxModel.Load(key.Item1, device, logger ?? NullLogger.Instance));
                _entries.Add(key, entry);
            }

            entry.Holders++;
            return new Lease(this, key, entry.Model);
        }
    }

    private void Release((string Folder, OnnxDevice Device) key)
    {
        lock (_lock)
        {
            var entry = _entries[key];
            if (--entry.Holders == 0)
            {
                _entries.Remove(key);
                entry.Model.Dispose();
            }
        }
    }

    private sealed class Entry(LoadedOnnxModel model)
    {
        public LoadedOnnxModel Model { get; } = model;

        public int Holders { get; set; }
    }

    /// <summary>A client's hold on a loaded model; disposing it lets the model go when no one else holds it.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly OnnxModelCache _cache;
        private readonly (string Folder, OnnxDevice Device) _key;
        private int _released;

        internal Lease(OnnxModelCache cache, (string Folder, OnnxDevice Device) key, LoadedOnnxModel model)
        {
            _cache = cache;
            _key = key;
            Model = model;
        }

        public LoadedOnnxModel Model { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _cache.Release(_key);
            }
        }
    }
}
