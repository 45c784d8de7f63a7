package io.jitsiops.status.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;


class PanelSourceTest {

    @Test
    void anUnreachableServiceBecomesA503NamingTheServiceWhereAndWhy() {
        var answer = PanelSource.unavailable("alert-service", URI.create("http://alert-service:8080"),
                PanelSource.reason(new RuntimeException(new ConnectException("Connection refused: alert-service/10.0.0.7:8080"))));
        assertThat(answer.getStatus()).isEqualTo(503);
        @SuppressWarnings("unchecked") Map<String, String> body = (Map<String, String>) answer.getEntity();
        assertThat(body).containsEntry("service", "alert-service")
                .containsEntry("url", "http://alert-service:8080")
                .containsEntry("unavailable", "not reachable (connection refused)");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsSaidSo() {
        assertThat(PanelSource.reason(new TimeoutException("The timeout period of 2000ms has been exceeded")))
                .isEqualTo("no answer within the status page's timeout");
    }
}
