using System.ComponentModel.DataAnnotations;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Manage;

/// <summary>Paging for management lists (newest first), and the status filter that articles have.</summary>
public sealed class ManagedListRequest : ListRequest
{
    /// <summary>Articles only: draft, scheduled, published or archived. Without it every status is listed.</summary>
    [AllowedValues("draft", "scheduled", "published", "archived")]
    public string? Status { get; init; }
}

public sealed class ManagedListRequestValidator : Validator<ManagedListRequest>
{
    public ManagedListRequestValidator()
    {
        Include(new ListRules());
        RuleFor(r => r.Cursor).Must(c => Paging.DecodeCursor(c) is not null).When(r => r.Cursor is not null)
            .WithMessage(Paging.BadCursorMessage);
        RuleFor(r => r.Status).Must(s => s is "draft" or "scheduled" or "published" or "archived").When(r => r.Status is not null)
            .WithMessage("'status' must be one of: draft, scheduled, published, archived.");
    }
}
