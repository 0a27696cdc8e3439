using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tandem.Tests.Infrastructure;

/// <summary>What the receiver does with one request: answer a status code, or hang until the caller gives up.</summary>
public readonly record struct Answer(int Status, bool Hang = false)
{
    public static Answer Ok => new(200);
    public static Answer Fail => new(500);
    public static Answer Hangs => new(0, Hang: true);
}

public sealed record ReceivedRequest(string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no header {name}");
}

/// <summary>
/// A real HTTP endpoint on Kestrel (127.0.0.1, an ephemeral port) for webhook tests: it records each request and
/// answers from a script (then <see cref="AfterScript"/>), so retries, timeouts and dead letters run over real sockets.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<Answer> _script;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public string Url { get; }

    /// <summary>The answer once the script is used up.</summary>
    public Answer AfterScript { get; set; } = Answer.Ok;

    private WebhookReceiver(WebApplication app, Queue<Answer> script, string url) => (_app, _script, Url) = (app, script, url);

    public static async Task<WebhookReceiver> StartAsync(params Answer[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            Answer answer;
            lock (self!._requests)
            {
                self._requests.Add(new ReceivedRequest(body, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
                answer = self._script.TryDequeue(out var a) ? a : self.AfterScript;
            }
            self._arrived.Release();
            if (answer.Hang) await Task.Delay(Timeout.Infinite, http.RequestAborted);
            return Results.StatusCode(answer.Status);
        });
        await app.StartAsync();
        self = new WebhookReceiver(app, new Queue<Answer>(script), app.Urls.Single().TrimEnd('/') + "/hook");
        return self;
    }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Waits until one more request has arrived than last time this was called.</summary>
    public async Task WaitForRequestAsync(TimeSpan? timeout = null)
    {
        if (!await _arrived.WaitAsync(timeout ?? TimeSpan.FromSeconds(10))) throw new TimeoutException("No request reached the webhook receiver.");
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)); // hanging requests are not waited for
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
