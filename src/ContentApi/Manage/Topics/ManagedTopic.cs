using ContentApi.Content;
using ContentApi.Http;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

/// <summary>What a client writes to create or replace a topic.</summary>
/// <param name="Slug">The topic's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Name">The name pages show.</param>
/// <param name="Description">A sentence or two about the topic.</param>
public sealed record TopicInput(string? Slug, string? Name, string? Description) : IHasSlug;

/// <summary>A topic as the management API shows it.</summary>
public sealed record ManagedTopic(Guid Id, string Slug, string Name, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed class TopicInputValidator : AbstractValidator<TopicInput>
{
    public TopicInputValidator()
    {
        RuleFor(t => t.Slug).ValidSlug();
        RuleFor(t => t.Name).NotEmpty().MaximumLength(200);
        RuleFor(t => t.Description).MaximumLength(2000);
    }
}

public sealed class TopicResource : ManagedResource<Topic, TopicInput, ManagedTopic>
{
    public override string Type => "topic";
    public override string Plural => "topics";
    public override IValidator<TopicInput> Validator { get; } = new TopicInputValidator();

    public override Topic Create(TopicInput input) => new() { Slug = input.Slug!, Name = input.Name! };

    public override TopicInput ToInput(Topic topic) => new(topic.Slug, topic.Name, topic.Description);

    public override ManagedTopic ToOutput(Topic topic) =>
        new(topic.Id, topic.Slug, topic.Name, topic.Description, topic.CreatedAt, topic.UpdatedAt, topic.Version);

    public override Task ApplyAsync(ContentDb db, Topic topic, TopicInput input, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        topic.Slug = input.Slug!;
        topic.Name = input.Name!;
        topic.Description = input.Description;
        return Task.CompletedTask;
    }

    public override async Task<string?> InUseAsync(ContentDb db, Topic topic, CancellationToken ct)
    {
        var articles = await DescribeUsesAsync(
            db.Articles.Where(a => a.Topics.Any(t => t.TopicId == topic.Id)).Select(a => a.Slug), "article", ct);
        var works = await DescribeUsesAsync(
            db.Works.Where(w => w.Topics.Any(t => t.TopicId == topic.Id)).Select(w => w.Slug), "work", ct);
        return articles is null && works is null ? null : string.Join(" and ", new[] { articles, works }.OfType<string>());
    }
}
