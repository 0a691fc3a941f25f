using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Manage.Authors;

/// <summary>A labelled link on an author's profile.</summary>
/// <param name="Label">What the link is, like 'Website' or 'Mastodon'.</param>
/// <param name="Url">An absolute http or https URL.</param>
public sealed record AuthorLinkInput(string? Label, string? Url);

/// <summary>What a client writes to create or replace an author.</summary>
/// <param name="Slug">The author's address on the delivery API; lowercase a-z, 0-9 and hyphens. Renaming keeps the old one answering 301.</param>
/// <param name="Name">The name bylines show.</param>
/// <param name="Bio">A short biography.</param>
/// <param name="AvatarUrl">A portrait, as an absolute http or https URL.</param>
/// <param name="Links">Profile links, in the order pages show them.</param>
public sealed record AuthorInput(string? Slug, string? Name, string? Bio, string? AvatarUrl, IReadOnlyList<AuthorLinkInput>? Links)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<AuthorInput> Current = ResourceWrites.Current(db => db.Authors, "author", From);

    /// <summary>The author as its input shape: what a PATCH is merged into.</summary>
    public static AuthorInput From(Author author) => new(author.Slug, author.Name, author.Bio, author.AvatarUrl,
        author.Links.Select(l => new AuthorLinkInput(l.Label, l.Url)).ToList());

    /// <summary>Copies the input onto the author; an author refers to nothing, so this never refuses.</summary>
    public Task<IResult?> ApplyToAsync(ContentDb db, Author author, CancellationToken ct)
    {
        author.Slug = Slug!;
        author.Name = Name!;
        author.Bio = Bio;
        author.AvatarUrl = AvatarUrl;
        author.Links = (Links ?? []).Select(l => new AuthorLink { Label = l.Label!, Url = l.Url! }).ToList();
        return Task.FromResult<IResult?>(null);
    }
}

/// <summary>An author as the management API shows it.</summary>
public sealed record ManagedAuthor(Guid Id, string Slug, string Name, string? Bio, string? AvatarUrl,
    IReadOnlyList<AuthorLinkInput> Links, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static ManagedAuthor From(Author author) => new(author.Id, author.Slug, author.Name, author.Bio, author.AvatarUrl,
        author.Links.Select(l => new AuthorLinkInput(l.Label, l.Url)).ToList(), author.CreatedAt, author.UpdatedAt, author.Version);
}

public sealed class AuthorInputValidator : Validator<AuthorInput>
{
    public AuthorInputValidator()
    {
        RuleFor(a => a.Slug).ValidSlug();
        RuleFor(a => a.Name).NotEmpty().MaximumLength(200);
        RuleFor(a => a.Bio).MaximumLength(4000);
        RuleFor(a => a.AvatarUrl).HttpUrl();
        RuleFor(a => a.Links).Must(l => l!.Count <= 20).When(a => a.Links is not null).WithMessage("An author has at most 20 links.");
        RuleForEach(a => a.Links).ChildRules(link =>
        {
            link.RuleFor(l => l.Label).NotEmpty().MaximumLength(100);
            link.RuleFor(l => l.Url).NotEmpty().HttpUrl();
        });
    }
}
