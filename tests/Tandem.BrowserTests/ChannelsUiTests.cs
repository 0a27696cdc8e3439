using Microsoft.Playwright;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The channel taxonomy page (decision 0100): an admin adds a channel and renames it, on a desktop and a phone.</summary>
public class ChannelsUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_admin_adds_a_channel_then_renames_it_and_the_page_fits_a_phone()
    {
        var page = await app.NewPageAsync(Role.Admin);
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("/admin/channels");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Channels" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Label of Paid search")).ToHaveValueAsync("Paid search");

        await page.GetByPlaceholder("paid_social").FillAsync("paid_social");
        await page.GetByPlaceholder("Paid social").FillAsync("Paid social");
        await page.GetByPlaceholder("Paid", new() { Exact = true }).FillAsync("Paid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Channel “Paid social” is saved.");

        // A key that reads as an existing channel is refused with the reason, and nothing is added.
        await page.GetByPlaceholder("paid_social").FillAsync("Paid-Search");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'Paid-Search' already names the channel 'Paid search'");

        await page.GetByLabel("Label of Paid social").FillAsync("Social ads");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Paid social" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Channel “Social ads” is saved.");
        await Expect(page.GetByLabel("Label of Social ads")).ToHaveValueAsync("Social ads");
        await Expect(page.GetByLabel("Group of Social ads")).ToHaveValueAsync("Paid");
        await AppFixture.ScreenshotAsync(page, "channels-1280");

        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") is var wide && wide <= 390, $"/admin/channels is {wide} px wide at 390 px");
        var add = await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).BoundingBoxAsync();
        Assert.True(add is { X: >= 0 } && add.X + add.Width <= 390, $"the Add button lies at x {add?.X}..{add?.X + add?.Width}");
        var save = await page.GetByRole(AriaRole.Button, new() { Name = "Save Social ads" }).BoundingBoxAsync();
        Assert.True(save is { X: >= 0 } && save.X + save.Width <= 390, $"the Save button lies at x {save?.X}..{save?.X + save?.Width}");
        await AppFixture.ScreenshotAsync(page, "channels-390");
        await page.Context.CloseAsync();
    }
}
