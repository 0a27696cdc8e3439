using Microsoft.AspNetCore.Identity;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Users;

namespace Tandem.Cli;

/// <summary>The services a CLI verb needs to manage users (Identity's password hashing and rules) without a web host.</summary>
internal sealed class CliServices : IAsyncDisposable
{
    private readonly ServiceProvider _root;
    private readonly AsyncServiceScope _scope;

    private CliServices(Storage storage)
    {
        var s = new ServiceCollection();
        s.AddLogging();
        s.AddSingleton(TimeProvider.System);
        storage.AddTo(s);
        AccessSetup.AddIdentity(s);
        _root = s.BuildServiceProvider();
        _scope = _root.CreateAsyncScope();
        Db.Actor = "cli";
    }

    public static async Task<CliServices> OpenAsync(Storage storage, CancellationToken ct)
    {
        var services = new CliServices(storage);
        await Storage.MigrateAsync(services.Db, ct);
        return services;
    }

    public TandemDb Db => _scope.ServiceProvider.GetRequiredService<TandemDb>();
    public UserManager<User> Users => _scope.ServiceProvider.GetRequiredService<UserManager<User>>();

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _root.DisposeAsync();
    }
}
