using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// Counts the SQL commands sent to one database while it is open, from Npgsql's own tracing: how many, their text,
/// and how many ran at the same moment at most. Filtering by database name keeps the count to one test class's
/// database even while other classes run in parallel.
/// </summary>
public sealed class DatabaseCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly ConcurrentQueue<(DateTime Start, DateTime End)> _spans = new();
    private int _count;

    public DatabaseCommandCounter(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        bool IsCommand(Activity activity) =>
            Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)
            && activity.OperationName != "connect" && activity.DisplayName != "connect";
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            // The database name is known once a command has run, so everything is recorded when it stops.
            ActivityStopped = activity =>
            {
                if (IsCommand(activity))
                {
                    Interlocked.Increment(ref _count);
                    _spans.Enqueue((activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration));
                    if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                    {
                        _statements.Enqueue(sql);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The most commands that were running at the same moment.</summary>
    public int PeakConcurrent
    {
        get
        {
            // Sweep the starts and ends in time order; at equal times an end comes first (the next may reuse its slot).
            var running = 0;
            var peak = 0;
            foreach (var (_, change) in _spans.SelectMany(s => new[] { (s.Start, 1), (s.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2))
            {
                running += change;
                peak = Math.Max(peak, running);
            }
            return peak;
        }
    }

    /// <summary>The SQL of every command counted, in the order they finished.</summary>
    public IReadOnlyList<string> Statements => [.. _statements];

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _statements.Clear();
        _spans.Clear();
    }

    public void Dispose() => _listener.Dispose();
}
