package io.jitsiops.sim.janssen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

/** SCIM 2.0 users held in memory by the simulated jans-scim, in creation order (stable paging). */
@ApplicationScoped
public class ScimUsers {
    public static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private final Map<String, Map<String, Object>> users = Collections.synchronizedMap(new LinkedHashMap<>());

    public Map<String, Object> create(Map<String, Object> body, String location) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> user = new LinkedHashMap<>(body);
        user.put("schemas", List.of(USER_SCHEMA));
        user.put("id", id);
        String now = Instant.now().toString();
        user.put("meta", Map.of("resourceType", "User", "created", now, "lastModified", now, "location", location + "/" + id));
        users.put(id, user);
        return user;
    }

    public Optional<Map<String, Object>> get(String id) {
        return Optional.ofNullable(users.get(id));
    }

    public boolean delete(String id) {
        return users.remove(id) != null;
    }

    public List<Map<String, Object>> all() {
        synchronized (users) {
            return new ArrayList<>(users.values());
        }
    }

    /**
     * A SCIM filter (RFC 7644 3.4.2.2) over top-level attributes, the subset the simulator understands:
     * {@code attr eq|ne|co|sw|ew "value"} and {@code attr pr}, joined by {@code and}; attribute names and
     * {@code eq} on userName are case-insensitive as the core schema says.
     *
     * @throws IllegalArgumentException for anything else (the caller answers 400 invalidFilter)
     */
    public static Predicate<Map<String, Object>> filter(String expression) {
        Predicate<Map<String, Object>> all = u -> true;
        for (String part : expression.trim().split("(?i)\\s+and\\s+")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?i)^([A-Za-z][\\w.]*)\\s+(eq|ne|co|sw|ew)\\s+\"((?:[^\"\\\\]|\\\\.)*)\"$|^([A-Za-z][\\w.]*)\\s+pr$")
                    .matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("unsupported filter '" + part.trim() + "'");
            }
            if (m.group(4) != null) {
                String attr = m.group(4);
                all = all.and(u -> value(u, attr) != null);
                continue;
            }
            String attr = m.group(1);
            String op = m.group(2).toLowerCase(Locale.ROOT);
            String wanted = m.group(3).replace("\\\"", "\"").toLowerCase(Locale.ROOT);
            all = all.and(u -> {
                Object v = value(u, attr);
                String s = v == null ? null : v.toString().toLowerCase(Locale.ROOT);
                return switch (op) {
                    case "eq" -> wanted.equals(s);
                    case "ne" -> !wanted.equals(s);
                    case "co" -> s != null && s.contains(wanted);
                    case "sw" -> s != null && s.startsWith(wanted);
                    default -> s != null && s.endsWith(wanted);
                };
            });
        }
        return all;
    }

    private static Object value(Map<String, Object> user, String attr) {
        return user.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(attr)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
