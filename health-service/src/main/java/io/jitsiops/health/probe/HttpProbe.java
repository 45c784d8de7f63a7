package io.jitsiops.health.probe;

import java.net.URI;

import io.jitsiops.health.config.HealthConfig;

/** A probe that reads one URL of its target. */
public abstract class HttpProbe extends AbstractProbe {
    protected final URI uri;
    protected final HttpProber http;
    protected final HealthConfig config;

    protected HttpProbe(CheckKey key, ProbeSettings settings, URI uri, HttpProber http, HealthConfig config) {
        super(key, settings);
        this.uri = uri;
        this.http = http;
        this.config = config;
    }
}
