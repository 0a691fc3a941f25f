using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Articles;

/// <summary>The query parameters every list of articles takes: filters, sort and paging.</summary>
public class ArticleListRequest : ListRequest
{
    /// <summary>Only articles in this section (a section slug).</summary>
    public string? Section { get; init; }

    /// <summary>Only articles tagged with every one of these topics (repeat the parameter: topic=russia&amp;topic=china).</summary>
    [MaxLength(ArticleListRules.MaxTopics)] // the schema's maxItems: the rule below is a Must, which no schema keyword mirrors
    public string[]? Topic { get; init; }

    /// <summary>Only articles by this author (an author slug).</summary>
    public string? Author { get; init; }

    /// <summary>Only articles published at or after this date (2026-01-01) or time (2026-01-01T12:00:00Z).</summary>
    public string? PublishedAfter { get; init; }

    /// <summary>Only articles published before this date or time.</summary>
    public string? PublishedBefore { get; init; }

    /// <summary>Full-text search: words, "quoted phrases", or, -excluded.</summary>
    public string? Q { get; init; }

    /// <summary>-publishedAt (default), publishedAt, title, or relevance (with q; the default when q is given).</summary>
    [AllowedValues("-publishedAt", "publishedAt", "title", "relevance")]
    public string? Sort { get; init; }
}

/// <summary>The rules for <see cref="ArticleListRequest"/>, included by each endpoint's own validator.</summary>
public sealed class ArticleListRules : AbstractValidator<ArticleListRequest>
{
    public const int MaxQueryLength = 500;
    public const int MaxTopics = 10;

    public ArticleListRules()
    {
        Include(new ListRules());
        RuleFor(r => r.Section).ValidSlug().When(r => r.Section is not null);
        RuleForEach(r => r.Topic).ValidSlug().OverridePropertyName("topic");
        RuleFor(r => r.Topic).Must(t => t is null || t.Length <= MaxTopics).WithMessage($"At most {MaxTopics} 'topic' parameters.");
        RuleFor(r => r.Author).ValidSlug().When(r => r.Author is not null);
        RuleFor(r => r.PublishedAfter).Must(v => ArticleListFilters.ParseTime(v) is not null).When(r => r.PublishedAfter is not null)
            .WithMessage("'publishedAfter' must be a date (2026-01-01) or an ISO 8601 time with an offset (2026-01-01T12:00:00Z).");
        RuleFor(r => r.PublishedBefore).Must(v => ArticleListFilters.ParseTime(v) is not null).When(r => r.PublishedBefore is not null)
            .WithMessage("'publishedBefore' must be a date (2026-01-01) or an ISO 8601 time with an offset (2026-01-01T12:00:00Z).");
        RuleFor(r => r.Q).MaximumLength(MaxQueryLength);
        RuleFor(r => r.Sort).Must(s => ArticleListFilters.ParseSort(s) is not null).When(r => r.Sort is not null)
            .WithMessage($"'sort' must be one of: {string.Join(", ", ArticleListFilters.SortNames)}.");
        RuleFor(r => r.Sort).Must((r, s) => s != "relevance" || !string.IsNullOrWhiteSpace(r.Q))
            .WithMessage("'sort=relevance' needs a search: add 'q'.");
        // A cursor belongs to a sort, so it is checked only once the sort is known to be valid.
        RuleFor(r => r.Cursor).Must((r, c) => ArticleListFilters.From(r).DecodeCursor(c) is not null)
            .When(r => r.Cursor is not null && (r.Sort is null || ArticleListFilters.ParseSort(r.Sort) is not null))
            .WithMessage(Paging.BadCursorMessage);
    }
}

/// <summary>A list of the articles of one author, section or topic: its slug, then the usual list parameters.</summary>
public sealed class ArticlesOfRequest : ArticleListRequest
{
    /// <summary>The author's, section's or topic's slug.</summary>
    public string Slug { get; init; } = "";
}

public sealed class ArticlesOfValidator : Validator<ArticlesOfRequest>
{
    public ArticlesOfValidator()
    {
        RuleFor(r => r.Slug).ValidSlug();
        Include(new ArticleListRules());
    }
}

/// <summary>How a list is sorted; each has its own keyset.</summary>
public enum ArticleSort
{
    NewestFirst,
    OldestFirst,
    Title,
    Relevance,
}

/// <summary>A validated list request, ready to query.</summary>
public sealed record ArticleListFilters(
    string? Section, IReadOnlyList<string> Topics, string? Author, DateTimeOffset? PublishedAfter,
    DateTimeOffset? PublishedBefore, string? Q, ArticleSort Sort)
{
    public static readonly string[] SortNames = ["-publishedAt", "publishedAt", "title", "relevance"];

    public static ArticleListFilters From(ArticleListRequest request)
    {
        var q = string.IsNullOrWhiteSpace(request.Q) ? null : request.Q.Trim();
        return new ArticleListFilters(
            request.Section,
            request.Topic?.Distinct().ToList() ?? [],
            request.Author,
            ParseTime(request.PublishedAfter),
            ParseTime(request.PublishedBefore),
            q,
            request.Sort is null ? (q is null ? ArticleSort.NewestFirst : ArticleSort.Relevance) : ParseSort(request.Sort)!.Value);
    }

    public static ArticleSort? ParseSort(string? sort) => sort switch
    {
        "-publishedAt" => ArticleSort.NewestFirst,
        "publishedAt" => ArticleSort.OldestFirst,
        "title" => ArticleSort.Title,
        "relevance" => ArticleSort.Relevance,
        _ => null,
    };

    /// <summary>A date means its midnight in UTC; a time must carry its offset.</summary>
    public static DateTimeOffset? ParseTime(string? value)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        }
        return value is not null && value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? time.ToUniversalTime()
                : null;
    }

    /// <summary>A cursor is tied to its sort: the sort's name is part of what it encodes.</summary>
    public string EncodeCursor(string sortValue, Guid id) => Paging.EncodeCursor($"{Sort}:{sortValue}", id);

    public (string SortValue, Guid Id)? DecodeCursor(string? cursor)
    {
        if (Paging.DecodeCursor(cursor) is not { } decoded || !decoded.SortValue.StartsWith($"{Sort}:", StringComparison.Ordinal))
        {
            return null;
        }
        var value = decoded.SortValue[(Sort.ToString().Length + 1)..];
        var valid = Sort switch
        {
            ArticleSort.NewestFirst or ArticleSort.OldestFirst => Paging.DecodeTime(value) is not null,
            ArticleSort.Relevance => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
        return valid ? (value, decoded.Id) : null;
    }
}
