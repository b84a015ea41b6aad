using Bunit;
using Ota.Infrastructure.VinLists;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class VerdictSummaryRendering
{
    private static ValidationProgress Progress(ValidationRunStatus status, int accepted, IReadOnlyDictionary<string, int> reasons,
        string[]? taskCodes = null, string? details = null, string? error = null)
    {
        var rejected = reasons.Values.Sum();
        return new ValidationProgress(42, status == ValidationRunStatus.Completed ? 9 : null, status, accepted + rejected, accepted + rejected, 1, 1,
            accepted + rejected, accepted, rejected, reasons, taskCodes ?? [], details, error);
    }

    [Fact]
    public async Task ListsTheRejectionsByReasonInWordsMostFrequentFirstWithTheExcelDownload()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = ctx.Render<VerdictSummary>(p => p
            .Add(x => x.Progress, Progress(ValidationRunStatus.Completed, 120, new Dictionary<string, int>
            {
                ["VIN_MALFORMED"] = 1, ["VEHICLE_NOT_FOUND"] = 240, ["BLACKLISTED"] = 3,
            }))
            .Add(x => x.RejectedDownloadUrl, "/console/downloads/validation-runs/42/rejected.xlsx"));

        Assert.Equal("120", cut.Find("[data-testid=accepted-count]").TextContent);
        Assert.Equal("244", cut.Find("[data-testid=rejected-count]").TextContent);
        var rows = cut.FindAll("[data-testid=reasons] tbody tr");
        Assert.Equal(["reason-VEHICLE_NOT_FOUND", "reason-BLACKLISTED", "reason-VIN_MALFORMED"], rows.Select(r => r.GetAttribute("data-testid")));
        Assert.Contains("The vehicle is not in the vehicle registry.", rows[0].TextContent);
        Assert.Contains("240", rows[0].TextContent);
        Assert.Equal("/console/downloads/validation-runs/42/rejected.xlsx", cut.Find("[data-testid=download-rejected]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=none-accepted]"));
    }

    [Fact]
    public async Task OffersNoDownloadWhenNothingWasRejected()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = ctx.Render<VerdictSummary>(p => p
            .Add(x => x.Progress, Progress(ValidationRunStatus.Completed, 5, new Dictionary<string, int>()))
            .Add(x => x.RejectedDownloadUrl, "/x.xlsx"));

        Assert.Empty(cut.FindAll("[data-testid=download-rejected]"));
        Assert.Empty(cut.FindAll("[data-testid=reasons]"));
    }

    [Fact]
    public async Task SaysSoWhenNoVinWasAccepted()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = ctx.Render<VerdictSummary>(p => p
            .Add(x => x.Progress, Progress(ValidationRunStatus.Completed, 0, new Dictionary<string, int> { ["BLACKLISTED"] = 2 })));

        Assert.Contains("No VIN was accepted", cut.Find("[data-testid=none-accepted]").TextContent);
    }

    [Fact]
    public async Task ATaskLevelRejectionNamesEveryCodeWithItsDetails()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = ctx.Render<VerdictSummary>(p => p
            .Add(x => x.Progress, Progress(ValidationRunStatus.Rejected, 0, new Dictionary<string, int>(),
                taskCodes: ["STRATEGY_DEFAULT_MISSING", "VIN_LIST_EMPTY"], details: "STRATEGY_DEFAULT_MISSING: Series-model S9 has no default upgrade strategy."))
            .Add(x => x.RejectedDownloadUrl, "/x.xlsx"));

        var lines = cut.FindAll("[data-testid=task-code]").Select(e => e.TextContent).ToList();
        Assert.Equal(["STRATEGY_DEFAULT_MISSING: Series-model S9 has no default upgrade strategy.", "VIN_LIST_EMPTY: The list holds no VINs."], lines);
        Assert.Empty(cut.FindAll("[data-testid=download-rejected]"));
    }

    [Fact]
    public async Task AFileThatCouldNotBeReadIsSaidInWordsWithItsCode()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = ctx.Render<VerdictSummary>(p => p
            .Add(x => x.Progress, Progress(ValidationRunStatus.Failed, 0, new Dictionary<string, int>(),
                error: "FILE_UNREADABLE: The file is not a readable .xlsx workbook.")));

        Assert.Equal("The file is not a readable .xlsx workbook. (FILE_UNREADABLE)", cut.Find("[data-testid=run-failed]").TextContent.Trim());
    }
}
