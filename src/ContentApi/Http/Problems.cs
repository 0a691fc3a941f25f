using System.Diagnostics;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;

namespace ContentApi.Http;

/// <summary>RFC 9457 problem responses, built one way for the whole API.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>Adds traceId and instance to every problem the framework writes (404s, 500s, status pages).</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // ASP.NET Core names a type for the common statuses only; the rest get theirs here.
            context.ProblemDetails.Type ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status410Gone => "https://tools.ietf.org/html/rfc9110#section-15.5.11",
                StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
                StatusCodes.Status428PreconditionRequired => "https://tools.ietf.org/html/rfc6585#section-3",
                StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
                _ => "about:blank",
            };
            context.ProblemDetails.Extensions["traceId"] = TraceId(context.HttpContext);
        });

    /// <summary>A problem with any status: the title names the status, the detail says what to do.</summary>
    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A 400 naming the parameters that are wrong and what to change.</summary>
    public static IResult BadRequest(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: Describe(errors), title: "The request has invalid parameters");

    /// <summary>The body FastEndpoints sends when a request fails validation: a validation problem, errors per field.</summary>
    public static object FromValidationFailures(List<ValidationFailure> failures, HttpContext context, int status)
    {
        var fromQuery = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var errors = failures
            .GroupBy(f => fromQuery ? ParameterName(f.PropertyName) : FieldPath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var problem = new ValidationProblemDetails(errors)
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            Title = "The request has invalid parameters",
            Status = status,
            Detail = Describe(errors),
            Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = TraceId(context);
        return problem;
    }

    private static string Describe(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value));

    // "Topic[1]" (the second of a repeated parameter) is reported under the parameter's own name, "topic".
    private static string ParameterName(string name)
    {
        var bare = name.Split('[')[0];
        return string.IsNullOrEmpty(bare) ? "request" : char.ToLowerInvariant(bare[0]) + bare[1..];
    }

    // A body's "Figures[0].Key" as the client wrote it: "figures[0].key".
    private static string FieldPath(string path) => path.Length == 0
        ? "body"
        : string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    private static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;
}
