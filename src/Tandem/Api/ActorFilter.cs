using Tandem.Data;

namespace Tandem.Api;

/// <summary>
/// Names who makes API changes, for the activity log. Until sign-in exists (the access issue)
/// every API caller is "api"; the access work replaces this with the signed-in user or key.
/// </summary>
public sealed class ActorFilter(TandemDb db) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        db.Actor = "api";
        return next(context);
    }
}
