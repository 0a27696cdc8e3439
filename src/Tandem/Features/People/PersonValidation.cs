using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Properties;

namespace Tandem.Features.People;

public static class PersonValidation
{
    /// <summary>The problems of <paramref name="input"/>, and the input with its source channel written as the taxonomy's key
    /// (any case or spelling, or the label, is accepted), so <see cref="ApplyAsync"/> stores it as it is.</summary>
    public static async Task<(Errors, PersonInput)> ValidateAsync(TandemDb db, PersonInput input, int? selfId, CancellationToken ct)
    {
        var e = new Errors();
        // A person is known by an email, an external id, or both (decision 0095).
        if (string.IsNullOrWhiteSpace(input.Email))
        {
            if (string.IsNullOrWhiteSpace(input.ExternalId))
                e.Add("email", "'email' or 'externalId' is required: a person is known by their email, their id in your source system, or both.");
        }
        else if (!EmailAddress.IsValid(input.Email)) e.Add("email", $"'{input.Email}' is not a valid email address.");
        else if (selfId is not null)
        {
            var email = EmailAddress.Normalize(input.Email);
            if (await db.People.AnyAsync(p => p.Email == email && p.Id != selfId, ct))
                e.Add("email", $"Another person already has email '{email}'.");
        }
        if (input.AccountId is { } a && !await db.Accounts.AnyAsync(x => x.Id == a, ct)) e.Add("accountId", $"Account {a} does not exist.");
        if (input.OwnerId is { } o && !await db.Users.AnyAsync(x => x.Id == o, ct)) e.Add("ownerId", $"User {o} does not exist.");
        if (input.SourceCampaignId is { } c && !await db.Campaigns.AnyAsync(x => x.Id == c, ct))
            e.Add("sourceCampaignId", $"Campaign {c} does not exist.");
        e.Texts<Person>(input);
        if (input.SourceChannel is { } channel && await Channels.ChannelSet.LoadAsync(db, ct) is var channels)
        {
            if (channels.Find(channel.Key) is { } known) input = input with { SourceChannel = known.Channel };
            else e.Add("sourceChannel", channels.Unknown(channel.Key));
        }
        if (input.ExternalId is { } x && await db.People.AnyAsync(p => p.ExternalId == x && p.Id != selfId, ct))
            e.Add("externalId", $"Another person already has externalId '{x}'.");
        Props.Validate(e, input.Properties);
        return (e, input);
    }

    /// <summary>Copies input (as <see cref="ValidateAsync"/> returned it) onto the entity. Without an explicit account, the email
    /// domain finds one.</summary>
    public static async Task ApplyAsync(TandemDb db, Person p, PersonInput input, CancellationToken ct)
    {
        p.FirstName = Clean(input.FirstName);
        p.LastName = Clean(input.LastName);
        p.Title = Clean(input.Title);
        p.Phone = Clean(input.Phone);
        p.ExternalId = Clean(input.ExternalId);
        p.SourceChannel = input.SourceChannel;
        p.SourceCampaignId = input.SourceCampaignId;
        p.OwnerId = input.OwnerId;
        p.AccountId = input.AccountId ?? (p.Email is null ? null : await AccountMatch.ByEmailAsync(db, p.Email, ct));
    }

    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
