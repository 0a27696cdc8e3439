using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Users;

namespace Tandem.BrowserTests;

/// <summary>
/// One real Tandem server on Kestrel (loopback, a free port) over a seeded SQLite file, and one headless
/// Chromium, shared by every test in the class: starting them once keeps the suite quick.
/// Every page needs a sign-in, so the fixture also holds an admin, a sales rep, a marketing user and a sales manager with passwords.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string RequireEnv = "TANDEM_REQUIRE_BROWSER";
    /// <summary>When set to a folder, tests save a screenshot of each page there (for looking at the UI by eye).</summary>
    public const string ScreenshotsEnv = "TANDEM_SCREENSHOTS";

    public const string Password = "correct horse battery";
    public const string AdminEmail = "alex.admin@tandem.example";
    public const string AdminName = "Alex Morgan";
    public const string RepEmail = "riley.rep@tandem.example";
    public const string RepName = "Riley Chen";
    public const string MarketingEmail = "morgan.marketing@tandem.example";
    public const string MarketingName = "Morgan Lee";
    public const string ManagerEmail = "sasha.manager@tandem.example";
    public const string ManagerName = "Sasha Park";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tandem-browser-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    // One sign-in per role, its cookies reused by every later page: the sign-in form is rate limited per address.
    private readonly Dictionary<Role, string> _sessions = [];
    private readonly SemaphoreSlim _signingIn = new(1, 1);

    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's services, for tests that set up a record the pages then show (a handed-off lead, say).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app did not start (no Chromium).");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return; // each test reports this: skipped, or failed when CI requires a browser
        var ct = TestContext.Current.CancellationToken;

        _app = TandemHost.Build(new HostOptions(Storage.Sqlite(_dir), Urls: ["http://127.0.0.1:0"],
            Clock: new FakeTimeProvider(Now), Quiet: true));
        await TandemHost.MigrateAsync(_app.Services, ct);
        using (var scope = _app.Services.CreateScope())
        {
            await SeedAsync(scope.ServiceProvider.GetRequiredService<TandemDb>(), ct);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await AddUserAsync(users, AdminName, AdminEmail, Role.Admin);
            await AddUserAsync(users, RepName, RepEmail, Role.SalesRep);
            // The two sides that approve the lead definition (Agreement).
            await AddUserAsync(users, MarketingName, MarketingEmail, Role.Marketing);
            await AddUserAsync(users, ManagerName, ManagerEmail, Role.SalesManager);
        }
        await _app.StartAsync(ct);
        // Load Insight's facts before the first page asks: the home page streams until they are built, and under CI's
        // load (the integration suite starting beside us) that cold load once outran a navigation's timeout.
        using (var scope = _app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<Tandem.Features.Insight.InsightStore>()
                .CompleteAsync(scope.ServiceProvider.GetRequiredService<TandemDb>(), ct);
        BaseUrl = _app.Urls.First(); // Kestrel reports the port it actually bound

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Without the networking flags Chromium's background connections fail on a closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>The server's "now" (a fake clock that stands still).</summary>
    protected virtual DateTimeOffset Now => SeedData.Now;

    /// <summary>What the database holds before the users are added: the small known funnel of <see cref="SeedData"/>.</summary>
    protected virtual Task SeedAsync(TandemDb db, CancellationToken ct) => SeedData.WriteAsync(db, ct);

    private static async Task AddUserAsync(UserManager<User> users, string name, string email, Role role)
    {
        var result = await users.CreateAsync(new User { Name = name, Email = email, Role = role }, Password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    public static string EmailOf(Role role) => role switch
    {
        Role.Admin => AdminEmail,
        Role.SalesRep => RepEmail,
        Role.Marketing => MarketingEmail,
        Role.SalesManager => ManagerEmail,
        _ => throw new ArgumentOutOfRangeException(nameof(role), "The fixture has an admin, a sales rep, a marketing user and a sales manager."),
    };

    /// <summary>A fresh page signed in as <paramref name="role"/> (through the real sign-in page, once per role).</summary>
    public async Task<IPage> NewPageAsync(Role role = Role.Admin)
    {
        var anonymous = await NewAnonymousPageAsync();
        await _signingIn.WaitAsync();
        try
        {
            if (!_sessions.TryGetValue(role, out var state))
            {
                await SignInAsync(anonymous, EmailOf(role), Password);
                _sessions[role] = await anonymous.Context.StorageStateAsync();
                return anonymous;
            }
            await anonymous.Context.CloseAsync();
            return await NewContextPageAsync(state);
        }
        finally { _signingIn.Release(); }
    }

    /// <summary>Fills in and sends the sign-in form, as a person would, and waits for the answer.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        if (!page.Url.Contains("/account/login")) await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        var before = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Either way the form answers with a redirect: home (or the page asked for), or back here with ?error=.
        await page.WaitForURLAsync(url => url != before);
    }

    /// <summary>A fresh page in its own browser context, signed in as nobody.</summary>
    public Task<IPage> NewAnonymousPageAsync() => NewContextPageAsync(null);

    /// <summary>Skips (or fails, when required) without Chromium.</summary>
    private async Task<IPage> NewContextPageAsync(string? storageState)
    {
        if (_browser is null)
        {
            const string hint = "Chromium not found at " + ChromiumPath + "; install it with apt-get install chromium (CI does)";
            if (Environment.GetEnvironmentVariable(RequireEnv) == "1") Assert.Fail(hint + $". {RequireEnv}=1 requires the browser tests to run.");
            Assert.Skip(hint);
        }
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        // Expectations retry until they hold; CI runs this suite beside the integration suite on two cores, where Playwright's
        // 5 s default was once too short for a page to stream in. A passing expectation returns as soon as it holds.
        Assertions.SetDefaultExpectTimeout(15_000);
        // A navigation waits for the whole streamed document; on a loaded two-core machine that can take longer than a click.
        page.SetDefaultNavigationTimeout(45_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotsEnv) is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* temp is cleaned later */ }
    }
}
