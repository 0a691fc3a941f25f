namespace ContentApi.Tests.Infrastructure;

/// <summary>The system's clock moved by <paramref name="shift"/>: an API process whose clock runs ahead or behind.</summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
}
