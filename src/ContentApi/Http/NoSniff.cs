namespace ContentApi.Http;

/// <summary><c>X-Content-Type-Options: nosniff</c> on every answer, so a browser never reads a body as another media type.</summary>
public static class NoSniff
{
    /// <summary>
    /// First in the pipeline and added as the answer starts: the exception handler clears headers before it writes its
    /// problem, and answers from the output cache or the status-code pages come from elsewhere; all get it this way.
    /// </summary>
    public static IApplicationBuilder UseNoSniff(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
