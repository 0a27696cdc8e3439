using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.Access;

/// <summary>Lockout per client address as well as per account (decision 0051), counted in the database so that every
/// server behind a load balancer sees the same failures.</summary>
public class SignInThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RateLimits Generous = new(SignInPerMinute: 1000);

    /// <summary>Lets a test say which address a request comes from, as a proxy's X-Forwarded-For would.</summary>
    private static void ClientAddressFromHeader(WebApplicationBuilder b) => b.Services.AddSingleton<IStartupFilter, AddressFilter>();

    private sealed class AddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, n) =>
            {
                if (http.Request.Headers.TryGetValue("X-Test-Client", out var v)) http.Connection.RemoteIpAddress = IPAddress.Parse(v.ToString());
                return n(http);
            });
            next(app);
        };
    }

    private static Browser From(TestApp app, string address)
    {
        var b = app.NewBrowser();
        b.Client.DefaultRequestHeaders.Add("X-Test-Client", address);
        return b;
    }

    private static string Answer(HttpResponseMessage res) => res.Headers.Location!.OriginalString;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Twenty_failures_from_one_address_on_any_server_refuse_that_address_with_the_usual_answer_until_they_age_out(string provider)
    {
        await using var one = await TestApp.StartAsync(provider, limits: Generous, configure: ClientAddressFromHeader);
        await using var two = await TestApp.StartOnAsync(one.Db, one.Clock, Generous, ClientAddressFromHeader);
        await one.AddUserAsync("rep@tandem.test", Role.SalesRep);
        using var prober1 = From(one, "203.0.113.7");
        using var prober2 = From(two, "203.0.113.7");

        // Twenty different guessed addresses, so no account reaches its own lockout: half through each server.
        string? wrong = null;
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            var res = await (i % 2 == 0 ? prober1 : prober2).SignInAsync($"guess{i}@tandem.test", "not the password");
            wrong ??= Answer(res);
            Assert.Equal(wrong, Answer(res));
        }
        Assert.Contains("error=invalid", wrong);

        // The address is refused now, even with the right password, and the answer is the one a wrong password gets.
        var refused = await prober1.SignInAsync("rep@tandem.test", Browser.Password);
        Assert.Equal(wrong, Answer(refused));
        Assert.Equal(wrong, Answer(await prober2.SignInAsync("rep@tandem.test", Browser.Password)));

        // Another address is not affected, and the account was never locked: its owner signs in.
        using var owner = From(two, "198.51.100.20");
        Assert.Equal("/", Answer(await owner.SignInAsync("rep@tandem.test", Browser.Password)));

        // Once the failures are older than the window, the address may try again; the next failure prunes the old rows.
        one.Clock.Advance(SignInThrottle.Window + TimeSpan.FromSeconds(1));
        using var later = From(one, "203.0.113.7");
        Assert.Equal("/", Answer(await later.SignInAsync("rep@tandem.test", Browser.Password)));
        await later.SignInAsync("nobody@tandem.test", "still wrong");
        await using var db = one.Db.Open(one.Clock);
        Assert.Equal(1, await db.SignInFailures.CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_locked_account_a_refused_address_and_an_unknown_account_get_the_same_answer(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, limits: Generous, configure: ClientAddressFromHeader);
        await app.AddUserAsync("rep@tandem.test", Role.SalesRep);
        using var a = From(app, "192.0.2.1");
        for (var i = 0; i < 5; i++) await a.SignInAsync("rep@tandem.test", $"wrong {i}");
        var locked = Answer(await a.SignInAsync("rep@tandem.test", Browser.Password));
        var unknown = Answer(await a.SignInAsync("nobody@tandem.test", Browser.Password));
        for (var i = 0; i < SignInThrottle.MaxFailures; i++) await a.SignInAsync($"guess{i}@tandem.test", "x");
        var refused = Answer(await a.SignInAsync("other@tandem.test", Browser.Password));

        Assert.Equal(unknown, locked);
        Assert.Equal(unknown, refused);
    }
}
