using System.ComponentModel;
using System.Globalization;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Http;

/// <summary>Paging parameters of every list.</summary>
public class ListRequest
{
    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    [DefaultValue(Paging.DefaultLimit)]
    public int? Limit { get; init; }

    /// <summary>The <c>page.next</c> value of the previous page, passed back unchanged.</summary>
    public string? Cursor { get; init; }

    /// <summary>A 1-based page number, or use cursor; page × limit may be at most 10,000 (deeper pages go by cursor).</summary>
    public int? Page { get; init; }
}

/// <summary>The paging rules; a list with its own sort adds its own cursor rule.</summary>
public sealed class ListRules : AbstractValidator<ListRequest>
{
    public ListRules()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(r => r.Page).GreaterThanOrEqualTo(1);
        RuleFor(r => r.Page).Cascade(CascadeMode.Stop)
            .Must((r, page) => (long)page!.Value * Math.Clamp(r.Limit ?? Paging.DefaultLimit, 1, Paging.MaxLimit) <= Paging.MaxDepth)
            .WithMessage(r => $"'page' times 'limit' may be at most {Paging.MaxDepth.ToString("N0", CultureInfo.InvariantCulture)}; " +
                              $"page {r.Page} of {r.Limit ?? Paging.DefaultLimit} goes beyond it. To read further, follow page.next as 'cursor'.")
            .LessThanOrEqualTo(Paging.MaxDepth) // follows from the rule above (limit is at least 1); stated for the schema's maximum
            .When(r => r.Page >= 1);
        RuleFor(r => r.Page).Null().When(r => r.Cursor is not null).WithMessage("Use either 'cursor' or 'page', not both.");
    }
}

/// <summary>Validates lists sorted by name (authors, sections, topics): paging plus a name cursor.</summary>
public sealed class ListRequestValidator : Validator<ListRequest>
{
    public ListRequestValidator()
    {
        Include(new ListRules());
        RuleFor(r => r.Cursor).Must(c => Paging.DecodeCursor(c) is not null).When(r => r.Cursor is not null)
            .WithMessage(Paging.BadCursorMessage);
    }
}
