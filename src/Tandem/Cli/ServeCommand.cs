using System.CommandLine;
using Tandem.Data;

namespace Tandem.Cli;

public static class ServeCommand
{
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Fill an empty database with demo data first." };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _ => "http://localhost:5080" };
        var proxy = new Option<bool>("--behind-proxy")
        {
            Description = "Trust X-Forwarded-For/-Proto from a reverse proxy that terminates HTTPS (or TANDEM_BEHIND_PROXY=1).",
        };
        var readOnly = new Option<string?>("--postgres-readonly")
        {
            Description = "A read-only PostgreSQL (streaming replica) that reports read their history from (or TANDEM_POSTGRES_READONLY).",
        };
        var cmd = new Command("serve", "Run the web UI and the API.") { demo, urls, proxy, readOnly };
        cmd.SetAction(async (r, ct) =>
        {
            var storage = CliApp.StorageOf(r).WithReadOnly(r.GetValue(readOnly));
            var behindProxy = r.GetValue(proxy) || Environment.GetEnvironmentVariable("TANDEM_BEHIND_PROXY") == "1";
            var app = TandemHost.Build(new HostOptions(storage, r.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries)) { BehindProxy = behindProxy });
            await TandemHost.MigrateAsync(app.Services, ct);
            var signIns = r.GetValue(demo) ? await DemoOnStart.RunAsync(app.Services, ct) : null;
            await app.StartAsync(ct);
            if (signIns is not null) Console.WriteLine(signIns);
            Console.WriteLine($"Tandem is running at {string.Join(", ", app.Urls)} on {storage.Describe()}. Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return cmd;
    }
}
