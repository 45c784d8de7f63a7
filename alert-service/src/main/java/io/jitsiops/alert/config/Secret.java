package io.jitsiops.alert.config;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A value that must never be shown: webhook URLs (a Slack incoming-webhook URL is its own credential), the SMTP
 * password, the ack-link signing key. Like Alertmanager's {@code config.Secret}/{@code SecretURL}, its
 * {@link #toString()} and its JSON form are a fixed mask, so logging or serialising it by mistake shows nothing;
 * only {@link #reveal()} gives the value, at the one place that uses it.
 */
public final class Secret {
    public static final String MASK = "<secret>";
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Also the converter SmallRye Config uses for configuration values of this type. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isBlank();
    }

    @JsonValue
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
