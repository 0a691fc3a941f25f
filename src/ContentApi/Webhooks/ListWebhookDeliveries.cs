using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class ListWebhookDeliveries(ContentDb db) : Endpoint<ListRequest, ListResponse<WebhookDeliveryResponse>>
{
    public override void Configure()
    {
        Get("/v1/manage/webhooks/{id}/deliveries");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "An endpoint's delivery log";
            s.Description = "Its deliveries, newest first: event type, status, attempts, the receiver's last answer and the next attempt.";
        });
    }

    public override async Task HandleAsync(ListRequest request, CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        if (problem is not null || !await db.WebhookEndpoints.AnyAsync(e => e.Id == id, ct))
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No webhook endpoint has the id {id}."));
            return;
        }
        var limit = request.Limit ?? Paging.DefaultLimit;
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        var total = await query.CountAsync(ct);
        var page = query.OrderByDescending(d => d.Id).AsQueryable();
        if (Paging.DecodeCursor(request.Cursor) is { Id: var after })
        {
            page = page.Where(d => d.Id.CompareTo(after) < 0);
        }
        else if (request.Page is { } number)
        {
            page = page.Skip((number - 1) * limit);
        }
        var (items, next) = Paging.Trim(await page.Take(limit + 1).ToListAsync(ct), limit, d => Paging.EncodeCursor("", d.Id));
        Paging.SetLinks(HttpContext, next, request.Page, next is not null);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(new ListResponse<WebhookDeliveryResponse>(items.Select(WebhookDeliveryResponse.From).ToList(),
            new PageInfo(limit, request.Page is null ? next : null, total)), ct);
    }
}
