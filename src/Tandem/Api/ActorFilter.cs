using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Api;

/// <summary>Names who makes API changes (the signed-in user or the API key) for the activity log.</summary>
public sealed class ActorFilter(TandemDb db) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        db.Actor = context.HttpContext.User.Actor();
        return next(context);
    }
}
