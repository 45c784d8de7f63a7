package io.jitsiops.log.analysis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jitsiops.log.config.LogConfig;

/**
 * Reads the rules file once at start-up: an invalid file stops the service, naming the rule and key.
 * The rules are immutable: produced {@code @Singleton}, injected as the instance itself. As an
 * {@code @ApplicationScoped} bean they were injected as a client proxy that looked the instance up in the
 * application context on every call: the tail-to-Kafka profile (JFR) found one such look-up per shipped entry.
 */
@ApplicationScoped
public class RulesProducer {
    @Produces
    @Singleton
    CategoryRules rules(LogConfig config) {
        return CategoryRules.load(config.rulesFile());
    }
}
