namespace Ota.Testing;

/// <summary>
/// What `./ota test` provides: the test MariaDB, Redis and S3-compatible server (s3rver), on their own ports with data under
/// .data/test, a master key, and Mosquitto's path. Running the tests another way fails with this message rather than skipping silently.
/// </summary>
public static class TestEnvironment
{
    public static string MySql => Required("OTA_TEST_MYSQL");
    public static string Redis => Required("OTA_TEST_REDIS");
    public static string MasterKey => Required("OTA_TEST_MASTER_KEY");

    /// <summary>The s3rver that `./ota test` starts, for example <c>http://127.0.0.1:4569</c> (keys <c>S3RVER</c> / <c>S3RVER</c>).</summary>
    public static string S3 => Required("OTA_TEST_S3_URL");

    /// <summary>The Mosquitto executable `./ota test` installed from the OS packages (for example <c>/usr/sbin/mosquitto</c>).</summary>
    public static string Mosquitto => Required("OTA_TEST_MOSQUITTO");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with ./ota test, which starts the test MariaDB, Redis and s3rver and sets it.");
}
