using MimeKit;

namespace Tandem.Features.Notifications;

public static class Recipients
{
    public static bool IsAddress(string? s) =>
        !string.IsNullOrWhiteSpace(s) && MailboxAddress.TryParse(s, out var a) && a.Address.Contains('@');
}
