using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.EventReports;

internal static class EventReportServices
{
    /// <summary>reportEvent (SPEC §7): the batched, one-round-trip writes of vehicles' event reports.</summary>
    public static IServiceCollection AddEventReports(this IServiceCollection services) => services.AddSingleton<EventReportWriter>();
}
