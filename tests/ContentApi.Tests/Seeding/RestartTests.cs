using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Seeding;

/// <summary>
/// A deployment that seeds on every start (Seed:OnStartup, as compose does): edits made through the API must
/// outlive any number of restarts.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RestartTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestDatabaseServer.CloneTemplateAsync();

    public Task DisposeAsync() => TestDatabaseServer.DropAsync(_database);

    [Fact]
    public async Task Edits_unpublishing_renames_and_deletes_made_through_the_api_survive_two_restarts()
    {
        string renamedId;
        const string deletedWork = "grain-and-empire";
        await using (var first = StartSeedingOnStartup())
        {
            var editor = first.ClientWithKey(await first.CreateKeyAsync("editor", "admin"));

            await PatchArticleAsync(editor, "venezuela-defies-the-us", new { title = "Corrected headline" });
            await editor.PostAsync($"{await editor.ManagedUrlAsync("articles", "the-organ-at-saint-maurice")}/unpublish", null);
            renamedId = (await editor.ManagedUrlAsync("articles", "the-monroe-doctrine-at-two-hundred")).Split('/')[^1];
            await PatchArticleAsync(editor, "the-monroe-doctrine-at-two-hundred", new { slug = "monroe-at-two-hundred" });
            var archived = await editor.ManagedUrlAsync("articles", "china-russia-trade-in-yuan");
            var (_, archivedETag) = await editor.GetWithETagAsync(archived);
            Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(archived, archivedETag)).StatusCode);
            await DeleteWorkAsync(editor, deletedWork);
            Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync("/v1/articles/the-organ-at-saint-maurice")).StatusCode);
        }

        for (var restart = 1; restart <= 2; restart++)
        {
            await using var api = StartSeedingOnStartup();
            var client = api.CreateClient(new() { AllowAutoRedirect = false });

            var corrected = await client.GetJsonAsync("/v1/articles/venezuela-defies-the-us");
            Assert.Equal("Corrected headline", corrected.GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/articles/the-organ-at-saint-maurice")).StatusCode);
            var renamed = await client.GetJsonAsync("/v1/articles/monroe-at-two-hundred");
            Assert.Equal(renamedId, renamed.GetProperty("id").GetString());
            var formerAddress = await client.GetAsync("/v1/articles/the-monroe-doctrine-at-two-hundred");
            Assert.Equal(HttpStatusCode.MovedPermanently, formerAddress.StatusCode);
            Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync("/v1/articles/china-russia-trade-in-yuan")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/works/{deletedWork}")).StatusCode);
        }
    }

    private static async Task PatchArticleAsync(HttpClient editor, string slug, object patch)
    {
        var url = await editor.ManagedUrlAsync("articles", slug);
        var (_, etag) = await editor.GetWithETagAsync(url);
        var response = await editor.PatchJsonAsync(url, patch, etag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Deletes a seeded work as an editor must: first take it off the articles that show it.</summary>
    private static async Task DeleteWorkAsync(HttpClient editor, string slug)
    {
        var url = await editor.ManagedUrlAsync("works", slug);
        var id = url.Split('/')[^1];
        var articles = await editor.GetJsonAsync("/v1/manage/articles?limit=100");
        foreach (var article in articles.GetProperty("items").EnumerateArray())
        {
            var workIds = article.GetProperty("relatedWorkIds").EnumerateArray().Select(w => w.GetString()!).ToList();
            if (workIds.Remove(id))
            {
                await PatchArticleAsync(editor, article.GetProperty("slug").GetString()!, new { relatedWorkIds = workIds });
            }
        }
        var (_, etag) = await editor.GetWithETagAsync(url);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(url, etag)).StatusCode);
    }

    /// <summary>The API as deployed with Seed:OnStartup=true, on a database that outlives it, started: migrations and
    /// startup seeding run now, as in a real start.</summary>
    private ApiFactory StartSeedingOnStartup()
    {
        var api = ApiFactory.With(new ApiSettings
        {
            Database = _database,
            Configuration = new Dictionary<string, string?> { ["Seed:OnStartup"] = "true", ["Seed:Folder"] = TestDatabaseServer.SeedsFolder },
        });
        api.StartServer();
        return api;
    }
}
