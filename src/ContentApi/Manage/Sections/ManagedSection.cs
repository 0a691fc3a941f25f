using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

/// <summary>What a client writes to create or replace a section.</summary>
/// <param name="Slug">The section's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Name">The name pages show.</param>
/// <param name="Description">A sentence or two about the section.</param>
public sealed record SectionInput(string? Slug, string? Name, string? Description)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<SectionInput> Current = ResourceWrites.Current(db => db.Sections, "section", From);

    /// <summary>The section as its input shape: what a PATCH is merged into.</summary>
    public static SectionInput From(Section section) => new(section.Slug, section.Name, section.Description);

    /// <summary>Copies the input onto the section; a section refers to nothing, so this never refuses.</summary>
    public Task<IResult?> ApplyToAsync(ContentDb db, Section section, CancellationToken ct)
    {
        section.Slug = Slug!;
        section.Name = Name!;
        section.Description = Description;
        return Task.FromResult<IResult?>(null);
    }
}

/// <summary>A section as the management API shows it.</summary>
public sealed record ManagedSection(Guid Id, string Slug, string Name, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static ManagedSection From(Section section) =>
        new(section.Id, section.Slug, section.Name, section.Description, section.CreatedAt, section.UpdatedAt, section.Version);
}

public sealed class SectionInputValidator : Validator<SectionInput>
{
    public SectionInputValidator()
    {
        RuleFor(t => t.Slug).ValidSlug();
        RuleFor(t => t.Name).NotEmpty().MaximumLength(200);
        RuleFor(t => t.Description).MaximumLength(2000);
    }
}
