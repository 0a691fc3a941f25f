using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ContentApi.Manage;

/// <summary>
/// Idempotency-Key for POST. The key's row is inserted first, in the same transaction as the write: a concurrent
/// retry waits on the row's unique key until the first request commits, then replays its response. A request that
/// fails rolls the row back with everything else, so only successes are remembered.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>What a POST with a key must do: go on (with the row to fill in), or answer at once.</summary>
    public sealed record Start(IdempotentRequest? Row, IResult? Answer);

    public static async Task<Start> BeginAsync(ContentDb db, HttpContext http, IDbContextTransaction transaction,
        DateTimeOffset now, CancellationToken ct)
    {
        string? key = http.Request.Headers[Header];
        if (key is null)
        {
            return new Start(null, null);
        }
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            return new Start(null, JsonBody.Invalid(Header,
                $"{Header} must be 1 to {MaxKeyLength} visible ASCII characters; a UUID is a good choice."));
        }
        var keyId = Guid.Parse(http.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim)!);
        var hash = SHA256.HashData([.. Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"), .. JsonBody.BytesRead(http)]);
        var row = new IdempotentRequest { ApiKeyId = keyId, Key = key, RequestHash = hash, CreatedAt = now };
        db.IdempotentRequests.Add(row);
        try
        {
            await db.SaveChangesAsync(ct); // waits here while another request with this key is in flight
            return new Start(row, null);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
        }

        var first = await db.IdempotentRequests.AsNoTracking().FirstAsync(r => r.ApiKeyId == keyId && r.Key == key, ct);
        if (!first.RequestHash.AsSpan().SequenceEqual(hash))
        {
            return new Start(null, Problems.Status(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
                $"This {Header} was used with a different request. Use a new key for a new request."));
        }
        return new Start(null, new Replay(first));
    }

    /// <summary>Keeps the response with the key, so a retry gets exactly this.</summary>
    public static void Remember(IdempotentRequest row, int status, string? location, string? etag, byte[] body)
    {
        row.Status = status;
        row.Location = location;
        row.ETag = etag;
        row.Body = body;
    }

    /// <summary>The first response, sent again, marked as a replay.</summary>
    private sealed class Replay(IdempotentRequest first) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.StatusCode = first.Status;
            response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
            response.Headers["Idempotent-Replayed"] = "true";
            if (first.Location is not null)
            {
                response.Headers.Location = first.Location;
            }
            if (first.ETag is not null)
            {
                response.Headers.ETag = first.ETag;
            }
            response.ContentType = "application/json; charset=utf-8";
            await response.Body.WriteAsync(first.Body);
        }
    }
}
