using FastEndpoints;
using FluentValidation;

namespace ContentApi.Keys;

/// <summary>An API key as lists show it: never its secret.</summary>
/// <param name="Id">The key's id, for revoking it.</param>
/// <param name="Name">Who or what uses the key; the audit log names changes by it.</param>
/// <param name="Prefix">The secret's first characters, to tell keys apart.</param>
/// <param name="Scopes">What the key may do: content:preview, content:write, admin.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working, if ever.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="LastUsedAt">When it last authenticated a request, to the minute.</param>
public sealed record KeyResponse(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static KeyResponse From(ApiKey key) =>
        new(key.Id, key.Name, key.Prefix, key.Scopes, key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.LastUsedAt);
}

/// <summary>A new key with its secret, which is shown this once and never again.</summary>
/// <param name="Key">The key's details.</param>
/// <param name="Secret">Send it as 'Authorization: Bearer &lt;secret&gt;'. Store it now: only a hash is kept, so the replay of an Idempotency-Key retry has null here (revoke that key and make another if the first answer was lost).</param>
public sealed record CreatedKeyResponse(KeyResponse Key, string? Secret);

/// <summary>What makes a key.</summary>
/// <param name="Name">Who or what will use it, like 'newsletter-builder'.</param>
/// <param name="Scopes">One or more of content:preview, content:write, admin.</param>
/// <param name="ExpiresAt">When it stops working; leave out for a key that does not expire.</param>
public sealed record KeyInput(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

public sealed class KeyInputValidator : Validator<KeyInput>
{
    public KeyInputValidator(TimeProvider clock)
    {
        RuleFor(k => k.Name).NotEmpty().MaximumLength(100);
        RuleFor(k => k.Scopes).NotEmpty().WithMessage($"'scopes' needs at least one of: {string.Join(", ", ApiScopes.All)}.");
        RuleForEach(k => k.Scopes).Must(s => ApiScopes.All.Contains(s))
            .WithMessage($"Each scope must be one of: {string.Join(", ", ApiScopes.All)}.");
        RuleFor(k => k.ExpiresAt).Must(at => at > clock.GetUtcNow()).When(k => k.ExpiresAt is not null)
            .WithMessage("'expiresAt' must be in the future.");
    }
}
