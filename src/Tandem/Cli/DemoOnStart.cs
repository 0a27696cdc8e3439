using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Cli;

/// <summary>`serve --demo`: fills an empty database with demo data; a database with data is left alone.
/// Returns the demo sign-ins, which the caller prints after the server's startup logs so they are the last thing
/// a newcomer sees (they were buried under the log lines before).</summary>
internal static class DemoOnStart
{
    public static async Task<string?> RunAsync(IServiceProvider services, CancellationToken ct, DemoOptions? options = null)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        if (!await DemoGenerator.IsEmptyAsync(db, ct))
        {
            // A database made by an earlier `serve --demo` still gets its demo sign-ins printed; any other is left alone.
            if (await db.Users.AnyAsync(u => u.IsDemo, ct)) return DemoLogins.Describe(await DemoLogins.EnsureAsync(services, ct));
            Console.WriteLine("The database already holds data; --demo left it as it is.");
            return null;
        }
        db.Actor = "cli";
        var counts = await DemoCommand.LoadAsync(db, options ?? new DemoOptions(), ct);
        Console.WriteLine("Loaded demo data into the empty database:");
        Console.WriteLine(DemoCommand.Describe(counts));
        return DemoLogins.Describe(await DemoLogins.EnsureAsync(services, ct));
    }
}
