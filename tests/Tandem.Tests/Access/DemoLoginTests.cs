using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Access;

public class DemoLoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Serve_demo_makes_one_sign_in_per_role_and_nothing_else_does(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await using (var before = app.Db.Open())
            Assert.False(await before.Users.AnyAsync(u => u.IsDemo, Ct));

        var signIns = await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(300));

        await using var db = app.Db.Open();
        var demo = await db.Users.Where(u => u.IsDemo).ToListAsync(Ct);
        Assert.Equal(Enum.GetValues<Role>().Order(), demo.Select(u => u.Role).Order());
        // serve prints this text after the startup logs: every sign-in and the password are in it.
        Assert.NotNull(signIns);
        foreach (var u in demo) Assert.Contains(u.Email, signIns);
        Assert.Contains(DemoLogins.Password, signIns);
        var rep = demo.Single(u => u.Role == Role.SalesRep);
        Assert.True(await db.People.AnyAsync(p => p.OwnerId == rep.Id, Ct), "the demo rep owns leads");
        using var signedIn = await app.SignInAsync(rep.Email, DemoLogins.Password);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.Client.GetAsync("/people", Ct)).StatusCode);
        Assert.Equal(5, await db.Users.CountAsync(u => u.PasswordHash != null, Ct));
    }
}
