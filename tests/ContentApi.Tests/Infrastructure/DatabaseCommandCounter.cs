using System.Diagnostics;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// Counts the SQL commands sent to one database while it is open, from Npgsql's own tracing. Filtering by database
/// name keeps the count to one test class's database even while other classes run in parallel.
/// </summary>
public sealed class DatabaseCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;

    public DatabaseCommandCounter(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)
                    && activity.OperationName != "connect" && activity.DisplayName != "connect")
                {
                    Interlocked.Increment(ref _count);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public void Dispose() => _listener.Dispose();
}
