using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// A partner's webhook receiver on loopback (real Kestrel): it records every request, verifies its signature with the
/// StandardWebhooks package once the secret is known, and answers what the test tells it to.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Id, string Timestamp, string Signature, string Body, bool SignatureValid, int Answered);

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; }
    public string? Secret { get; set; }

    /// <summary>Chooses the answer for the n-th request (0-based): a status, and headers to add.</summary>
    public Func<int, (int Status, string? RetryAfter, string? Location)> Answer { get; set; } = _ => (200, null, null);

    /// <summary>
    /// How long the answer takes after the request is recorded. A real receiver's answer also takes time to reach the
    /// dispatcher; a delay here makes a test meet that window every run instead of once in a few hundred.
    /// </summary>
    public TimeSpan AnswerDelay { get; set; }

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var self = receiver!;
            var valid = false;
            if (self.Secret is not null)
            {
                try
                {
                    new StandardWebhook(self.Secret).Verify(body, http.Request.Headers);
                    valid = true;
                }
                catch (Exception)
                {
                    valid = false;
                }
            }
            var (status, retryAfter, location) = self.Answer(self.Requests.Count);
            self.Requests.Enqueue(new Received(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body, valid, status));
            if (self.AnswerDelay > TimeSpan.Zero)
            {
                await Task.Delay(self.AnswerDelay);
            }
            if (retryAfter is not null)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }
            if (location is not null)
            {
                http.Response.Headers.Location = location;
            }
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var url = app.Urls.First() + "/hooks/content";
        receiver = new WebhookReceiver(app, url);
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds for what has arrived, or fails after the timeout.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<Received>, bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!done(Requests.ToList()))
        {
            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; received {Requests.Count} requests: " +
                    string.Join(" | ", Requests.Select(r => $"{r.Answered} {r.Body}")));
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
