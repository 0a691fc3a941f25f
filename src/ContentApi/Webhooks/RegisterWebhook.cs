using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class RegisterWebhook(ContentDb db, TimeProvider clock, WebhookSettings settings) : EndpointWithoutRequest<RegisteredWebhookResponse>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks");
        Policies(ApiScopes.Admin);
        Description(d => d.Accepts<WebhookInput>("application/json"));
        Summary(s =>
        {
            s.Summary = "Register a webhook endpoint";
            s.Description = "Events about public content that change after registration are POSTed to the URL, signed as the " +
                            "Standard Webhooks specification says. The answer holds the signing secret, once.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (_, input, problem) = await JsonBody.ReadInputAsync(HttpContext, new WebhookInputValidator(), ct);
        if (input is not null && await WebhookAddresses.ProblemWithAsync(input.Url!, settings, ct) is { } refused)
        {
            problem = JsonBody.Invalid("url", refused);
        }
        if (input is null || problem is not null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Url = input.Url!,
            Description = input.Description,
            EventTypes = (input.EventTypes ?? []).Distinct().ToList(),
            Secret = WebhookSignature.NewSecret(),
            Enabled = input.Enabled ?? true,
            StartsAfterSequence = await db.ContentChanges.MaxAsync(c => (long?)c.Sequence, ct) ?? 0,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "create", "webhook", endpoint.Id, null, endpoint.Version, now));
        await db.SaveChangesAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        HttpContext.Response.Headers.Location = $"/v1/manage/webhooks/{endpoint.Id}";
        HttpContext.Response.Headers.ETag = ResourceWrites.ETag(endpoint.Version);
        await Send.ResponseAsync(new RegisteredWebhookResponse(WebhookResponse.From(endpoint), endpoint.Secret), StatusCodes.Status201Created, ct);
    }
}
