using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;

namespace Tandem.BrowserTests;

/// <summary>
/// One real Tandem server on Kestrel (loopback, a free port) over a seeded SQLite file, and one headless
/// Chromium, shared by every test in the class: starting them once keeps the suite quick.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string RequireEnv = "TANDEM_REQUIRE_BROWSER";
    /// <summary>When set to a folder, tests save a screenshot of each page there (for looking at the UI by eye).</summary>
    public const string ScreenshotsEnv = "TANDEM_SCREENSHOTS";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tandem-browser-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return; // each test reports this: skipped, or failed when CI requires a browser
        var ct = TestContext.Current.CancellationToken;

        _app = TandemHost.Build(new HostOptions(Storage.Sqlite(_dir), Urls: ["http://127.0.0.1:0"],
            Clock: new FakeTimeProvider(SeedData.Now), Quiet: true));
        await TandemHost.MigrateAsync(_app.Services, ct);
        using (var scope = _app.Services.CreateScope())
            await SeedData.WriteAsync(scope.ServiceProvider.GetRequiredService<TandemDb>(), ct);
        await _app.StartAsync(ct);
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

    /// <summary>A fresh page in its own browser context; skips (or fails, when required) without Chromium.</summary>
    public async Task<IPage> NewPageAsync()
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
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
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
