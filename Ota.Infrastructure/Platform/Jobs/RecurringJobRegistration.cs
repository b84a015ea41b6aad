using System.Linq.Expressions;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>A job a flow runs on a schedule; <see cref="RecurringJobSchedule"/> hands it to Hangfire.</summary>
/// <param name="Setting">The configuration key of <paramref name="Cron"/>, named when Hangfire cannot read it.</param>
public sealed record RecurringJobRegistration(string Id, Job Job, string Cron, TimeZoneInfo TimeZone, string Setting);

public static class RecurringJobRegistrations
{
    /// <summary>Registers a recurring job whose schedule is read from the configuration when the schedule starts.</summary>
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string id, Expression<Func<T, Task>> call,
        Func<IServiceProvider, (string Cron, TimeZoneInfo TimeZone, string Setting)> schedule)
    {
        services.AddSingleton(sp =>
        {
            var (cron, zone, setting) = schedule(sp);
            return new RecurringJobRegistration(id, Job.FromExpression(call), cron, zone, setting);
        });
        return services;
    }
}
