namespace Ota.Testing;

/// <summary>
/// What `./ota test` provides: the test MariaDB and Redis (their own ports and data under .data/test) and a master key.
/// Running the tests another way fails with this message rather than skipping silently.
/// </summary>
public static class TestEnvironment
{
    public static string MySql => Required("OTA_TEST_MYSQL");
    public static string Redis => Required("OTA_TEST_REDIS");
    public static string MasterKey => Required("OTA_TEST_MASTER_KEY");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with ./ota test, which starts the test MariaDB and Redis and sets it.");
}
