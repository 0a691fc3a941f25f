using ContentApi.Content.Configurations;
using FluentValidation;

namespace ContentApi.Http;

/// <summary>Rules that requests and seed files share.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, string?> ValidSlug<T>(this IRuleBuilder<T, string?> rule) => rule
        .NotEmpty()
        .MaximumLength(Slugs.MaxLength)
        .Matches(Slugs.Pattern)
        .WithMessage("'{PropertyName}' must be lowercase a-z, 0-9 and single hyphens, like 'latin-america'.");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) => rule
        .MaximumLength(2048)
        .Must(url => url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                                     && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        .WithMessage("'{PropertyName}' must be an absolute http or https URL.");
}
