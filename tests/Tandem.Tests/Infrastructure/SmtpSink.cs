using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Tandem.Tests.Infrastructure;

/// <summary>One message as the sink received it: the envelope, the raw DATA and the parsed MIME message.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, string Data, string? AuthenticatedUser)
{
    public MimeMessage Message { get; } = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Data)));
}

/// <summary>
/// A real SMTP server on 127.0.0.1 (an ephemeral port) that keeps what it receives: enough of RFC 5321 for
/// MailKit (EHLO/HELO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), no TLS. Clients talk to it
/// over TCP exactly as to a mail relay, so a test exercises the real sender end to end, offline.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ReceivedMail> _messages = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _accepting;
    private int _waitedFor;

    /// <summary>Recipients for which RCPT answers 550 (a mailbox that does not exist).</summary>
    public Func<string, bool> RejectRecipient { get; set; } = _ => false;

    /// <summary>When set, AUTH succeeds only with this user name and password; otherwise any login is accepted.</summary>
    public (string User, string Password)? RequireLogin { get; set; }

    /// <summary>How long the sink holds its "250 queued" after it has stored a message: a slow relay, so a sender can be killed while it
    /// waits for the answer to a message that did arrive.</summary>
    public TimeSpan ReplyDelay { get; set; }

    public string Host => "127.0.0.1";
    public int Port { get; }

    private SmtpSink(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public static SmtpSink Start() => new(0);

    /// <summary>A sink on a given port: the same server coming back after an outage.</summary>
    public static SmtpSink Start(int port) => new(port);

    /// <summary>A free loopback port nothing listens on (yet): an SMTP server that is down.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
    public static SmtpSink StartOn(int port) => new(port);

    public IReadOnlyList<ReceivedMail> Messages
    {
        get { lock (_messages) return [.. _messages]; }
    }

    /// <summary>Waits for the next message not yet waited for.</summary>
    public async Task<ReceivedMail> WaitForMessageAsync(TimeSpan? timeout = null)
    {
        if (!await _arrived.WaitAsync(timeout ?? TimeSpan.FromSeconds(10)))
            throw new TimeoutException($"No message reached the SMTP sink on port {Port}.");
        lock (_messages) return _messages[_waitedFor++];
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        string? from = null, user = null;
        var rcpt = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 tandem-sink ESMTP ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var arg = line.Length > verb.Length ? line[(verb.Length + 1)..].Trim() : "";
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-tandem-sink greets you");
                        await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO": await writer.WriteLineAsync("250 tandem-sink"); break;
                    case "AUTH":
                        user = await AuthAsync(arg, reader, writer);
                        break;
                    case "MAIL":
                        from = Address(arg);
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        var to = Address(arg);
                        if (RejectRecipient(to)) await writer.WriteLineAsync($"550 5.1.1 <{to}>: no such mailbox");
                        else
                        {
                            rcpt.Add(to);
                            await writer.WriteLineAsync("250 2.1.5 OK");
                        }
                        break;
                    case "DATA":
                        if (from is null || rcpt.Count == 0) { await writer.WriteLineAsync("503 5.5.1 MAIL and RCPT first"); break; }
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } d && d != ".")
                            data.Append(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d).Append("\r\n");
                        lock (_messages) _messages.Add(new ReceivedMail(from, [.. rcpt], data.ToString(), user));
                        _arrived.Release();
                        from = null;
                        rcpt.Clear();
                        if (ReplyDelay > TimeSpan.Zero) await Task.Delay(ReplyDelay, _stop.Token);
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        break;
                    case "RSET":
                        from = null;
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "NOOP": await writer.WriteLineAsync("250 2.0.0 OK"); break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return;
                    default: await writer.WriteLineAsync("502 5.5.2 command not implemented"); break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { /* the client hung up */ }
    }

    /// <summary>AUTH PLAIN (inline or after 334) or LOGIN; answers 235 or 535 and returns the user on success.</summary>
    private async Task<string?> AuthAsync(string arg, StreamReader reader, StreamWriter writer)
    {
        var parts = arg.Split(' ', 2);
        string? user = null, password = null;
        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var payload = parts.Length > 1 ? parts[1] : await Challenge("", reader, writer);
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(payload)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length > 1 ? parts[1] : await Challenge("VXNlcm5hbWU6", reader, writer)));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge("UGFzc3dvcmQ6", reader, writer)));
        }
        else
        {
            await writer.WriteLineAsync("504 5.5.4 mechanism not supported");
            return null;
        }
        if (RequireLogin is { } need && (need.User != user || need.Password != password))
        {
            await writer.WriteLineAsync("535 5.7.8 authentication credentials invalid");
            return null;
        }
        await writer.WriteLineAsync("235 2.7.0 authenticated");
        return user;
    }

    private async Task<string> Challenge(string prompt, StreamReader reader, StreamWriter writer)
    {
        await writer.WriteLineAsync("334 " + prompt);
        return await reader.ReadLineAsync(_stop.Token) ?? "";
    }

    /// <summary>"FROM:&lt;a@b&gt; SIZE=123" → "a@b".</summary>
    private static string Address(string arg)
    {
        int open = arg.IndexOf('<'), close = arg.IndexOf('>');
        return open >= 0 && close > open ? arg[(open + 1)..close] : arg[(arg.IndexOf(':') + 1)..].Trim();
    }

    private int _disposed;

    /// <summary>Stops the server; a second call (a test that stopped it to simulate an outage, then its owner) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
