namespace Tandem.Cli;

/// <summary>`serve --demo`: fills an empty database with demo data; a database with data is left alone.</summary>
internal static class DemoOnStart
{
    public static Task RunAsync(IServiceProvider services, CancellationToken ct) => Task.CompletedTask; // TODO(demo helper)
}
