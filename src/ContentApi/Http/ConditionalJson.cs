using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Http;

/// <summary>
/// Sends a JSON body with a strong ETag (a hash of the exact bytes, and the content coding if compressed: see
/// <see cref="ContentEncodings"/>), Cache-Control and Last-Modified, answering 304 when the client's copy is current.
/// Every delivery GET answers through here.
/// </summary>
public static class ConditionalJson
{
    public static Task SendJsonAsync<T>(this HttpContext context, T body, DateTimeOffset? lastModified,
        CancellationToken cancellationToken) =>
        context.SendBytesAsync(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), "application/json; charset=utf-8",
            lastModified, cancellationToken);

    /// <summary>The same for a body already serialized in another format (a feed, a sitemap).</summary>
    public static async Task SendBytesAsync(this HttpContext context, ReadOnlyMemory<byte> bytes, string contentType, DateTimeOffset? lastModified,
        CancellationToken cancellationToken)
    {
        // Each encoding is a representation of its own, with its own strong ETag: the hash of the JSON, then the coding.
        var encoding = bytes.Length >= ContentEncodings.MinimumBytes ? ContentEncodings.Negotiate(context.Request) : ContentEncodings.Identity;
        var etag = encoding == ContentEncodings.Identity ? StrongETag(bytes.Span) : $"\"{HashOf(bytes.Span)}-{encoding}\"";

        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding); // even uncompressed: shared caches must ask
        DeliveryCacheOptions.SetCacheHeaders(context);
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
        if (encoding != ContentEncodings.Identity)
        {
            bytes = ContentEncodings.Encode(bytes, encoding);
            response.Headers.ContentEncoding = encoding;
        }
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            await response.StartAsync(cancellationToken); // the GET's headers, no body (RFC 9110 9.3.2)
            return;
        }
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>The strong ETag of these exact bytes, sent uncompressed.</summary>
    public static string StrongETag(ReadOnlySpan<byte> bytes) => $"\"{HashOf(bytes)}\"";

    // A 128-bit XXH3 hash: an ETag needs to tell versions apart, not to resist forgery. SHA-256 took a seventh of the
    // API's CPU time on a feed of 50 whole articles in one profile (less on CPUs with SHA instructions).
    private static string HashOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(XxHash128.Hash(bytes));

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

/// <summary>
/// The caching headers of delivery answers: Cache-Control (Delivery:CacheControl) for everyone; for a CDN in front,
/// the answer's cache tags (<see cref="DeliveryCache"/>) as Surrogate-Key (space-separated: Fastly, Akamai, Varnish's
/// xkey) and Cache-Tag (comma-separated: Cloudflare, Bunny), which a purge by the tags in a webhook event evicts, and
/// Delivery:CdnCacheControl, if set, as Surrogate-Control and CDN-Cache-Control (RFC 9213): how long the CDN alone may
/// keep the answer, typically much longer than browsers, since the purges keep it fresh.
/// </summary>
public sealed record DeliveryCacheOptions(string CacheControl, string? CdnCacheControl = null)
{
    public const string Default = "public, max-age=60, stale-while-revalidate=300";

    /// <summary>Public answers may be cached by anyone; what a key or a preview unlocked is for that client only.</summary>
    public static string For(HttpContext context) =>
        IsPrivate(context) ? "private, no-store" : context.RequestServices.GetRequiredService<DeliveryCacheOptions>().CacheControl;

    public static void SetCacheHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (IsPrivate(context))
        {
            headers.CacheControl = "private, no-store";
            return;
        }
        var options = context.RequestServices.GetRequiredService<DeliveryCacheOptions>();
        headers.CacheControl = options.CacheControl;
        if (context.Features.Get<IOutputCacheFeature>()?.Context.Tags is { Count: > 0 } tags)
        {
            var sorted = tags.Order(StringComparer.Ordinal).ToArray();
            headers["Surrogate-Key"] = string.Join(' ', sorted);
            headers["Cache-Tag"] = string.Join(',', sorted);
        }
        if (options.CdnCacheControl is { Length: > 0 } cdn)
        {
            headers["Surrogate-Control"] = cdn;
            headers["CDN-Cache-Control"] = cdn;
        }
    }

    private static bool IsPrivate(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || context.Request.Query.ContainsKey("preview");
}
