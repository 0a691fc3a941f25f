using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentApi.Tests.Infrastructure;

/// <summary>Writes to the management API as a client makes them: JSON bodies, If-Match, Idempotency-Key.</summary>
public static class ManageRequests
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body, string? ifMatch) =>
        client.SendAsync(WithIfMatch(new HttpRequestMessage(HttpMethod.Put, url) { Content = Json(body) }, ifMatch));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body, string? ifMatch) =>
        client.SendAsync(WithIfMatch(new HttpRequestMessage(HttpMethod.Patch, url)
        {
            Content = Json(body, "application/merge-patch+json"),
        }, ifMatch));

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url, string? ifMatch) =>
        client.SendAsync(WithIfMatch(new HttpRequestMessage(HttpMethod.Delete, url), ifMatch));

    /// <summary>Reads a resource and returns it with its ETag.</summary>
    public static async Task<(JsonElement Body, string ETag)> GetWithETagAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.ReadJsonAsync();
        return (body, response.Headers.ETag!.ToString());
    }

    /// <summary>The management address of the resource whose slug is <paramref name="slug"/> (from the first 100 listed).</summary>
    public static async Task<string> ManagedUrlAsync(this HttpClient editor, string resource, string slug)
    {
        var items = (await editor.GetJsonAsync($"/v1/manage/{resource}?limit=100")).GetProperty("items");
        return $"/v1/manage/{resource}/{items.EnumerateArray().Single(i => i.GetProperty("slug").GetString() == slug).GetProperty("id").GetString()}";
    }

    /// <summary>
    /// Creates a draft article without topics, in the first section and by the first author the management API lists;
    /// answers its id.
    /// </summary>
    public static async Task<Guid> CreateDraftArticleAsync(this HttpClient editor, string slug, string title, string body = "Text.")
    {
        async Task<Guid> FirstAsync(string resource) =>
            (await editor.GetJsonAsync($"/v1/manage/{resource}?limit=1")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var response = await editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug, title, sectionId = await FirstAsync("sections"), authorIds = new[] { await FirstAsync("authors") }, body,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    public static StringContent Json(object body, string mediaType = "application/json")
    {
        var text = body as string ?? (body is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static HttpRequestMessage WithIfMatch(HttpRequestMessage request, string? ifMatch)
    {
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }
}
