using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class CreateArticle(ContentDb db, TimeProvider clock) : Endpoint<ArticleInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        RequestBinder(new JsonBodyBinder<ArticleInput>());
        Description(d => d.Accepts<ArticleInput>("application/json")
            .Produces<ManagedArticle>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create a article";
            s.Description = "Creates a article from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ArticleInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var article = new Article { Slug = input.Slug!, Title = input.Title!, BodyMarkdown = input.Body!, Status = ContentStatus.Draft };
        if (await input.ApplyToAsync(db, article, now, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "article", article, input.Slug!, null, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        db.Articles.Add(article);
        ResourceWrites.Stamp(db, HttpContext, article, "article", "create", now, expectedVersion: null);
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "article",
            $"/v1/manage/articles/{article.Id}", ManagedArticle.From(article), article.Version, ct);
    }
}
