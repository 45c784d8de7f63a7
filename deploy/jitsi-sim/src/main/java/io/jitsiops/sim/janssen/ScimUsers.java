package io.jitsiops.sim.janssen;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** SCIM 2.0 users held in memory by the simulated jans-scim. */
@ApplicationScoped
public class ScimUsers {
    public static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();

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
        return List.copyOf(users.values());
    }
}
