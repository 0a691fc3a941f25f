using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.OpenApi;

/// <summary>
/// Calls every management operation, and the delivery API's preview and 410 answers, with valid and invalid
/// requests, and checks each answer against the document (status, media type, schema).
/// </summary>
public sealed class ManagementConformanceTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private static readonly string[] Resources = ["topics", "sections", "authors", "works", "articles"];

    [Fact]
    public async Task Every_management_answer_matches_the_document()
    {
        var conformance = new DocumentConformance(await api.CreateClient().GetJsonAsync("/openapi/v1.json"));
        var admin = api.ClientWithKey(await api.CreateKeyAsync("conformance-admin", "admin"));
        var previewer = api.ClientWithKey(await api.CreateKeyAsync("conformance-preview", "content:preview"));
        var anonymous = api.ClientWithKey(null);

        async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object? body = null,
            string? ifMatch = null, string? idempotencyKey = null, string mediaType = "application/json")
        {
            var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = ManageRequests.Json(body, mediaType);
            }
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }
            return await conformance.SendAsync(client, request);
        }

        var ids = new Dictionary<string, Guid>();
        foreach (var resource in Resources)
        {
            var items = (await (await Send(admin, HttpMethod.Get, $"/v1/manage/{resource}?limit=100")).ReadJsonAsync()).GetProperty("items");
            ids[resource] = items[0].GetProperty("id").GetGuid();
            await Send(admin, HttpMethod.Get, $"/v1/manage/{resource}?limit=0");
            await Send(admin, HttpMethod.Get, $"/v1/manage/{resource}?limit=1&page=2");
        }
        var section = (await admin.GetJsonAsync("/v1/manage/sections?limit=100")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var author = (await admin.GetJsonAsync("/v1/manage/authors?limit=100")).GetProperty("items")[0].GetProperty("id").GetGuid();
        object NewBody(string resource, string slug) => resource switch
        {
            "works" => new { slug, kind = "book", title = "A book", topicIds = new[] { ids["topics"] } },
            "articles" => new { slug, title = "A title", sectionId = section, authorIds = new[] { author }, body = "Some *text*." },
            "authors" => new { slug, name = "A Name", links = new[] { new { label = "Site", url = "https://example.org/" } } },
            _ => new { slug, name = "A name" },
        };

        foreach (var resource in Resources)
        {
            var list = $"/v1/manage/{resource}";
            var created = await Send(admin, HttpMethod.Post, list, NewBody(resource, $"conformance-{resource}"), idempotencyKey: $"key-{resource}");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            await Send(admin, HttpMethod.Post, list, NewBody(resource, $"conformance-{resource}"), idempotencyKey: $"key-{resource}");
            await Send(admin, HttpMethod.Post, list, NewBody(resource, $"other-{resource}"), idempotencyKey: $"key-{resource}"); // 422
            await Send(admin, HttpMethod.Post, list, NewBody(resource, $"conformance-{resource}")); // 409
            await Send(admin, HttpMethod.Post, list, new { slug = "Bad Slug" }); // 400
            await Send(admin, HttpMethod.Post, list, NewBody(resource, "as-text"), mediaType: "text/plain"); // 415
            await Send(admin, HttpMethod.Post, list, new { slug = "big", name = new string('x', 1_100_000) }); // 413
            await Send(anonymous, HttpMethod.Post, list, NewBody(resource, "anonymous")); // 401
            await Send(previewer, HttpMethod.Post, list, NewBody(resource, "previewer")); // 403

            var url = created.Headers.Location!.OriginalString;
            var etag = created.Headers.ETag!.ToString();
            await Send(admin, HttpMethod.Get, url);
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
            Assert.Equal(HttpStatusCode.NotModified, (await conformance.SendAsync(admin, request)).StatusCode);
            await Send(admin, HttpMethod.Get, $"{list}/not-an-id");
            await Send(admin, HttpMethod.Get, $"{list}/{Guid.NewGuid()}");

            await Send(admin, HttpMethod.Put, url, NewBody(resource, $"conformance-{resource}")); // 428
            await Send(admin, HttpMethod.Put, url, NewBody(resource, $"conformance-{resource}"), ifMatch: "\"99\""); // 412
            var replaced = await Send(admin, HttpMethod.Put, url, NewBody(resource, $"conformance-{resource}"), ifMatch: etag);
            etag = replaced.Headers.ETag!.ToString();
            var patched = await Send(admin, HttpMethod.Patch, url, new { slug = $"patched-{resource}" }, ifMatch: etag, mediaType: "application/merge-patch+json");
            etag = patched.Headers.ETag!.ToString();
            await Send(admin, HttpMethod.Patch, url, new { id = Guid.NewGuid() }, ifMatch: etag, mediaType: "application/merge-patch+json"); // 400
            await Send(admin, HttpMethod.Patch, url, new { slug = "x" }, ifMatch: etag, mediaType: "text/plain"); // 415

            // History: version 1 (create), 2 (replace) and 3 (patch) are kept.
            await Send(admin, HttpMethod.Get, $"{url}/versions");
            await Send(admin, HttpMethod.Get, $"{url}/versions?cursor=nonsense"); // 400
            await Send(admin, HttpMethod.Get, $"{list}/{Guid.NewGuid()}/versions"); // 404
            await Send(admin, HttpMethod.Get, $"{url}/versions/1");
            await Send(admin, HttpMethod.Get, $"{url}/versions/99"); // 404
            await Send(admin, HttpMethod.Get, $"{url}/versions/1/diff/3");
            await Send(admin, HttpMethod.Get, $"{url}/versions/x/diff/3"); // 400
            await Send(admin, HttpMethod.Post, $"{url}/versions/1/restore"); // 428
            await Send(admin, HttpMethod.Post, $"{url}/versions/1/restore", ifMatch: "\"99\""); // 412
            etag = (await Send(admin, HttpMethod.Post, $"{url}/versions/3/restore", ifMatch: etag)).Headers.ETag!.ToString();

            if (resource == "articles")
            {
                await Send(admin, HttpMethod.Post, $"{url}/publish");
                await Send(anonymous, HttpMethod.Get, "/v1/articles/patched-articles");
                await Send(admin, HttpMethod.Post, $"{url}/unpublish");
                await Send(admin, HttpMethod.Get, "/v1/articles/patched-articles?preview=true");
                await Send(anonymous, HttpMethod.Get, "/v1/articles/patched-articles?preview=true"); // 401
                await Send(admin, HttpMethod.Post, $"{url}/schedule", new { publishAt = DateTimeOffset.UtcNow.AddDays(1) });
                await Send(admin, HttpMethod.Post, $"{url}/schedule", new { publishAt = DateTimeOffset.UtcNow.AddDays(-1) }); // 400
                await Send(admin, HttpMethod.Post, $"{url}/publish", ifMatch: "\"1\""); // 412
                await Send(admin, HttpMethod.Post, $"{Guid.NewGuid()}/archive".Insert(0, $"{list}/")); // 404
                await Send(admin, HttpMethod.Post, $"{url}/archive");
                await Send(anonymous, HttpMethod.Get, "/v1/articles/patched-articles"); // 410
                etag = (await admin.GetAsync(url)).Headers.ETag!.ToString();
            }
            await Send(admin, HttpMethod.Delete, url); // 428
            await Send(admin, HttpMethod.Delete, url, ifMatch: etag);
            if (resource != "articles")
            {
                var used = $"{list}/{ids[resource]}";
                await Send(admin, HttpMethod.Delete, used, ifMatch: (await admin.GetAsync(used)).Headers.ETag!.ToString()); // 409 (in use)
            }
        }

        var key = await Send(admin, HttpMethod.Post, "/v1/manage/keys", new { name = "made-over-http", scopes = new[] { "content:preview" } });
        await Send(admin, HttpMethod.Post, "/v1/manage/keys", new { name = "", scopes = new[] { "root" } }); // 400
        await Send(admin, HttpMethod.Post, "/v1/manage/keys", new { name = "retried", scopes = new[] { "content:preview" } }, idempotencyKey: "conformance-key");
        await Send(admin, HttpMethod.Post, "/v1/manage/keys", new { name = "retried", scopes = new[] { "content:preview" } }, idempotencyKey: "conformance-key"); // replay, secret null
        await Send(admin, HttpMethod.Post, "/v1/manage/keys", new { name = "other", scopes = new[] { "content:preview" } }, idempotencyKey: "conformance-key"); // 422
        await Send(admin, HttpMethod.Get, "/v1/manage/keys");
        await Send(previewer, HttpMethod.Get, "/v1/manage/keys"); // 403
        await Send(admin, HttpMethod.Delete, key.Headers.Location!.OriginalString);
        await Send(admin, HttpMethod.Delete, $"/v1/manage/keys/{Guid.NewGuid()}"); // 404

        var hook = await Send(admin, HttpMethod.Post, "/v1/manage/webhooks", new { url = "https://93.184.216.34/hooks/content", eventTypes = new[] { "article.published" } });
        await Send(admin, HttpMethod.Post, "/v1/manage/webhooks", new { url = "http://127.0.0.1:9/hook" }); // 400: loopback and http
        await Send(admin, HttpMethod.Post, "/v1/manage/webhooks", new { url = "https://169.254.169.254/latest" }); // 400: metadata
        await Send(admin, HttpMethod.Post, "/v1/manage/webhooks", new { url = "https://93.184.216.34/", eventTypes = new[] { "article.eaten" } }); // 400
        var hookUrl = hook.Headers.Location!.OriginalString;
        await Send(admin, HttpMethod.Get, "/v1/manage/webhooks");
        var hookTag = (await Send(admin, HttpMethod.Get, hookUrl)).Headers.ETag!.ToString();
        await Send(admin, HttpMethod.Get, $"/v1/manage/webhooks/{Guid.NewGuid()}");
        await Send(admin, HttpMethod.Patch, hookUrl, new { description = "No If-Match" }, mediaType: "application/merge-patch+json"); // 428
        hookTag = (await Send(admin, HttpMethod.Patch, hookUrl, new { description = "Mirror" }, ifMatch: hookTag, mediaType: "application/merge-patch+json")).Headers.ETag!.ToString();
        await Send(admin, HttpMethod.Patch, hookUrl, new { enabled = false }, ifMatch: "\"9\"", mediaType: "application/merge-patch+json"); // 412
        await Send(admin, HttpMethod.Post, $"{hookUrl}/test");
        await Send(admin, HttpMethod.Post, $"{hookUrl}/rotate-secret", ifMatch: "\"9\""); // 412
        hookTag = (await Send(admin, HttpMethod.Post, $"{hookUrl}/rotate-secret", ifMatch: hookTag)).Headers.ETag!.ToString();
        await Send(admin, HttpMethod.Post, $"/v1/manage/webhooks/{Guid.NewGuid()}/rotate-secret"); // 404
        await Send(admin, HttpMethod.Get, $"{hookUrl}/deliveries");
        await Send(admin, HttpMethod.Get, $"/v1/manage/webhooks/{Guid.NewGuid()}/deliveries");
        await Send(previewer, HttpMethod.Get, "/v1/manage/webhooks"); // 403
        await Send(admin, HttpMethod.Delete, hookUrl, ifMatch: hookTag);

        await Send(admin, HttpMethod.Get, "/v1/manage/audit?limit=5");
        await Send(admin, HttpMethod.Get, $"/v1/manage/audit?resourceId={ids["topics"]}");
        await Send(admin, HttpMethod.Get, "/v1/manage/audit?cursor=nonsense"); // 400
        await Send(previewer, HttpMethod.Get, "/v1/manage/audit"); // 403

        var operations = OpenApiDocumentTests.Operations(await api.CreateClient().GetJsonAsync("/openapi/v1.json"))
            .Where(o => o.Path.StartsWith("/v1/manage", StringComparison.Ordinal))
            .Select(o => o.Operation.GetProperty("operationId").GetString()!).ToHashSet();
        var called = conformance.Seen.Select(s => s.Split(' ')[0]).ToHashSet();
        Assert.Empty(operations.Except(called));
        output.WriteLine($"{conformance.Seen.Count} answers checked against the document, {conformance.Seen.Distinct().Count()} distinct operation/status pairs:");
        output.WriteLine(string.Join(", ", conformance.Seen.Distinct().Order(StringComparer.Ordinal)));
    }
}
