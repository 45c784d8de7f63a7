package io.jitsiops.k8scheck;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The pod templates of an overlay's workloads. */
record Workloads(String overlay, String kind, String name, PodTemplateSpec template) {

    /** True for a long-running server (probes expected), false for a Job. */
    boolean serving() {
        return !kind.equals("Job");
    }

    String where() {
        return overlay + ": " + kind + " " + name;
    }

    static List<Workloads> of(String overlay) {
        List<Workloads> out = new ArrayList<>();
        for (JsonNode object : Manifests.objects(overlay)) {
            KubernetesResource r = Model.load(object);
            String name = Manifests.name(object);
            if (r instanceof Deployment d) {
                out.add(new Workloads(overlay, "Deployment", name, d.getSpec().getTemplate()));
            } else if (r instanceof StatefulSet s) {
                out.add(new Workloads(overlay, "StatefulSet", name, s.getSpec().getTemplate()));
            } else if (r instanceof DaemonSet d) {
                out.add(new Workloads(overlay, "DaemonSet", name, d.getSpec().getTemplate()));
            } else if (r instanceof Job j) {
                out.add(new Workloads(overlay, "Job", name, j.getSpec().getTemplate()));
            }
        }
        return out;
    }

    static List<Workloads> all() {
        return Manifests.overlays().stream().flatMap(o -> of(o).stream()).toList();
    }
}
