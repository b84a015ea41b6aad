using System.Text;
using MiniExcelLibs;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Tests.VinLists;

public sealed class VinListFiles
{
    private static MemoryStream Xlsx(IEnumerable<Dictionary<string, object?>> rows, bool header = true)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows, printHeader: header, excelType: ExcelType.XLSX);
        stream.Position = 0;
        return stream;
    }

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ReadsTheColumnHeadedVinWhereverItIs()
    {
        var file = Xlsx([
            new() { ["Owner"] = "A", ["vin"] = "LTESTA00000000001" },
            new() { ["Owner"] = "B", ["vin"] = "LTESTA00000000002" },
        ]);
        Assert.Equal(["LTESTA00000000001", "LTESTA00000000002"], VinFileReader.ReadEntries(file, "list.xlsx"));
    }

    [Fact]
    public void ReadsTheFirstColumnWhenTheFirstRowIsAlreadyAVin()
    {
        var file = Csv("LTESTA00000000001,x\nltesta00000000002,y\n");
        Assert.Equal(["LTESTA00000000001", "ltesta00000000002"], VinFileReader.ReadEntries(file, "list.csv"));
    }

    [Fact]
    public void AcceptsTheChineseHeader()
    {
        var file = Csv("车架号\nLTESTA00000000001\n");
        Assert.Equal(["LTESTA00000000001"], VinFileReader.ReadEntries(file, "list.csv"));
    }

    [Fact]
    public void AFileWithoutAVinColumnGetsAClearError()
    {
        var file = Xlsx([new() { ["Name"] = "Ada", ["Model"] = "S1" }]);
        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(file, "people.xlsx").ToList());
        Assert.Equal(VinFileReader.CodeNoVinColumn, error.Code);
        Assert.Contains("head their column VIN", error.Message);
    }

    [Theory]
    [InlineData("list.xlsx", "PK but not really a zip file")]
    [InlineData("list.xlsx", "plain text pretending")]
    public void AFileThatIsNotAWorkbookGetsAClearError(string name, string content)
    {
        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(Csv(content), name).ToList());
        Assert.Equal(TabularFile.CodeUnreadable, error.Code);
    }

    // A .txt file was read as CSV although the page (and SPEC §4) say .xlsx or .csv.
    [Theory]
    [InlineData("list.pdf")]
    [InlineData("list.txt")]
    [InlineData("list")]
    public void AnUnsupportedTypeGetsAClearError(string name)
    {
        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(Csv("VIN\nLTESTA00000000001"), name).ToList());
        Assert.Equal(TabularFile.CodeUnsupported, error.Code);
        Assert.Contains("upload a .xlsx or .csv file", error.Message);
    }

    [Fact]
    public void AnEmptyFileGetsAClearError()
    {
        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(Csv(""), "list.csv").ToList());
        Assert.Equal(TabularFile.CodeEmpty, error.Code);
    }
}

public sealed class HostileWorkbooks
{
    [Fact]
    public void AZipBombIsRefusedBeforeItIsUnpacked()
    {
        var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize);
            using var writer = entry.Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++) writer.Write(zeros);
        }
        stream.Position = 0;

        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(stream, "bomb.xlsx").ToList());
        Assert.Equal(TabularFile.CodeUnreadable, error.Code);
        Assert.Contains("zip bomb", error.Message);
    }

    [Fact]
    public void ADamagedZipIsUnreadable()
    {
        var bytes = new byte[4096];
        bytes[0] = (byte)'P';
        bytes[1] = (byte)'K';
        bytes[2] = 3;
        bytes[3] = 4;
        var error = Assert.Throws<TabularFileException>(() => VinFileReader.ReadEntries(new MemoryStream(bytes), "broken.xlsx").ToList());
        Assert.Equal(TabularFile.CodeUnreadable, error.Code);
    }
}
