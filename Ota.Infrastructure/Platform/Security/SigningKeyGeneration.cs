using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// The generation of the signing keys: bumped when a key is made, rotated in or retired; each instance reads its keys
/// again within a quarter of a second, so a rotation reaches every instance well within 2 s.
/// </summary>
public sealed class SigningKeyGeneration(IDatabase redis, TimeProvider clock, ILogger<SigningKeyGeneration> logger)
    : SharedGeneration(redis, "ota:signing-keys:generation", TimeSpan.FromMilliseconds(250), clock, logger);
