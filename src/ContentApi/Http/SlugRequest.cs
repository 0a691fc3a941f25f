using FastEndpoints;
using FluentValidation;

namespace ContentApi.Http;

/// <summary>A request for one resource by its slug.</summary>
public class SlugRequest
{
    /// <summary>The resource's slug: lowercase a-z, 0-9 and single hyphens.</summary>
    public string Slug { get; init; } = "";
}

public sealed class SlugRequestValidator : Validator<SlugRequest>
{
    public SlugRequestValidator() => RuleFor(r => r.Slug).ValidSlug();
}
