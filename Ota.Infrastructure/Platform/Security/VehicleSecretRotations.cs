using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The generation of the vehicle secrets (SPEC §15: a rotated secret is refused by every instance within 2 s): bumped
/// when a secret is rotated; each instance drops the secrets it remembers within a quarter of a second. A rotation is an
/// operator's act, rare: every instance then reads each vehicle's secret once more, as it does anyway when the secret
/// leaves its memory (<see cref="VehicleApiOptions.SecretCacheDuration"/>).
/// </summary>
public sealed class VehicleSecretRotations(IDatabase redis, TimeProvider clock, ILogger<VehicleSecretRotations> logger)
    : SharedGeneration(redis, "ota:vehicle-secrets:generation", TimeSpan.FromMilliseconds(250), clock, logger);
