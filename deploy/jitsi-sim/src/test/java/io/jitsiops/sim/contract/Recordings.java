package io.jitsiops.sim.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What the contract tests share: reading a recorded payload from the test resources, and a JSON object's keys. */
final class Recordings {
    private Recordings() {
    }

    /** A resource under {@code src/test/resources} as UTF-8 text; a missing one fails the test naming it. */
    static String text(String path) throws IOException {
        try (InputStream in = Recordings.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A JSON object's member names in document order (the order is part of what some contracts hold). */
    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
