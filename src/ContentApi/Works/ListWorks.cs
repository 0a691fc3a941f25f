using System.ComponentModel.DataAnnotations;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using FluentValidation;

namespace ContentApi.Works;

public sealed class ListWorksRequest : ListRequest
{
    /// <summary>Only works of this kind: book, cd, dvd, booklet or other.</summary>
    [AllowedValues("book", "cd", "dvd", "booklet", "other")]
    public string? Kind { get; init; }

    /// <summary>Only works tagged with this topic (a topic slug).</summary>
    public string? Topic { get; init; }
}

public sealed class ListWorksValidator : Validator<ListWorksRequest>
{
    public static readonly string[] Kinds = Enum.GetNames<WorkKind>().Select(k => k.ToLowerInvariant()).ToArray();

    public ListWorksValidator()
    {
        Include(new ListRules());
        RuleFor(r => r.Cursor).Must(c => Paging.DecodeCursor(c) is not null).When(r => r.Cursor is not null).WithMessage(Paging.BadCursorMessage);
        RuleFor(r => r.Kind).Must(k => Kinds.Contains(k)).When(r => r.Kind is not null)
            .WithMessage($"'kind' must be one of: {string.Join(", ", Kinds)}.");
        RuleFor(r => r.Topic).ValidSlug().When(r => r.Topic is not null);
    }
}

public sealed class ListWorks(ContentDb db) : Endpoint<ListWorksRequest, ListResponse<WorkResponse>>
{
    public override void Configure()
    {
        Get("/v1/works");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List the publisher's works";
            s.Description = "The catalogue of the publisher's own books, CDs and other works, by title; filter by kind and topic.";
        });
    }

    public override Task HandleAsync(ListWorksRequest request, CancellationToken ct)
    {
        var works = db.Works.AsNoTracking();
        if (request.Kind is { } kind)
        {
            var wanted = Enum.Parse<WorkKind>(kind, ignoreCase: true);
            works = works.Where(w => w.Kind == wanted);
        }
        if (request.Topic is { } topic)
        {
            works = works.Where(w => w.Topics.Any(t => t.Topic.Slug == topic));
        }
        return NameOrderedList.SendAsync(HttpContext, request, works, nameof(Work.Title), WorkResponses.Projection, w => (w.Title, w.Id), ct);
    }
}
