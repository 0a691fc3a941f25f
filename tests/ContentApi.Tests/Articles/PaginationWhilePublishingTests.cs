using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Articles;

public sealed class PaginationWhilePublishingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_cursor_walk_has_no_duplicates_or_gaps_while_new_articles_are_published()
    {
        var client = api.CreateClient();
        var before = (await client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug");

        var walked = new List<string>();
        var url = "/v1/articles?limit=3";
        var published = 0;
        while (true)
        {
            var page = await client.GetJsonAsync(url);
            walked.AddRange(page.GetProperty("items").Strings("slug"));
            await PublishArticleAsync($"breaking-news-{++published}"); // newest of all: lands before the cursor
            if (page.GetProperty("page").GetProperty("next").GetString() is not { } next)
            {
                break;
            }
            url = $"/v1/articles?limit=3&cursor={Uri.EscapeDataString(next)}";
        }

        Assert.Equal(before, walked);
        var after = (await client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("page").GetProperty("total").GetInt32();
        Assert.Equal(before.Count + published, after);
    }

    private async Task PublishArticleAsync(string slug)
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var section = await db.Sections.FirstAsync();
        var author = await db.Authors.FirstAsync();
        var body = ArticleBody.Render("Just in.", []);
        var now = DateTimeOffset.UtcNow;
        var article = new Article
        {
            Slug = slug, Title = slug, BodyMarkdown = "Just in.", BodyHtml = body.Html, BodyBlocks = body.BlocksJson(), BodyText = body.Text,
            SectionId = section.Id, Status = ContentStatus.Published, PublishedAt = now, CreatedAt = now, UpdatedAt = now,
        };
        article.Authors.Add(new ArticleAuthor { ArticleId = article.Id, AuthorId = author.Id, Position = 0 });
        db.Articles.Add(article);
        await db.SaveChangesAsync();
    }
}
