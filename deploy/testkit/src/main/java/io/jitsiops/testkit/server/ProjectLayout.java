package io.jitsiops.testkit.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the project's build outputs are: server jars, the simulator and the services' fast-jars. */
public final class ProjectLayout {
    private final Path root;

    private ProjectLayout(Path root) {
        this.root = root;
    }

    /**
     * The project root: {@code -Djitsiops.root}, {@code JITSIOPS_ROOT}, or the first folder above the working
     * directory that holds {@code deploy/servers}.
     */
    public static ProjectLayout find() {
        String configured = System.getProperty("jitsiops.root", System.getenv("JITSIOPS_ROOT"));
        if (configured != null && !configured.isBlank() && Files.isDirectory(Paths.get(configured, "deploy", "servers"))) {
            return new ProjectLayout(Paths.get(configured).toAbsolutePath().normalize());
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy").resolve("servers"))) {
                return new ProjectLayout(p);
            }
        }
        throw new IllegalStateException("cannot find the jitsi-ops project root (set JITSIOPS_ROOT)");
    }

    public Path root() {
        return root;
    }

    /** The classpath folder of a server copied from Maven Central by {@code deploy/servers/NAME}. */
    public Path serverLib(String server) {
        Path lib = root.resolve("deploy/servers").resolve(server).resolve("target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build first (./mvnw -B package -DskipTests)");
        }
        return lib;
    }

    /** The Quarkus fast-jar launcher of a module, e.g. {@code health-service} or {@code deploy/jitsi-sim}. */
    public Path quarkusRunJar(String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -B package -DskipTests)");
        }
        return jar;
    }

    public static Path javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }
}
