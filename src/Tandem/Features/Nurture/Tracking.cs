using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Features.Nurture;

/// <summary>
/// The addresses people reach from a nurture email, without signing in (decision 0073). Each checks its signature first and
/// answers 404 with nothing changed when it fails.
/// <list type="bullet">
/// <item><c>GET /n/c/{token}?u=…</c>: a click. The target must be signed for this send and be one of the message's links (no open
/// redirect). It becomes an EmailClick touch through the normal ingestion path, so the score moves and, when the definition is met,
/// Lifecycle makes the person an MQL and routes them; that write happens just after the redirect, in batches (<see cref="ClickWriter"/>).</item>
/// <item><c>GET /n/o/{token}</c>: the open pixel, an EmailOpen touch flagged unreliable (privacy proxies fetch every image).</item>
/// <item><c>GET /n/u/{token}</c> only shows a confirmation page (link scanners follow GETs); <c>POST</c> unsubscribes at once
/// (RFC 8058 one-click): the address is suppressed, enrolments end, and an Unsubscribe touch is recorded.</item>
/// </list>
/// </summary>
public static class Tracking
{
    public static IEndpointRouteBuilder MapNurtureTracking(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/n").AllowAnonymous().ExcludeFromDescription();
        g.MapGet("/c/{token}", ClickAsync);
        g.MapGet("/o/{token}", OpenAsync);
        g.MapGet("/u/{token}", ConfirmAsync);
        g.MapPost("/u/{token}", UnsubscribeAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ClickAsync(string token, string? u, TandemDb db, NurtureKeys keys, ClickWriter writer, CancellationToken ct)
    {
        var links = await keys.LinksAsync(db, ct);
        if (string.IsNullOrEmpty(u) || links.CheckClick(token, u) is not { } id) return Results.NotFound();
        // One indexed read, then the person is on their way: the touch, its score and any MQL are written by ClickWriter (decision 0089).
        var send = await db.NurtureSends.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.Id, s.Email, s.Links, s.TrackId, s.StepKey, s.Variant }).FirstOrDefaultAsync(ct);
        var targets = send?.Links?.Split('\n') ?? [];
        var index = Array.IndexOf(targets, u);
        if (send is null || index < 0) return Results.NotFound();
        writer.Enqueue(new Click(send.Id, Touch($"nurture-click-{send.Id}-{index}", send.Email, TouchType.EmailClick, db.UtcNow,
            new { track = send.TrackId, step = send.StepKey, variant = send.Variant, url = u })));
        return Results.Redirect(u);
    }

    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private static async Task<IResult> OpenAsync(string token, TandemDb db, NurtureKeys keys, TouchIngestor ingestor, CancellationToken ct)
    {
        var links = await keys.LinksAsync(db, ct);
        if (links.CheckOpen(token) is not { } id) return Results.NotFound();
        var send = await db.NurtureSends.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Id, s.Email, s.TrackId, s.StepKey, s.Variant, s.OpenedAt })
            .FirstOrDefaultAsync(ct);
        if (send is null) return Results.NotFound();
        if (send.OpenedAt is null)
        {
            db.Actor = "nurture";
            await ingestor.IngestAsync([Touch($"nurture-open-{send.Id}", send.Email, TouchType.EmailOpen, db.UtcNow,
                new { track = send.TrackId, step = send.StepKey, variant = send.Variant, unreliable = true })], ct);
            var now = db.UtcNow;
            await db.NurtureSends.Where(s => s.Id == id && s.OpenedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.OpenedAt, now), ct);
        }
        return Results.File(Pixel, "image/gif");
    }

    private static async Task<IResult> ConfirmAsync(string token, TandemDb db, NurtureKeys keys, CancellationToken ct)
    {
        var links = await keys.LinksAsync(db, ct);
        if (links.CheckUnsubscribe(token) is not { } personId || !await db.People.AnyAsync(p => p.Id == personId, ct)) return Results.NotFound();
        return Page("Unsubscribe", $"""
            <p>Press the button to stop receiving these emails. Nothing changes until you do.</p>
            <form method="post" action="/n/u/{WebUtility.HtmlEncode(token)}"><button type="submit">Unsubscribe</button></form>
            """);
    }

    private static async Task<IResult> UnsubscribeAsync(string token, TandemDb db, NurtureKeys keys, TouchIngestor ingestor, CancellationToken ct)
    {
        var links = await keys.LinksAsync(db, ct);
        if (links.CheckUnsubscribe(token) is not { } personId) return Results.NotFound();
        var email = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => p.Email).FirstOrDefaultAsync(ct);
        if (email is null) return Results.NotFound();
        db.Actor = "nurture";
        if (await TransientRetry.InTransactionAsync(db, token => Suppressions.AddAsync(db, email, SuppressionReason.Unsubscribed, personId, "one-click unsubscribe", token), ct))
            await ingestor.IngestAsync([Touch($"nurture-unsubscribe-{personId}-{db.UtcNow.Ticks}", email, TouchType.Unsubscribe, db.UtcNow, new { oneClick = true })], ct);
        return Page("Unsubscribed", "<p>You are unsubscribed and will get no more of these emails.</p>");
    }

    private static TouchInput Touch(string eventId, string email, TouchType type, DateTime at, object properties) =>
        new(eventId, email, type, Channel.Email, null, at, JsonSerializer.SerializeToElement(properties));

    private static IResult Page(string title, string body) => Results.Content($"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title}</title><style>body{"{"}font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem{"}"}button{"{"}font-size:1rem;padding:.5rem 1rem{"}"}</style></head>
        <body><h1>{title}</h1>{body}</body></html>
        """, "text/html; charset=utf-8");
}
