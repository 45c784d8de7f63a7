package io.jitsiops.k8scheck;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The rendered objects in the fabric8 Kubernetes model (8.0.0), and what the model did not recognise in them. */
final class Model {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Model() {
    }

    /** The object as the model class registered for its apiVersion and kind (GenericKubernetesResource if none). */
    static KubernetesResource load(JsonNode object) {
        return SERIALIZATION.unmarshal(object.toString(), KubernetesResource.class);
    }

    /**
     * Every field the model did not know: fabric8's classes keep unknown properties in {@code additionalProperties}
     * instead of failing, so a typo ({@code readinesProbe}, {@code runAsNonroot}) would load silently. Returns
     * {@code path: [keys]} for each non-empty one.
     */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, found));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getType().isEnum()) {
                    continue;
                }
                Object fieldValue;
                try {
                    f.setAccessible(true);
                    fieldValue = f.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (f.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                    continue;
                }
                walk(fieldValue, path + "." + f.getName(), found);
            }
        }
    }
}
