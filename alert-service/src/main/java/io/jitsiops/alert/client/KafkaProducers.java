package io.jitsiops.alert.client;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The service's plain kafka-clients producers (the intake's router, the alert-change publisher): the same broker
 * settings the SmallRye channels use, each producer's own settings on top.
 */
public final class KafkaProducers {
    private KafkaProducers() {
    }

    /**
     * {@code kafka}: Quarkus's {@code kafka.*} configuration (bootstrap servers, and whatever an operator adds there:
     * TLS, SASL, time-outs), of which only the producer's keys are taken. {@code settings} win over it; every producer
     * is idempotent and acknowledged by all in-sync replicas, as the channels' were.
     */
    public static KafkaProducer<String, byte[]> create(Map<String, Object> kafka, String clientId, Map<String, Object> settings) {
        Map<String, Object> c = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                c.put(key, value);
            }
        });
        c.putAll(settings);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }
}
