using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Ota.Domain;
using Ota.Infrastructure.VinLists;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// Hostile files through the console's upload path (stored, then read and staged by a background job): each run ends
/// refused with a code, no task and no VIN row comes of it, and the app's memory is where it was.
/// </summary>
[Collection(MemoryMeasured.Name)]
public sealed class HostileSpreadsheets(AppFixture fixture, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task EveryHostileFileIsRefusedWithACodeAndCreatesNoTaskAndNoVinRow()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var validation = services.GetRequiredService<TaskValidationService>();
        var seriesModelId = await fleet.SeriesModelIdAsync("S1-M1");
        var limit = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ValidationOptions>>().Value.MaxEntries;
        var folder = Directory.CreateTempSubdirectory("ota-hostile-").FullName;
        try
        {
            (string Name, Func<string, Task> Write, string Code)[] files =
            [
                ("not-a-zip.xlsx", path => File.WriteAllTextAsync(path, "this is not a workbook"), "FILE_UNREADABLE"),
                ("damaged-zip.xlsx", path => File.WriteAllBytesAsync(path, [(byte)'P', (byte)'K', 3, 4, .. new byte[4096]]), "FILE_UNREADABLE"),
                ("zip-bomb.xlsx", WriteZipBombAsync, "FILE_UNREADABLE"),
                ("list.pdf", path => File.WriteAllTextAsync(path, "%PDF-1.7"), "FILE_TYPE_UNSUPPORTED"),
                ("empty.csv", path => File.WriteAllTextAsync(path, ""), "FILE_EMPTY"),
                ("no-vin-column.xlsx", path => WriteWorkbookAsync(path, ["Name", "Model"], ["Ada", "S1"]), "VIN_COLUMN_MISSING"),
                ("huge-cell.xlsx", path => WriteHugeCellAsync(path, 10_000_000), "VIN_LIST_EMPTY"),
                ("formulas.xlsx", WriteFormulasAsync, "VIN_LIST_EMPTY"),
                ($"{limit + 1}-rows.xlsx", path => WriteRowsAsync(path, limit + 1), ValidationStaging.CodeListTooLong),
            ];

            var tasksBefore = await fixture.Database.CountAsync("ota_task");
            var taskVinsBefore = await fixture.Database.CountAsync("ota_task_vin");
            var memoryBefore = ManagedMemory.LiveBytes();
            foreach (var (name, write, code) in files)
            {
                var path = Path.Combine(folder, name);
                await write(path);
                var size = new FileInfo(path).Length;
                long runId;
                await using (var upload = File.OpenRead(path))
                    runId = await validation.StartFromUploadAsync(
                        new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "hostile")
                        {
                            Task = new TaskSpec($"hostile {name}", 0, null),
                        }, upload, name);
                File.Delete(path);
                var progress = await validation.UntilFinishedAsync(runId, seconds: 240);

                var codes = progress.Status == ValidationRunStatus.Failed ? [progress.Error?.Split(':')[0] ?? ""] : progress.TaskCodes.ToArray();
                output.WriteLine($"{name,-22} {size / 1048576.0,8:F1} MiB  {progress.Status,-9} {string.Join(' ', codes)}");
                Assert.True(progress.Status is ValidationRunStatus.Failed or ValidationRunStatus.Rejected, $"{name}: {progress.Status}");
                Assert.Contains(code, codes);
                Assert.Null(progress.TaskId);
                Assert.Equal(0, await fixture.Database.CountAsync("ota_validation_vin", $"run_id = {runId}"));
                Assert.Equal(0, await fixture.Database.CountAsync("ota_validation_rejection", $"run_id = {runId}"));
            }
            var memoryAfter = await ManagedMemory.SettledLiveBytesAsync(memoryBefore, 64L * 1024 * 1024, TimeSpan.FromSeconds(30));
            output.WriteLine($"managed memory of the test process (the app included): {memoryBefore / 1048576.0:F1} MiB before, {memoryAfter / 1048576.0:F1} MiB after");

            Assert.Equal(tasksBefore, await fixture.Database.CountAsync("ota_task"));
            Assert.Equal(taskVinsBefore, await fixture.Database.CountAsync("ota_task_vin"));
            Assert.True(memoryAfter - memoryBefore < 64L * 1024 * 1024, $"memory grew by {(memoryAfter - memoryBefore) / 1048576.0:F1} MiB");
            // The uploads folder keeps nothing of them either.
            var uploads = Path.Combine(fixture.App.DataFolder, "uploads");
            Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0, "uploaded files were left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WriteZipBombAsync(string path)
    {
        await using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
        await using var writer = entry.Open();
        var zeros = new byte[1024 * 1024];
        for (var i = 0; i < 256; i++) await writer.WriteAsync(zeros);
    }

    private static Task WriteWorkbookAsync(string path, string[] header, string[] row)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("VINs");
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
            sheet.Cell(2, c + 1).Value = row[c];
        }
        workbook.SaveAs(path);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A workbook written by hand, as a hostile tool would: Excel and ClosedXML stop at 32,767 characters a cell, the
    /// file format does not. The cell is random letters, so it does not compress like a zip bomb.
    /// </summary>
    private static async Task WriteHugeCellAsync(string path, int length)
    {
        var random = new Random(10);
        var cell = new StringBuilder(length);
        for (var i = 0; i < length; i++) cell.Append((char)('A' + random.Next(26)));
        await using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, string text)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }
        Add("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
        Add("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Add("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="VINs" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Add("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
        Add("xl/worksheets/sheet1.xml", $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>VIN</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row></sheetData></worksheet>""");
    }

    private static Task WriteFormulasAsync(string path)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("VINs");
        sheet.Cell(1, 1).Value = "VIN";
        sheet.Cell(2, 1).FormulaA1 = "=1+1";
        sheet.Cell(3, 1).FormulaA1 = "=HYPERLINK(\"http://attacker.example/\",\"click\")";
        sheet.Cell(4, 1).FormulaA1 = "=CONCATENATE(\"cmd|' /C calc'!\",\"A0\")";
        sheet.Cell(5, 1).FormulaA1 = "=REPT(\"L\",32767)";
        workbook.SaveAs(path);
        return Task.CompletedTask;
    }

    private static Task WriteRowsAsync(string path, int rows) =>
        MiniExcel.SaveAsAsync(path, Enumerable.Range(1, rows).Select(i => new Dictionary<string, object> { ["VIN"] = TestFleet.TestVin(i, 'Z') }));

}
