using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

/// <summary>The featured image.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="Alt">What the image shows, for readers who cannot see it.</param>
/// <param name="Credit">Who made it.</param>
public sealed record ImageInput(string? Url, string? Alt, string? Credit);

/// <summary>Where a republished article first appeared.</summary>
/// <param name="Outlet">The publication it first appeared in.</param>
/// <param name="Url">The original's address.</param>
/// <param name="PublishedOn">The date it first appeared, like 2026-02-05.</param>
/// <param name="Title">The title it had there.</param>
public sealed record OriginalPublicationInput(string? Outlet, string? Url, DateOnly? PublishedOn, string? Title);

/// <summary>A photo the body places with a line that is only <c>{{figure key}}</c>.</summary>
/// <param name="Key">The name the body uses for it; lowercase a-z, 0-9 and hyphens.</param>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="Alt">What the photo shows.</param>
/// <param name="Caption">The caption under it.</param>
/// <param name="Credit">Who took it.</param>
public sealed record FigureInput(string? Key, string? Url, string? Alt, string? Caption, string? Credit);

/// <summary>What a client writes to create or replace an article. Its status changes through publish, schedule, unpublish and archive.</summary>
/// <param name="Slug">The article's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Title">The headline.</param>
/// <param name="Dek">The subtitle under the headline.</param>
/// <param name="SectionId">The id of the section it is filed in.</param>
/// <param name="AuthorIds">The ids of its authors, in byline order; at least one.</param>
/// <param name="TopicIds">The ids of the topics it is about.</param>
/// <param name="RelatedWorkIds">The ids of the publisher's works to show with it, in order.</param>
/// <param name="Excerpt">One or two sentences for cards; left out, the body's opening is used.</param>
/// <param name="Image">The featured image.</param>
/// <param name="CanonicalUrl">The address to name as canonical, when it is not this site's own.</param>
/// <param name="OriginalPublication">Where it appeared first, for a republication note.</param>
/// <param name="Body">The body in Markdown. Raw HTML may be used, but only an allowlist of formatting, link, image, list, quote, code and table markup is served (no forms, style, class, id or name); a line that is only {{figure key}} places a figure. Nesting deeper than the Markdown parser allows is a 400.</param>
/// <param name="Figures">The photos the body places.</param>
/// <param name="UnpublishAt" example="2027-02-01T09:00:00Z">When it leaves the delivery API by itself once published (an embargo's end), like 2027-02-01T09:00:00Z: in the future, and after publishAt when scheduled. null for no end; a PUT that leaves it out removes it.</param>
public sealed record ArticleInput(string? Slug, string? Title, string? Dek, Guid? SectionId, IReadOnlyList<Guid>? AuthorIds,
    IReadOnlyList<Guid>? TopicIds, IReadOnlyList<Guid>? RelatedWorkIds, string? Excerpt, ImageInput? Image, string? CanonicalUrl,
    OriginalPublicationInput? OriginalPublication, string? Body, IReadOnlyList<FigureInput>? Figures, DateTimeOffset? UnpublishAt)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<ArticleInput> Current =
        ResourceWrites.Current(db => ManagedArticle.Query(db).AsSplitQuery(), "article", From);

    /// <summary>The article as its input shape: what a PATCH is merged into.</summary>
    public static ArticleInput From(Article a) => new(a.Slug, a.Title, a.Dek, a.SectionId,
        a.Authors.OrderBy(x => x.Position).Select(x => x.AuthorId).ToList(),
        a.Topics.Select(x => x.TopicId).Order().ToList(),
        a.RelatedWorks.OrderBy(x => x.Position).Select(x => x.WorkId).ToList(),
        a.Excerpt,
        a.Image is null ? null : new ImageInput(a.Image.Url, a.Image.Alt, a.Image.Credit),
        a.CanonicalUrl,
        a.OriginalPublication is null ? null : new OriginalPublicationInput(a.OriginalPublication.Outlet, a.OriginalPublication.Url,
            a.OriginalPublication.PublishedOn, a.OriginalPublication.Title),
        a.BodyMarkdown,
        a.Figures.OrderBy(f => f.Position).Select(f => new FigureInput(f.Key, f.Url, f.Alt, f.Caption, f.Credit)).ToList(),
        a.UnpublishAt);

    /// <summary>
    /// Copies the input onto the article and renders its body. A reference that names nothing, a body that cannot be
    /// rendered, or a new unpublishAt that is not in the future (or not after a schedule's publishAt) is a 400 under its field.
    /// </summary>
    public async Task<IResult?> ApplyToAsync(ContentDb db, Article article, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        // Only a changed value is checked: a PATCH of the title resends the one already there, perhaps passed.
        if (UnpublishAt != article.UnpublishAt)
        {
            if (UnpublishAt <= now)
            {
                errors["unpublishAt"] = ["'unpublishAt' must be in the future: it is when the article leaves the delivery API. Send null for no end."];
            }
            else if (article.Status == ContentStatus.Scheduled && UnpublishAt <= article.PublishedAt)
            {
                errors["unpublishAt"] = [$"'unpublishAt' must be after the article's publishAt ({article.PublishedAt:O}); send a later time, or null for no end."];
            }
            article.UnpublishAt = UnpublishAt?.ToUniversalTime();
        }
        article.Slug = Slug!;
        article.Title = Title!;
        article.Dek = Dek;
        article.CanonicalUrl = CanonicalUrl;
        if (!await db.Sections.AnyAsync(s => s.Id == SectionId, ct))
        {
            errors["sectionId"] = [$"No section has the id {SectionId}."];
        }
        article.SectionId = SectionId!.Value;

        var authorIds = await References.CheckAsync(db.Authors, AuthorIds, "authorIds", "author", errors, ct);
        var topicIds = await References.CheckAsync(db.Topics, TopicIds, "topicIds", "topic", errors, ct);
        var workIds = await References.CheckAsync(db.Works, RelatedWorkIds, "relatedWorkIds", "work", errors, ct);
        // Ordered links are rebuilt: positions are part of what the editor wrote.
        article.Authors.Clear();
        article.Authors.AddRange(authorIds.Select((id, i) => new ArticleAuthor { ArticleId = article.Id, AuthorId = id, Position = i }));
        article.RelatedWorks.Clear();
        article.RelatedWorks.AddRange(workIds.Select((id, i) => new ArticleWork { ArticleId = article.Id, WorkId = id, Position = i }));
        References.Sync(article.Topics, topicIds, t => t.TopicId, id => new ArticleTopic { ArticleId = article.Id, TopicId = id });

        article.Image = Image is null ? null : new Image { Url = Image.Url!, Alt = Image.Alt, Credit = Image.Credit };
        article.OriginalPublication = OriginalPublication is null ? null : new OriginalPublication
        {
            Outlet = OriginalPublication.Outlet!,
            Url = OriginalPublication.Url,
            PublishedOn = OriginalPublication.PublishedOn,
            Title = OriginalPublication.Title,
        };
        article.Figures.Clear();
        article.Figures.AddRange((Figures ?? []).Select((f, i) => new ArticleFigure
        {
            ArticleId = article.Id, Key = f.Key!, Position = i, Url = f.Url!, Alt = f.Alt, Caption = f.Caption, Credit = f.Credit,
        }));

        try
        {
            article.SetBody(Body!, Excerpt);
        }
        catch (FormatException ex)
        {
            errors["body"] = [$"The body cannot be rendered: {ex.Message}."];
        }
        return errors.Count == 0 ? null : Problems.BadRequest(errors);
    }
}

/// <summary>An article as the management API shows it: what was written, its status, and what the server computed.</summary>
/// <param name="Id">The article's id (UUIDv7), set by the server.</param>
/// <param name="Slug">Its address on the delivery API.</param>
/// <param name="Title">The headline.</param>
/// <param name="Dek">The subtitle under the headline.</param>
/// <param name="SectionId">The section it is filed in.</param>
/// <param name="AuthorIds">Its authors, in byline order.</param>
/// <param name="TopicIds">The topics it is about.</param>
/// <param name="RelatedWorkIds">The works shown with it, in order.</param>
/// <param name="Excerpt">The excerpt, written or taken from the body.</param>
/// <param name="Image">The featured image.</param>
/// <param name="CanonicalUrl">The canonical address, when it is not this site's own.</param>
/// <param name="OriginalPublication">Where it appeared first.</param>
/// <param name="Body">The body in Markdown, as written.</param>
/// <param name="Figures">The photos the body places.</param>
/// <param name="Status">draft, scheduled, published or archived.</param>
/// <param name="PublishedAt">When it went or goes live; null for a draft never published.</param>
/// <param name="UnpublishAt" example="2027-02-01T09:00:00Z">When it leaves (or, for a draft it withdrew, left) the delivery API by itself; null when no end is set.</param>
/// <param name="BodyHtml">The body as the delivery API serves it: rendered and sanitized.</param>
/// <param name="WordCount">Words in the body text.</param>
/// <param name="ReadingMinutes">Estimated reading time.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Version">Increases with every change; the ETag is this number in quotes.</param>
public sealed record ManagedArticle(Guid Id, string Slug, string Title, string? Dek, Guid SectionId, IReadOnlyList<Guid> AuthorIds,
    IReadOnlyList<Guid> TopicIds, IReadOnlyList<Guid> RelatedWorkIds, string? Excerpt, ImageInput? Image, string? CanonicalUrl,
    OriginalPublicationInput? OriginalPublication, string Body, IReadOnlyList<FigureInput> Figures,
    ContentStatus Status, DateTimeOffset? PublishedAt, DateTimeOffset? UnpublishAt, string BodyHtml, int WordCount, int ReadingMinutes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    /// <summary>The articles, with the links this shape shows loaded.</summary>
    public static IQueryable<Article> Query(ContentDb db) => db.Articles
        .Include(a => a.Authors).Include(a => a.Topics).Include(a => a.RelatedWorks).Include(a => a.Figures);

    public static ManagedArticle From(Article a)
    {
        var input = ArticleInput.From(a);
        return new ManagedArticle(a.Id, a.Slug, a.Title, a.Dek, a.SectionId, input.AuthorIds!, input.TopicIds!, input.RelatedWorkIds!,
            a.Excerpt, input.Image, a.CanonicalUrl, input.OriginalPublication, a.BodyMarkdown, input.Figures!, a.Status, a.PublishedAt,
            a.UnpublishAt, a.BodyHtml, a.WordCount, a.ReadingMinutes, a.CreatedAt, a.UpdatedAt, a.Version);
    }
}

public sealed class ArticleInputValidator : Validator<ArticleInput>
{
    public ArticleInputValidator()
    {
        RuleFor(a => a.Slug).ValidSlug();
        RuleFor(a => a.Title).NotEmpty().MaximumLength(300);
        RuleFor(a => a.Dek).MaximumLength(500);
        RuleFor(a => a.SectionId).NotNull().WithMessage("'sectionId' is required: the id of the section the article is filed in.");
        RuleFor(a => a.AuthorIds).NotEmpty().WithMessage("'authorIds' needs at least one author id.");
        RuleFor(a => a.AuthorIds).Must(ids => ids!.Count <= 20).When(a => a.AuthorIds is not null).WithMessage("An article has at most 20 authors.");
        RuleFor(a => a.TopicIds).Must(ids => ids!.Count <= 50).When(a => a.TopicIds is not null).WithMessage("An article has at most 50 topics.");
        RuleFor(a => a.RelatedWorkIds).Must(ids => ids!.Count <= 20).When(a => a.RelatedWorkIds is not null).WithMessage("An article shows at most 20 works.");
        RuleFor(a => a.Excerpt).MaximumLength(1000);
        RuleFor(a => a.CanonicalUrl).HttpUrl();
        RuleFor(a => a.Image!.Url).NotEmpty().HttpUrl().When(a => a.Image is not null).OverridePropertyName("image.url");
        RuleFor(a => a.Image!.Alt).MaximumLength(500).When(a => a.Image is not null).OverridePropertyName("image.alt");
        RuleFor(a => a.Image!.Credit).MaximumLength(300).When(a => a.Image is not null).OverridePropertyName("image.credit");
        RuleFor(a => a.OriginalPublication!.Outlet).NotEmpty().MaximumLength(200)
            .When(a => a.OriginalPublication is not null).OverridePropertyName("originalPublication.outlet");
        RuleFor(a => a.OriginalPublication!.Url).HttpUrl()
            .When(a => a.OriginalPublication is not null).OverridePropertyName("originalPublication.url");
        RuleFor(a => a.OriginalPublication!.Title).MaximumLength(500)
            .When(a => a.OriginalPublication is not null).OverridePropertyName("originalPublication.title");
        RuleFor(a => a.Body).NotEmpty().MaximumLength(500_000);
        RuleFor(a => a.Figures).Must(f => f!.Count <= 100).When(a => a.Figures is not null).WithMessage("An article has at most 100 figures.");
        RuleFor(a => a.Figures).Must(f => f!.Select(x => x.Key).Distinct().Count() == f!.Count)
            .When(a => a.Figures is not null).WithMessage("Each figure needs its own key.");
        RuleForEach(a => a.Figures).ChildRules(figure =>
        {
            figure.RuleFor(f => f.Key).ValidSlug().MaximumLength(60);
            figure.RuleFor(f => f.Url).NotEmpty().HttpUrl();
            figure.RuleFor(f => f.Alt).MaximumLength(500);
            figure.RuleFor(f => f.Caption).MaximumLength(1000);
            figure.RuleFor(f => f.Credit).MaximumLength(300);
        });
    }
}
