namespace ContentApi.Manage;

/// <summary>
/// A POST made with an Idempotency-Key, and the response it got, so that a retry gets the same response and
/// creates nothing. Keys are per API key: two clients cannot collide.
/// </summary>
public sealed class IdempotentRequest
{
    public Guid ApiKeyId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the method, path and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; set; }
    public int Status { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[] Body { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
