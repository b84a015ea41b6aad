using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class VinUploadBehaviour
{
    private static (IRenderedComponent<VinUpload> Upload, List<IBrowserFile> Selected) Render(BunitContext ctx, string? error = null)
    {
        var selected = new List<IBrowserFile>();
        var cut = ctx.Render<VinUpload>(p => p
            .Add(x => x.OnFileSelected, file => selected.Add(file))
            .Add(x => x.TemplateUrl, "/console/downloads/vin-template.xlsx")
            .Add(x => x.Error, error));
        return (cut, selected);
    }

    [Fact]
    public async Task AcceptsACsvOrXlsxListAndHandsItOn()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, selected) = Render(ctx);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("VIN\nLTESTE00000000001\n", "list.csv"));

        Assert.Equal("list.csv", Assert.Single(selected).Name);
        Assert.Empty(cut.FindAll("[data-testid=upload-error]"));
        Assert.Contains("list.csv", cut.Find("[data-testid=chosen-file]").TextContent);
    }

    [Fact]
    public async Task RefusesAnotherFileTypeBesideTheFieldWithoutHandingItOn()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, selected) = Render(ctx);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("%PDF-1.4", "vins.pdf"));

        Assert.Empty(selected);
        Assert.Equal("Files of type '.pdf' are not supported: upload a .xlsx or .csv file.", cut.Find("[data-testid=upload-error]").TextContent);
    }

    [Fact]
    public async Task RefusesAnEmptyFile()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, selected) = Render(ctx);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([], "empty.xlsx"));

        Assert.Empty(selected);
        Assert.Equal("The file is empty.", cut.Find("[data-testid=upload-error]").TextContent);
    }

    [Fact]
    public async Task ShowsAProblemFoundLaterBesideTheFieldAndOffersTheTemplate()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, _) = Render(ctx, error: "The list holds no VINs.");

        Assert.Equal("The list holds no VINs.", cut.Find("[data-testid=upload-error]").TextContent);
        Assert.Equal("/console/downloads/vin-template.xlsx", cut.Find("[data-testid=template-download]").GetAttribute("href"));
    }
}
