using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

/// <summary>What a client writes to create or replace one of the publisher's works.</summary>
/// <param name="Slug">The work's address on the delivery API; lowercase a-z, 0-9 and hyphens.</param>
/// <param name="Kind">book, cd, dvd, booklet or other.</param>
/// <param name="Title">The full title.</param>
/// <param name="ShortLabel">A shorter label some pages show instead of the title.</param>
/// <param name="Subtitle">The subtitle, if any.</param>
/// <param name="Creators">Authors, performers or editors as one line.</param>
/// <param name="Description">A paragraph about the work.</param>
/// <param name="CoverUrl">The cover image, as an absolute http or https URL.</param>
/// <param name="Url">Where to buy or read about it.</param>
/// <param name="TopicIds">The ids of the topics the work is about.</param>
public sealed record WorkInput(string? Slug, WorkKind? Kind, string? Title, string? ShortLabel, string? Subtitle, string? Creators,
    string? Description, string? CoverUrl, string? Url, IReadOnlyList<Guid>? TopicIds)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<WorkInput> Current = ResourceWrites.Current(db => ManagedWork.Query(db).AsSplitQuery(), "work", From);

    /// <summary>The work as its input shape: what a PATCH is merged into.</summary>
    public static WorkInput From(Work work) => new(work.Slug, work.Kind, work.Title, work.ShortLabel, work.Subtitle,
        work.Creators, work.Description, work.CoverUrl, work.Url, work.Topics.Select(t => t.TopicId).ToList());

    /// <summary>Copies the input onto the work; a topic id that names nothing is a 400 under its position.</summary>
    public async Task<IResult?> ApplyToAsync(ContentDb db, Work work, CancellationToken ct)
    {
        work.Slug = Slug!;
        work.Kind = Kind!.Value;
        work.Title = Title!;
        work.ShortLabel = ShortLabel;
        work.Subtitle = Subtitle;
        work.Creators = Creators;
        work.Description = Description;
        work.CoverUrl = CoverUrl;
        work.Url = Url;
        var errors = new Dictionary<string, string[]>();
        var topicIds = await References.CheckAsync(db.Topics, TopicIds, "topicIds", "topic", errors, ct);
        References.Sync(work.Topics, topicIds, t => t.TopicId, id => new WorkTopic { WorkId = work.Id, TopicId = id });
        return errors.Count == 0 ? null : Problems.BadRequest(errors);
    }
}

/// <summary>A work as the management API shows it.</summary>
public sealed record ManagedWork(Guid Id, string Slug, WorkKind Kind, string Title, string? ShortLabel, string? Subtitle,
    string? Creators, string? Description, string? CoverUrl, string? Url, IReadOnlyList<Guid> TopicIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    /// <summary>The works, with their topics loaded.</summary>
    public static IQueryable<Work> Query(ContentDb db) => db.Works.Include(w => w.Topics);

    public static ManagedWork From(Work work) => new(work.Id, work.Slug, work.Kind, work.Title, work.ShortLabel,
        work.Subtitle, work.Creators, work.Description, work.CoverUrl, work.Url, work.Topics.Select(t => t.TopicId).ToList(),
        work.CreatedAt, work.UpdatedAt, work.Version);
}

public sealed class WorkInputValidator : Validator<WorkInput>
{
    public WorkInputValidator()
    {
        RuleFor(w => w.Slug).ValidSlug();
        RuleFor(w => w.Kind).NotNull().WithMessage("'kind' is required: book, cd, dvd, booklet or other.");
        RuleFor(w => w.Title).NotEmpty().MaximumLength(300);
        RuleFor(w => w.ShortLabel).MaximumLength(120);
        RuleFor(w => w.Subtitle).MaximumLength(300);
        RuleFor(w => w.Creators).MaximumLength(300);
        RuleFor(w => w.Description).MaximumLength(4000);
        RuleFor(w => w.CoverUrl).HttpUrl();
        RuleFor(w => w.Url).HttpUrl();
        RuleFor(w => w.TopicIds).Must(ids => ids!.Count <= 50).When(w => w.TopicIds is not null).WithMessage("A work has at most 50 topics.");
    }
}
