using ContentApi.Content;
using ContentApi.Http;
using FluentValidation;

namespace ContentApi.Seeding;

// Field rules for seed files, with the same slug and URL rules as the API. References between files (an article's section, authors...) are checked by the
// importer, which knows every slug.

internal sealed class SectionSeedValidator : AbstractValidator<SectionSeed>
{
    public SectionSeedValidator()
    {
        Include(new SeedTextValidator<SectionSeed>());
        RuleFor(s => s.Slug).ValidSlug();
        RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
        RuleFor(s => s.Description).MaximumLength(2000);
    }
}

internal sealed class TopicSeedValidator : AbstractValidator<TopicSeed>
{
    public TopicSeedValidator()
    {
        Include(new SeedTextValidator<TopicSeed>());
        RuleFor(t => t.Slug).ValidSlug();
        RuleFor(t => t.Name).NotEmpty().MaximumLength(200);
        RuleFor(t => t.Description).MaximumLength(2000);
    }
}

internal sealed class AuthorSeedValidator : AbstractValidator<AuthorSeed>
{
    public AuthorSeedValidator()
    {
        Include(new SeedTextValidator<AuthorSeed>());
        RuleFor(a => a.Slug).ValidSlug();
        RuleFor(a => a.Name).NotEmpty().MaximumLength(200);
        RuleFor(a => a.Bio).MaximumLength(4000);
        RuleFor(a => a.AvatarUrl).HttpUrl();
        RuleForEach(a => a.Links).ChildRules(link =>
        {
            link.RuleFor(l => l.Label).NotEmpty().MaximumLength(100);
            link.RuleFor(l => l.Url).NotEmpty().HttpUrl();
        });
    }
}

internal sealed class WorkSeedValidator : AbstractValidator<WorkSeed>
{
    public WorkSeedValidator()
    {
        Include(new SeedTextValidator<WorkSeed>());
        RuleFor(w => w.Slug).ValidSlug();
        RuleFor(w => w.Kind).NotEmpty()
            .Must(kind => Enum.TryParse<WorkKind>(kind, true, out _) && kind == kind?.ToLowerInvariant())
            .WithMessage($"'kind' must be one of: {string.Join(", ", Enum.GetNames<WorkKind>().Select(n => n.ToLowerInvariant()))}.");
        RuleFor(w => w.Title).NotEmpty().MaximumLength(300);
        RuleFor(w => w.ShortLabel).MaximumLength(120);
        RuleFor(w => w.Subtitle).MaximumLength(300);
        RuleFor(w => w.Creators).MaximumLength(300);
        RuleFor(w => w.Description).MaximumLength(4000);
        RuleFor(w => w.CoverUrl).HttpUrl();
        RuleFor(w => w.Url).HttpUrl();
        RuleForEach(w => w.Topics).ValidSlug();
    }
}

internal sealed class ArticleSeedValidator : AbstractValidator<ArticleSeed>
{
    public ArticleSeedValidator()
    {
        Include(new SeedTextValidator<ArticleSeed>());
        RuleFor(a => a.Slug).ValidSlug();
        RuleFor(a => a.Title).NotEmpty().MaximumLength(300);
        RuleFor(a => a.Dek).MaximumLength(500);
        RuleFor(a => a.Section).ValidSlug();
        RuleFor(a => a.Authors).NotEmpty().WithMessage("'authors' needs at least one author slug.");
        RuleForEach(a => a.Authors).ValidSlug();
        RuleForEach(a => a.Topics).ValidSlug();
        RuleForEach(a => a.RelatedWorks).ValidSlug();
        RuleForEach(a => a.FormerSlugs).ValidSlug();
        RuleFor(a => a.Status).NotEmpty()
            .Must(status => Enum.TryParse<ContentStatus>(status, true, out _) && status == status?.ToLowerInvariant())
            .WithMessage("'status' must be one of: draft, scheduled, published, archived.");
        RuleFor(a => a.PublishedAt).NotNull().When(a => a.Status is not null and not "draft")
            .WithMessage("'publishedAt' is required unless the status is draft.");
        RuleFor(a => a.PublishedAt).Must(value => SeedDates.Timestamp(value) is not null).When(a => a.PublishedAt is not null)
            .WithMessage("'publishedAt' must be an ISO 8601 time with an offset, like 2026-02-06T15:00:00Z.");
        RuleFor(a => a.OriginalPublication!.PublishedOn).Must(value => SeedDates.Date(value) is not null)
            .When(a => a.OriginalPublication?.PublishedOn is not null).OverridePropertyName("OriginalPublication.PublishedOn")
            .WithMessage("'originalPublication.publishedOn' must be a date like 2026-02-05.");
        RuleFor(a => a.Excerpt).MaximumLength(1000);
        RuleFor(a => a.CanonicalUrl).HttpUrl();
        RuleFor(a => a.Image!.Url).NotEmpty().HttpUrl().When(a => a.Image is not null).OverridePropertyName("Image.Url");
        RuleFor(a => a.OriginalPublication!.Outlet).NotEmpty().MaximumLength(200)
            .When(a => a.OriginalPublication is not null).OverridePropertyName("OriginalPublication.Outlet");
        RuleFor(a => a.OriginalPublication!.Url).HttpUrl()
            .When(a => a.OriginalPublication is not null).OverridePropertyName("OriginalPublication.Url");
        RuleForEach(a => a.Figures).ChildRules(figure =>
        {
            figure.RuleFor(f => f.Key).ValidSlug();
            figure.RuleFor(f => f.Url).NotEmpty().HttpUrl();
            figure.RuleFor(f => f.Caption).MaximumLength(1000);
        });
        RuleFor(a => a.Body).NotEmpty().WithMessage("the body (the Markdown after the front matter) is empty.");
    }
}

/// <summary>
/// Every text of a seed file, nested ones included (links, image, figures), checked for the characters no stored
/// text may hold; by reflection, so that a field added later is covered without anyone remembering to.
/// </summary>
internal sealed class SeedTextValidator<T> : AbstractValidator<T> where T : class
{
    public SeedTextValidator() => RuleFor(seed => seed).Custom((seed, context) =>
    {
        foreach (var (field, text) in Texts(seed, ""))
        {
            if (ValidationRules.IndexOfUnstorable(text) is var index and >= 0)
            {
                context.AddFailure(field, ValidationRules.UnstorableMessage(field, text, index));
            }
        }
    });

    private static IEnumerable<(string Field, string Text)> Texts(object seed, string prefix)
    {
        foreach (var property in seed.GetType().GetProperties())
        {
            var name = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var value = property.GetValue(seed);
            IEnumerable<(string Field, string Text)> items = value switch
            {
                string text => [(name, text)],
                System.Collections.IEnumerable list => list.Cast<object>().SelectMany((item, i) =>
                    item is string entry ? [($"{name}[{i}]", entry)] : Texts(item, $"{name}[{i}].")),
                not null => Texts(value, $"{name}."),
                null => [],
            };
            foreach (var item in items)
            {
                yield return item;
            }
        }
    }
}

internal static class SeedDates
{
    public static DateTimeOffset? Timestamp(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed) && value!.Contains('T')
            ? parsed.ToUniversalTime()
            : null;

    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", out var parsed) ? parsed : null;
}
