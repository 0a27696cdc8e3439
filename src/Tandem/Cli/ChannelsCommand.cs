using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Channels;

namespace Tandem.Cli;

/// <summary>`tandem channels list|add|rename`: the channel taxonomy (decision 0100), for operators and import scripts.</summary>
public static class ChannelsCommand
{
    public static Command Create()
    {
        var cmd = new Command("channels", "The channel taxonomy: list it, add a channel, rename one or change its group.");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(Rename());
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "Every channel: key, label and group.");
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var table = new TextTable(null, ["key", "label", "group"], [false, false, false]);
            foreach (var c in await cli.Db.Channels.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct)) table.Add([c.Key, c.Label, c.Group ?? "–"]);
            table.Write(Console.Out, TextTable.OutputWidth());
            return 0;
        });
        return cmd;
    }

    private static Command Add()
    {
        var key = new Argument<string>("key") { Description = $"What records and files carry: up to {Channel.MaxKey} letters, digits, dashes and underscores." };
        var label = new Option<string?>("--label") { Description = "What people read (default: the key)." };
        var group = new Option<string?>("--group") { Description = "The roll-up reports can split by, such as Paid." };
        var cmd = new Command("add", "Add a channel.") { key, label, group };
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var (k, l, g) = (r.GetValue(key)!, r.GetValue(label), r.GetValue(group));
            var problems = ChannelRules.CheckNew(await ChannelSet.LoadAsync(cli.Db, ct), k, l, g);
            if (problems.Count > 0) return UsersCommand.Fail(string.Join(Environment.NewLine, problems.Select(p => $"{p.Field}: {p.Message}")));
            var row = cli.Db.Channels.Add(ChannelRules.NewRow(k, l, g)).Entity;
            await cli.Db.SaveChangesAsync(ct);
            Console.WriteLine($"Added channel {row.Key} ({row.Label}{(row.Group is { } grp ? ", group " + grp : "")}).");
            return 0;
        });
        return cmd;
    }

    private static Command Rename()
    {
        var key = new Argument<string>("key") { Description = "The channel's key (it never changes)." };
        var label = new Option<string?>("--label") { Description = "The new label." };
        var group = new Option<string?>("--group") { Description = "The new group; an empty value removes it." };
        var cmd = new Command("rename", "Change a channel's label or group.") { key, label, group };
        cmd.SetAction(async (r, ct) =>
        {
            await using var cli = await CliServices.OpenAsync(CliApp.StorageOf(r), ct);
            var row = await cli.Db.Channels.FirstOrDefaultAsync(c => c.Key == r.GetValue(key), ct);
            if (row is null) return UsersCommand.Fail($"No channel has key '{r.GetValue(key)}'. `tandem channels list` shows them.");
            var (l, g) = (r.GetValue(label), r.GetValue(group));
            var problems = ChannelRules.CheckEdit(await ChannelSet.LoadAsync(cli.Db, ct), new Channel(row.Key), l, g);
            if (problems.Count > 0) return UsersCommand.Fail(string.Join(Environment.NewLine, problems.Select(p => $"{p.Field}: {p.Message}")));
            (row.Label, row.Group) = (l?.Trim() ?? row.Label, g is null ? row.Group : ChannelRules.Group(g));
            await cli.Db.SaveChangesAsync(ct);
            Console.WriteLine($"Channel {row.Key} is now {row.Label}{(row.Group is { } grp ? ", group " + grp : ", no group")}.");
            return 0;
        });
        return cmd;
    }
}
