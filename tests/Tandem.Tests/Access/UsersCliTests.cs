using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Tandem.Cli;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.Access;

public class UsersCliTests
{
    private static string[] Where(TestDb db) => db.Storage.Provider == DbProvider.Sqlite
        ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.Storage.ConnectionString).DataSource)!]
        : ["--postgres", db.Storage.ConnectionString];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_operator_bootstraps_the_first_admin_then_disables_a_user(string provider)
    {
        await using var db = await TestDb.CreateAsync(provider);
        var at = Where(db);

        Assert.Equal(0, await CliApp.RunAsync(["users", "add", "--email", "Boss@Example.com", "--role", "Admin", "--password", "a long enough secret", .. at]));
        Assert.Equal(1, await CliApp.RunAsync(["users", "add", "--email", "rep@example.com", "--role", "SalesRep", "--password", "short", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["users", "set-role", "boss@example.com", "Marketing", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["users", "disable", "boss@example.com", .. at]));
        Assert.Equal(0, await CliApp.RunAsync(["keys", "create", "--name", "website", "--scope", "Ingest", .. at]));
        Assert.Equal(1, await CliApp.RunAsync(["users", "disable", "nobody@example.com", .. at]));

        await using var ctx = db.Open();
        var boss = await ctx.Users.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("boss@example.com", Role.Marketing, false), (boss.Email, boss.Role, boss.IsActive));
        Assert.StartsWith("AQAAAA", boss.PasswordHash);
        var key = await ctx.ApiKeys.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((KeyScope.Ingest, 64), (key.Scope, key.Hash.Length));
        Assert.All(await ctx.Activity.Where(a => a.SubjectKind == SubjectKind.User).ToListAsync(TestContext.Current.CancellationToken),
            a => Assert.Equal("cli", a.Actor));
    }
}
