using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Ota.Infrastructure.Platform.Adapters;

public static class AdapterServiceRegistration
{
    /// <summary>
    /// Registers the outgoing HTTP adapters (<see cref="IChatWebhook"/>, <see cref="ILogService"/>, <see cref="IMessageService"/>,
    /// <see cref="IMobilePush"/>) with retries and timeouts from <c>Adapters:Http</c>. An adapter whose URL is not configured
    /// answers <see cref="AdapterOutcome.NotConfigured"/> without a call. Request logging is removed: webhook URLs carry tokens.
    /// </summary>
    public static IServiceCollection AddOtaAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<AdapterHttpOptions>()
            .Bind(configuration.GetSection(AdapterHttpOptions.Section))
            .Validate(o => o.MaxRetryAttempts is >= 1 and <= 10, "Adapters:Http:MaxRetryAttempts must be between 1 and 10.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero, "Adapters:Http:RetryDelay must not be negative.")
            .Validate(o => o.AttemptTimeout >= TimeSpan.FromMilliseconds(10), "Adapters:Http:AttemptTimeout must be at least 10 ms.")
            .Validate(o => o.TotalTimeout > o.AttemptTimeout, "Adapters:Http:TotalTimeout must exceed Adapters:Http:AttemptTimeout.")
            .ValidateOnStart();

        services.AddOptions<ChatWebhookOptions>()
            .Bind(configuration.GetSection(ChatWebhookOptions.Section))
            .Validate(o => Enum.GetValues<ChatGroup>().All(g => IsUsableUrl(o.For(g).Url)),
                "Every Webhooks:<Group>:Url must be an absolute http(s) URL when set.")
            .ValidateOnStart();
        AddEndpointOptions<LogServiceOptions>(services, configuration, LogServiceOptions.Section);
        AddEndpointOptions<MessageServiceOptions>(services, configuration, MessageServiceOptions.Section);
        AddEndpointOptions<MobilePushOptions>(services, configuration, MobilePushOptions.Section);

        services.AddHttpClient<IChatWebhook, FeishuChatWebhook>().RemoveAllLoggers().AddAdapterResilience();
        services.AddHttpClient<ILogService, HttpLogService>().RemoveAllLoggers().AddAdapterResilience();
        services.AddHttpClient<IMessageService, HttpMessageService>().RemoveAllLoggers().AddAdapterResilience();
        services.AddHttpClient<IMobilePush, HttpMobilePush>().RemoveAllLoggers().AddAdapterResilience();
        return services;
    }

    private static void AddEndpointOptions<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : AdapterEndpointOptions
    {
        services.AddOptions<T>()
            .Bind(configuration.GetSection(section))
            .Validate(o => IsUsableUrl(o.Url), $"{section}:Url must be an absolute http(s) URL when set.")
            .ValidateOnStart();
    }

    private static IHttpClientBuilder AddAdapterResilience(this IHttpClientBuilder builder)
    {
        builder.AddStandardResilienceHandler().Configure((HttpStandardResilienceOptions resilience, IServiceProvider services) =>
        {
            var http = services.GetRequiredService<IOptions<AdapterHttpOptions>>().Value;
            resilience.Retry.MaxRetryAttempts = http.MaxRetryAttempts;
            resilience.Retry.Delay = http.RetryDelay;
            resilience.Retry.BackoffType = DelayBackoffType.Exponential;
            resilience.Retry.UseJitter = true;
            resilience.AttemptTimeout.Timeout = http.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = http.TotalTimeout;
            // The standard pipeline requires the breaker's window to cover at least two attempts.
            var sampling = 2 * http.AttemptTimeout;
            resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    private static bool IsUsableUrl(string? url) =>
        string.IsNullOrWhiteSpace(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
