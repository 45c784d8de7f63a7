package io.jitsiops.log.analysis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.jitsiops.log.config.LogConfig;

/** Reads the rules file once at start-up: an invalid file stops the service, naming the rule and key. */
@ApplicationScoped
public class RulesProducer {
    @Produces
    @ApplicationScoped
    CategoryRules rules(LogConfig config) {
        return CategoryRules.load(config.rulesFile());
    }
}
