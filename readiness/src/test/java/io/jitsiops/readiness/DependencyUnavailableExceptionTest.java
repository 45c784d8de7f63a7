package io.jitsiops.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

class DependencyUnavailableExceptionTest {

    @Test
    void aRefusedConnectionToTheDatabaseAddressIsAPostgresqlOutage() {
        var refused = new RuntimeException(new ConnectException("Connection refused: /127.0.0.1:18432"));
        assertThat(DependencyUnavailableException.postgresOutage(refused, "127.0.0.1:18432"))
                .hasValueSatisfying(e -> assertThat(e.dependency()).isEqualTo("PostgreSQL"));
    }

    @Test
    void aRefusedConnectionElsewhereIsNot() {
        var refused = new ConnectException("Connection refused: /127.0.0.1:8080");
        assertThat(DependencyUnavailableException.postgresOutage(refused, "127.0.0.1:18432")).isEmpty();
    }

    @Test
    void aQueryFaultIsNotAnOutageButAnUnavailableServerIs() {
        var syntax = new io.vertx.pgclient.PgException("syntax error", "ERROR", "42601", null);
        var shuttingDown = new io.vertx.pgclient.PgException("terminating connection", "FATAL", "57P01", null);
        assertThat(DependencyUnavailableException.postgresOutage(syntax, "127.0.0.1:18432")).isEmpty();
        assertThat(DependencyUnavailableException.postgresOutage(shuttingDown, "127.0.0.1:18432")).isPresent();
    }

    @Test
    void readsTheDatabaseAddressFromTheReactiveUrl() {
        assertThat(DependencyOutageResponses.hostAndPort("postgresql://127.0.0.1:18432/jitsiops")).isEqualTo("127.0.0.1:18432");
        assertThat(DependencyOutageResponses.hostAndPort("postgresql://db.jitsi-ops.svc/jitsiops")).isEqualTo("db.jitsi-ops.svc:5432");
    }
}
