using ContentApi.Content;
using ContentApi.Http;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

/// <summary>What a client writes to create or replace a section.</summary>
/// <param name="Slug">The section's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Name">The name pages show.</param>
/// <param name="Description">A sentence or two about the section.</param>
public sealed record SectionInput(string? Slug, string? Name, string? Description) : IHasSlug;

/// <summary>A section as the management API shows it.</summary>
public sealed record ManagedSection(Guid Id, string Slug, string Name, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed class SectionInputValidator : AbstractValidator<SectionInput>
{
    public SectionInputValidator()
    {
        RuleFor(t => t.Slug).ValidSlug();
        RuleFor(t => t.Name).NotEmpty().MaximumLength(200);
        RuleFor(t => t.Description).MaximumLength(2000);
    }
}

public sealed class SectionResource : ManagedResource<Section, SectionInput, ManagedSection>
{
    public override string Type => "section";
    public override string Plural => "sections";
    public override IValidator<SectionInput> Validator { get; } = new SectionInputValidator();

    public override Section Create(SectionInput input) => new() { Slug = input.Slug!, Name = input.Name! };

    public override SectionInput ToInput(Section section) => new(section.Slug, section.Name, section.Description);

    public override ManagedSection ToOutput(Section section) =>
        new(section.Id, section.Slug, section.Name, section.Description, section.CreatedAt, section.UpdatedAt, section.Version);

    public override Task ApplyAsync(ContentDb db, Section section, SectionInput input, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        section.Slug = input.Slug!;
        section.Name = input.Name!;
        section.Description = input.Description;
        return Task.CompletedTask;
    }

    public override Task<string?> InUseAsync(ContentDb db, Section section, CancellationToken ct) =>
        DescribeUsesAsync(db.Articles.Where(a => a.SectionId == section.Id).Select(a => a.Slug), "article", ct);
}
