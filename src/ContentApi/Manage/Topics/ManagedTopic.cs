using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

/// <summary>What a client writes to create or replace a topic.</summary>
/// <param name="Slug">The topic's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Name">The name pages show.</param>
/// <param name="Description">A sentence or two about the topic.</param>
public sealed record TopicInput(string? Slug, string? Name, string? Description)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<TopicInput> Current = ResourceWrites.Current(db => db.Topics, "topic", From);

    /// <summary>The topic as its input shape: what a PATCH is merged into.</summary>
    public static TopicInput From(Topic topic) => new(topic.Slug, topic.Name, topic.Description);

    /// <summary>Copies the input onto the topic; a topic refers to nothing, so this never refuses.</summary>
    public Task<IResult?> ApplyToAsync(ContentDb db, Topic topic, CancellationToken ct)
    {
        topic.Slug = Slug!;
        topic.Name = Name!;
        topic.Description = Description;
        return Task.FromResult<IResult?>(null);
    }
}

/// <summary>A topic as the management API shows it.</summary>
public sealed record ManagedTopic(Guid Id, string Slug, string Name, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static ManagedTopic From(Topic topic) =>
        new(topic.Id, topic.Slug, topic.Name, topic.Description, topic.CreatedAt, topic.UpdatedAt, topic.Version);
}

public sealed class TopicInputValidator : Validator<TopicInput>
{
    public TopicInputValidator()
    {
        RuleFor(t => t.Slug).ValidSlug();
        RuleFor(t => t.Name).NotEmpty().MaximumLength(200);
        RuleFor(t => t.Description).MaximumLength(2000);
    }
}
