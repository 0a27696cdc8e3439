using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Learning;

public sealed record PromoteInput(bool? Confirm);
public sealed record ModelDto(int Number, string Status, string Target, string Trainer, double TestAuc, DateTime TrainedAt, string TrainedBy,
    DateTime? PromotedAt, string? PromotedBy);

/// <summary>
/// The learned models over HTTP: list them, and promote one (decision 0075). Promotion needs WriteSetup, the permission the
/// lead definition's drafts need: the people who own the definition (admins, marketing, sales managers) decide which model
/// scores their leads. Reps and viewers read.
/// </summary>
public static class LearningApi
{
    public static void MapLearningApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/learning").WithTags("Learning");
        g.MapGet("/models", List).WithName("ListLearnedModels").WithSummary("Every trained model, newest first, with its status and test AUC.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/models/{version}/promote", Promote).WithName("PromoteLearnedModel")
            .WithSummary("Makes a model the active one (the previous one retires). A model predicting another outcome than the active one " +
                         "answers 409 with the warning unless confirm is true.")
            .RequireAuthorization(Permissions.WriteSetup);
    }

    private static async Task<Ok<List<ModelDto>>> List(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.LearnedModels.AsNoTracking().OrderByDescending(m => m.Number).ToListAsync(ct)).Select(Dto).ToList());

    public static ModelDto Dto(LearnedModel m) => new(m.Number, StatusWord(m.Status), m.Target.Sentence, m.Trainer, m.TestAuc, m.TrainedAt, m.TrainedBy,
        m.PromotedAt, m.PromotedBy);

    public static string StatusWord(ModelStatus s) => s switch
    {
        ModelStatus.Active => "active", ModelStatus.Candidate => "candidate", ModelStatus.Training => "training", ModelStatus.Refused => "refused",
        _ => "retired",
    };

    private static async Task<Results<Ok<ModelDto>, ValidationProblem, ProblemHttpResult>> Promote(string version, [FromBody] PromoteInput? input,
        HttpContext http, TandemDb db, CancellationToken ct)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return Errors.Single("version", $"'{version}' is not a model number: use the number the models list shows, such as 3.");
        var (outcome, message) = await PromoteAsync(db, http, number, input?.Confirm == true, ct);
        return outcome switch
        {
            Models.PromoteOutcome.Promoted => TypedResults.Ok(Dto((await Models.FindAsync(db, number, ct))!)),
            Models.PromoteOutcome.NotFound => TypedResults.Problem(title: "No such model.", detail: message, statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["field"] = "version" }),
            Models.PromoteOutcome.NeedsConfirmation => TypedResults.Problem(title: "The model predicts another outcome than the active one.",
                detail: message + " Send {\"confirm\": true} to promote it anyway.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["field"] = "confirm" }),
            Models.PromoteOutcome.NotReady => TypedResults.Problem(title: "The model cannot be promoted.", detail: message,
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["field"] = "version" }),
            _ => Problems.Conflict(message),
        };
    }

    /// <summary>The promotion in the name of the signed-in person (or the API key), shared by the API and the page's form.</summary>
    public static async Task<(Models.PromoteOutcome, string)> PromoteAsync(TandemDb db, HttpContext http, int number, bool confirm, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        var name = http.User.UserId() is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.Name).FirstOrDefaultAsync(ct)
            : null;
        return await Models.PromoteAsync(db, number, name ?? db.Actor, confirm, ct);
    }
}

/// <summary>The learning page's Promote button: a plain form post that answers with a redirect back to the model's page.</summary>
public static class LearningFormEndpoints
{
    public static WebApplication MapLearningFormEndpoints(this WebApplication app)
    {
        app.MapPost("/learning/{number:int}/promote", async (int number, [FromForm] string? confirm, HttpContext http, TandemDb db, CancellationToken ct) =>
        {
            var (outcome, message) = await LearningApi.PromoteAsync(db, http, number, confirm == "true", ct);
            var key = outcome switch
            {
                Models.PromoteOutcome.Promoted => "done",
                Models.PromoteOutcome.NeedsConfirmation => "warning",
                _ => "error",
            };
            return Results.LocalRedirect($"/learning/{number}?{key}={Uri.EscapeDataString(message)}#models");
        }).ExcludeFromDescription().RequireAuthorization(Permissions.WriteSetup);
        return app;
    }
}
