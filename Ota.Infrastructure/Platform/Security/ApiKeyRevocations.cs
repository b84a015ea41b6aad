using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The generation of the open-API keys (SPEC §15: a revoked key is refused by every instance within 2 s): bumped when a
/// key is revoked or its rights change; each instance drops the keys it remembers within a quarter of a second.
/// </summary>
public sealed class ApiKeyRevocations(IDatabase redis, TimeProvider clock, ILogger<ApiKeyRevocations> logger)
    : SharedGeneration(redis, "ota:apikeys:generation", TimeSpan.FromMilliseconds(250), clock, logger);
