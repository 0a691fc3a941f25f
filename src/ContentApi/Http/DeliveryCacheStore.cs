using Microsoft.AspNetCore.OutputCaching;

namespace ContentApi.Http;

/// <summary>
/// The output cache's store, ordered against evictions: an answer is stored only if nothing was evicted since its
/// request began. Without this, a read that saw the database before a write and finished after the write's eviction
/// would put the old answer back, to be served until it expires. Stores and evictions take turns (both are quick
/// in memory, and only misses store), so no eviction can fall between the check and the store.
/// </summary>
public sealed class DeliveryCacheStore(IOutputCacheStore inner, IHttpContextAccessor http) : IOutputCacheStore, IDisposable
{
    private const string EvictionsAtStart = "ContentApi.EvictionsAtStart";
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _evictions;

    /// <summary>Notes, as a cacheable request begins, how many evictions there have been.</summary>
    public void BeginRequest(HttpContext context) => context.Items[EvictionsAtStart] = Interlocked.Read(ref _evictions);

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (http.HttpContext?.Items[EvictionsAtStart] is long atStart && atStart == _evictions)
            {
                await inner.SetAsync(key, value, tags, validFor, cancellationToken);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _evictions);
            await inner.EvictByTagAsync(tag, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        _turn.Dispose();
        (inner as IDisposable)?.Dispose();
    }

    /// <summary>Wraps the store AddOutputCache registered.</summary>
    public static void Register(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(registered);
        services.AddSingleton(sp => new DeliveryCacheStore(
            registered.ImplementationFactory?.Invoke(sp) as IOutputCacheStore
            ?? registered.ImplementationInstance as IOutputCacheStore
            ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddSingleton<IOutputCacheStore>(sp => sp.GetRequiredService<DeliveryCacheStore>());
    }
}
