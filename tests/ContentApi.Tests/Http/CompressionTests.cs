using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>
/// Delivery answers come in Brotli, gzip or as they are, whichever the client asked for, through the response cache
/// too, and each encoding has an ETag of its own.
/// </summary>
public sealed class CompressionTests(CachedApi api) : IClassFixture<CachedApi>
{
    private const string Article = "/v1/articles/venezuela-defies-the-us";
    private readonly HttpClient _client = api.ClientWithKey(null); // sends no Accept-Encoding and decompresses nothing itself

    private async Task<(HttpResponseMessage Response, string Json)> GetAsync(string url, string? acceptEncoding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Stream decoded = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
            "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            null => new MemoryStream(body),
            var other => throw new InvalidOperationException($"Unexpected Content-Encoding {other}"),
        };
        using var reader = new StreamReader(decoded);
        return (response, await reader.ReadToEndAsync());
    }

    private static string? Encoding(HttpResponseMessage response) => response.Content.Headers.ContentEncoding.SingleOrDefault();

    [Theory]
    [InlineData(Article)]
    [InlineData("/v1/articles?limit=20")]
    [InlineData("/v1/feeds/articles.rss")]
    public async Task Each_client_gets_the_encoding_it_asked_for_through_the_cache_and_all_decode_to_the_same_body(string url)
    {
        // gzip fills the cache; the identity and Brotli clients after it must not be served the gzip entry.
        var (gzip, gzipBody) = await GetAsync(url, "gzip");
        var (identity, identityBody) = await GetAsync(url, null);
        var (brotli, brotliBody) = await GetAsync(url, "gzip;q=0.8, br");
        var (gzipAgain, gzipAgainBody) = await GetAsync(url, "deflate, gzip");

        Assert.All(new[] { gzip, identity, brotli, gzipAgain }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("gzip", Encoding(gzip));
        Assert.Null(Encoding(identity));
        Assert.Equal("br", Encoding(brotli));
        Assert.Equal("gzip", Encoding(gzipAgain));
        Assert.Equal(identityBody, gzipBody);
        Assert.Equal(identityBody, brotliBody);
        Assert.Equal(identityBody, gzipAgainBody);
        Assert.True(gzip.Content.Headers.ContentLength < identity.Content.Headers.ContentLength / 2, "gzip saved less than half");
        Assert.True(brotli.Content.Headers.ContentLength < gzip.Content.Headers.ContentLength, "Brotli saved less than gzip");
        Assert.All(new[] { gzip, identity, brotli }, r => Assert.Contains("Accept-Encoding", r.Headers.Vary));
    }

    [Fact]
    public async Task Each_encoding_has_its_own_etag_and_revalidates_to_304_only_in_that_encoding()
    {
        var (identity, _) = await GetAsync(Article, null);
        var (gzip, _) = await GetAsync(Article, "gzip");
        var (brotli, _) = await GetAsync(Article, "br");
        var etags = new[] { identity, gzip, brotli }.Select(r => r.Headers.ETag!.Tag).ToList();
        Assert.Equal(3, etags.Distinct().Count());
        Assert.All(new[] { identity, gzip, brotli }, r => Assert.False(r.Headers.ETag!.IsWeak));

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(Article, null, etags[0])).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(Article, "gzip", etags[1])).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(Article, "br", etags[2])).Response.StatusCode);

        // A copy in another encoding is not this one: the whole answer, in the encoding asked for.
        var (other, body) = await GetAsync(Article, "br", etags[1]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("br", Encoding(other));
        Assert.Contains("\"slug\":\"venezuela-defies-the-us\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Small_answers_and_refused_codings_are_sent_as_they_are()
    {
        var (small, _) = await GetAsync("/v1/articles/no-such-article", "br, gzip"); // a 404 problem
        Assert.Null(Encoding(small));
        var sections = (await _client.GetJsonAsync("/v1/sections")).GetProperty("items");
        var section = $"/v1/sections/{sections[0].GetProperty("slug").GetString()}";
        var (tiny, tinyBody) = await GetAsync(section, "br");
        Assert.True(tinyBody.Length < 1024, $"{section} is not small: {tinyBody.Length} bytes");
        Assert.Null(Encoding(tiny));

        var (refused, _) = await GetAsync(Article, "br;q=0, gzip;q=0");
        Assert.Null(Encoding(refused));
        var (wildcard, _) = await GetAsync(Article, "*");
        Assert.Equal("br", Encoding(wildcard));
        var (preferred, _) = await GetAsync(Article, "br;q=0.5, gzip");
        Assert.Equal("gzip", Encoding(preferred));
    }
}
