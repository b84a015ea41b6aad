using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Rollouts;

/// <summary>
/// Runs <see cref="RolloutEvaluation"/> every <see cref="RolloutOptions.EvaluationInterval"/> on this instance. Every
/// instance runs one, so the gates keep working when any of them is down; a round that fails (the database away) is
/// logged and the next one tries again.
/// </summary>
public sealed partial class RolloutEvaluator(RolloutEvaluation evaluation, IOptions<RolloutOptions> options, TimeProvider clock,
    ILogger<RolloutEvaluator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Evaluate) return;
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, clock);
        do
        {
            try
            {
                var report = await evaluation.EvaluateAsync(stoppingToken);
                if (report.Paused + report.GroupsOpened + report.TimedOut > 0) LogRound(report.ToString());
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
            }
        }
        // Throws when the host stops, which ends the service as the host expects.
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout evaluation: {Report}")]
    private partial void LogRound(string report);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rollout evaluation failed; the next round tries again")]
    private partial void LogFailed(Exception e);
}
