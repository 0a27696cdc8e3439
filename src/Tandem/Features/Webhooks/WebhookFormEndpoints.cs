using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Webhooks;

/// <summary>The webhooks page's replay button: a plain antiforgery-checked post that redirects back to the page.</summary>
public static class WebhookFormEndpoints
{
    public static WebApplication MapWebhookFormEndpoints(this WebApplication app)
    {
        app.MapPost("/admin/webhooks/deliveries/{id:long}/replay", Replay).ExcludeFromDescription().RequireAuthorization(Permissions.Admin);
        return app;
    }

    /// <param name="form">Not read: binding the form is what makes minimal APIs reject a post without a valid
    /// antiforgery token (the middleware only marks it invalid; an endpoint that binds no form never looks).</param>
    private static async Task<IResult> Replay(long id, IFormCollection form, TandemDb db, CancellationToken ct) => await WebhookQueue.ReplayAsync(db, id, ct)
            ? Results.LocalRedirect($"/admin/webhooks?replayed={id}")
            : Results.LocalRedirect("/admin/webhooks?error=" + Uri.EscapeDataString($"Delivery {id} is not in the dead-letter list."));
}
