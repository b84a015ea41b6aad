using System.Text.RegularExpressions;
using Ota.Domain;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Architecture;

/// <summary>
/// Task and task-VIN states are named once, in the domain's lifecycle (Ota.Domain/Tasks): SQL takes its state lists from
/// there (Sql.List, Sql.Text), never from a quoted state name of its own.
/// </summary>
public sealed class StateNamesInSql
{
    private static readonly Regex QuotedState = new(
        $"'({string.Join("|", Enum.GetNames<TaskVinState>().Concat(Enum.GetNames<UpgradeTaskStatus>()).Distinct())})'",
        RegexOptions.CultureInvariant);

    [Fact]
    public void NoProductSourceSpellsAStateNameInSql()
    {
        var found = Repository.ProductSources()
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (path, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && QuotedState.IsMatch(l.line))
            .Select(l => $"{Repository.Relative(l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, "State names quoted in SQL; take them from TaskVinLifecycle / TaskLifecycle through Sql.List or Sql.Text:\n"
            + string.Join("\n", found));
    }

    [Fact]
    public void TheCheckFindsAQuotedStateName()
    {
        Assert.Matches(QuotedState, "UPDATE ota_task_vin SET state = 'Pending' WHERE task_id = @task");
        Assert.Matches(QuotedState, "WHERE status IN ('Draft','Published')");
        Assert.DoesNotMatch(QuotedState, "WHERE state IN {Sql.List(TaskVinLifecycle.Claimable)}");
        Assert.NotEmpty(Repository.ProductSources());
    }
}
