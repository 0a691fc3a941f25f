using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class ListManagedArticles(ContentDb db) : Endpoint<ManagedListRequest, IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/articles");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ListResponse<ManagedArticle>>());
        Summary(s =>
        {
            s.Summary = "List articles to edit";
            s.Description = "Every article, drafts included, newest first.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ManagedListRequest request, CancellationToken ct)
    {
        var query = ManagedArticle.Query(db).AsNoTracking();
        if (request.Status is not null)
        {
            var status = Enum.Parse<ContentStatus>(request.Status, ignoreCase: true);
            query = query.Where(a => a.Status == status);
        }
        var page = await NewestFirstPage.ReadAsync(HttpContext,
            query.AsSplitQuery(), e => e.Id, request, ManagedArticle.From, ct);
        return ResourceWrites.Answer(page, version: null);
    }
}
