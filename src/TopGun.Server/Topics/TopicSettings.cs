using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Topics;

/// <summary>Limits of the topic feature (<c>topgun.topics</c>). A publish rate of 0 switches that limit off.</summary>
internal sealed record TopicSettings(int MaxSubscriptionsPerClient, double PublishRatePerSecond, double PublishBurst)
{
    /// <summary>reference.conf's <c>topgun.topics</c>.</summary>
    public static readonly TopicSettings Default = FromConfig(Config.Empty);

    public TopicSettings WithMaxSubscriptionsPerClient(int max) => this with { MaxSubscriptionsPerClient = max };

    public TopicSettings WithPublishRate(double perSecond, double burst) => this with { PublishRatePerSecond = perSecond, PublishBurst = burst };

    /// <summary>Reads <c>topgun.topics</c> over reference.conf.</summary>
    public static TopicSettings FromConfig(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.topics");
        var settings = new TopicSettings(c.Int("max-subscriptions-per-client"), c.Double("publish-rate"), c.Double("publish-burst"));
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (MaxSubscriptionsPerClient <= 0)
            throw new TopGunConfigurationException("topgun.topics.max-subscriptions-per-client must be positive.");
        if (PublishRatePerSecond < 0 || PublishBurst < 0 || (PublishRatePerSecond > 0 && PublishBurst < 1))
            throw new TopGunConfigurationException("topgun.topics: publish-rate must be 0 (off) or positive, and publish-burst at least 1 when it is on.");
    }
}
