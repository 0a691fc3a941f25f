using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Articles;

public sealed class ListArticlesRequest
{
    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>page.next</c> value of the previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary>A 1-based page number, for numbered pagination; use either this or cursor.</summary>
    public int? Page { get; init; }
}

public sealed class ListArticlesValidator : Validator<ListArticlesRequest>
{
    public ListArticlesValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(r => r.Page).GreaterThanOrEqualTo(1).LessThanOrEqualTo(1_000_000);
        RuleFor(r => r.Cursor)
            .Must(cursor => Paging.DecodeCursor(cursor) is { } c && Paging.DecodeTime(c.SortValue) is not null)
            .When(r => r.Cursor is not null)
            .WithMessage("'cursor' is not a cursor this API made; pass page.next from the previous page unchanged.");
        RuleFor(r => r.Page).Null().When(r => r.Cursor is not null)
            .WithMessage("Use either 'cursor' or 'page', not both.");
    }
}

public sealed class ListArticles(ContentDb db, TimeProvider clock) : Endpoint<ListArticlesRequest, ListResponse<ArticleCard>>
{
    public override void Configure()
    {
        Get("/v1/articles");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List published articles";
            s.Description = "Published articles, newest first, as cards. Page with the opaque cursor in page.next " +
                            "(stable while new articles arrive) or with page=N.";
        });
    }

    public override async Task HandleAsync(ListArticlesRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var live = db.Articles.AsNoTracking().Live(clock.GetUtcNow());
        var total = await live.CountAsync(ct);

        var page = live;
        if (Paging.DecodeCursor(request.Cursor) is { } cursor)
        {
            var after = Paging.DecodeTime(cursor.SortValue)!.Value;
            // Keyset: strictly after the last item seen, in (publishedAt desc, id desc) order.
            page = page.Where(a => EF.Functions.LessThan(
                ValueTuple.Create(a.PublishedAt!.Value, a.Id), ValueTuple.Create(after, cursor.Id)));
        }
        var ordered = page.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
        var query = request.Page is { } number ? ordered.Skip((number - 1) * limit) : ordered;

        var cards = await query.Take(limit + 1).Select(ArticleCards.Projection).ToListAsync(ct);
        var hasNext = cards.Count > limit;
        if (hasNext)
        {
            cards.RemoveAt(limit);
        }
        var next = hasNext ? Paging.EncodeCursor(Paging.EncodeTime(cards[^1].PublishedAt), cards[^1].Id) : null;

        Paging.SetLinks(HttpContext, next, request.Page, hasNext);
        var lastModified = cards.Count == 0 ? (DateTimeOffset?)null : cards.Max(c => c.UpdatedAt);
        await HttpContext.SendJsonAsync(new ListResponse<ArticleCard>(cards, new PageInfo(limit, next, total)), lastModified, ct);
    }
}
