using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Facts;

/// <summary>
/// The generation of what DDI devices are to be told (SPEC §14): bumped by every instance after it commits a change a DDI
/// poll answers from (a DDI VIN notified or resent by the push, a cancel owed to one, a device's feedback, a new token), so
/// that idle polls are answered from memory and a change reaches every instance's answers within a quarter of a second.
/// </summary>
public sealed class DdiWork(IDatabase redis, TimeProvider clock, ILogger<DdiWork> logger)
    : SharedGeneration(redis, "ota:ddi:generation", TimeSpan.FromMilliseconds(250), clock, logger);
