using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Http;

/// <summary>
/// Sends a JSON body with a strong ETag (a hash of the exact bytes), Cache-Control and Last-Modified, answering
/// 304 when the client's copy is current. Every delivery GET answers through here.
/// </summary>
public static class ConditionalJson
{
    public static Task SendJsonAsync<T>(this HttpContext context, T body, DateTimeOffset? lastModified,
        CancellationToken cancellationToken) =>
        context.SendBytesAsync(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), "application/json; charset=utf-8",
            lastModified, cancellationToken);

    /// <summary>The same for a body already serialized in another format (a feed).</summary>
    public static async Task SendBytesAsync(this HttpContext context, byte[] bytes, string contentType, DateTimeOffset? lastModified,
        CancellationToken cancellationToken)
    {
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"";

        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = DeliveryCacheOptions.For(context);
        if (lastModified is { } modified)
        {
            response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        }

        if (IsNotModified(context.Request, etag, lastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            await response.StartAsync(cancellationToken); // marks the answer as sent, with no body
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            await response.StartAsync(cancellationToken); // the GET's headers, no body (RFC 9110 9.3.2)
            return;
        }
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    private static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); weak comparison, as it specifies.
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
        }
        return lastModified is { } modified
            && DateTimeOffset.TryParseExact(request.Headers.IfModifiedSince.ToString(), "R", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var since)
            && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }
}

/// <summary>The Cache-Control header that public delivery responses carry (configurable as Delivery:CacheControl).</summary>
public sealed record DeliveryCacheOptions(string CacheControl)
{
    public const string Default = "public, max-age=60, stale-while-revalidate=300";

    /// <summary>Public answers may be cached by anyone; what a key or a preview unlocked is for that client only.</summary>
    public static string For(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || context.Request.Query.ContainsKey("preview")
            ? "private, no-store"
            : context.RequestServices.GetRequiredService<DeliveryCacheOptions>().CacheControl;
}
