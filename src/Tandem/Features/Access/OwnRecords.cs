using Microsoft.AspNetCore.Http.HttpResults;

namespace Tandem.Features.Access;

/// <summary>The per-record half of the permission matrix: a sales rep changes only what they own.</summary>
public static class OwnRecords
{
    /// <summary>Null when the caller may change a record owned by <paramref name="ownerId"/>; else a recorded 403.</summary>
    public static async Task<ProblemHttpResult?> RefuseUnlessMineAsync(HttpContext http, int? ownerId, string what)
    {
        if (Permissions.MayChangeRecordOwnedBy(http.User.Role(), http.User.UserId(), ownerId)) return null;
        await DenialRecorder.RecordAsync(http, $"{what} is owned by user {ownerId?.ToString() ?? "nobody"}");
        return TypedResults.Problem(title: "Forbidden",
            detail: $"Sales reps may change only their own leads and opportunities; {what} is not yours.", statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>A rep's new record is theirs unless they name themselves otherwise.</summary>
    public static int? DefaultOwner(HttpContext http, int? requested) =>
        requested ?? (http.User.Role() == Data.Role.SalesRep ? http.User.UserId() : null);
}
