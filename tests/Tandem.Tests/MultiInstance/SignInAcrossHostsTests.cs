using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.MultiInstance;

/// <summary>
/// Behind a load balancer without sticky sessions a browser's requests land on any server: the sign-in form fetched from
/// one is posted to another, and the cookie one issued is read by the next. That works when the servers share their Data
/// Protection keys (DataProtection:KeysFolder), and not otherwise.
/// </summary>
public class SignInAcrossHostsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public Task Hosts_sharing_the_keys_folder_accept_each_others_form_tokens_and_sign_in_cookies(string provider) =>
        TwoHostsTests.OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            var shared = Path.Combine(Path.GetTempPath(), "tandem-tests", "keys-" + Guid.NewGuid().ToString("N"));
            var other = Path.Combine(Path.GetTempPath(), "tandem-tests", "keys-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using var a = await TestApp.StartOnAsync(store, clock, configure: Keys(shared));
                await using var b = await TestApp.StartOnAsync(store, clock, configure: Keys(shared));
                await using var c = await TestApp.StartOnAsync(store, clock, configure: Keys(other));
                await a.AddUserAsync("ann@acme.test", Role.SalesRep);
                var cookies = new CookieContainer();
                using var onA = new Browser(a.App.GetTestServer(), cookies);
                using var onB = new Browser(b.App.GetTestServer(), cookies);
                using var onC = new Browser(c.App.GetTestServer(), cookies);

                // The form comes from A, the post goes to B: B accepts A's antiforgery token and signs in.
                var signIn = await onB.PostFormAsync("/account/login", new()
                {
                    ["email"] = "ann@acme.test", ["password"] = Browser.Password,
                    ["__RequestVerificationToken"] = await onA.AntiforgeryTokenAsync("/account/login"),
                });
                Assert.Equal((HttpStatusCode.Redirect, "/"), (signIn.StatusCode, signIn.Headers.Location?.OriginalString));

                // B's cookie works on A; C, with keys of its own, cannot read it.
                Assert.Equal(HttpStatusCode.OK, (await onA.Client.GetAsync("/api/people", Ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await onB.Client.GetAsync("/api/people", Ct)).StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, (await onC.Client.GetAsync("/api/people", Ct)).StatusCode);
                Assert.NotEmpty(Directory.GetFiles(shared, "key-*.xml"));
            }
            finally
            {
                foreach (var dir in new[] { shared, other })
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        });

    private static Action<WebApplicationBuilder> Keys(string folder) => b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        [AccessSetup.KeysFolderSetting] = folder, ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false",
    });
}
