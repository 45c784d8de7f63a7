package io.jitsiops.testkit.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Quarkus fast-jar of this project (a service or the simulator), ready when its readiness check says UP. */
public final class QuarkusAppServer extends LocalServer {
    private final ProjectLayout layout;
    private final String module;
    private final int port;
    private final Map<String, String> env;

    /**
     * @param env configuration as environment variables (Quarkus maps {@code QUARKUS_HTTP_PORT} and the like)
     */
    public QuarkusAppServer(ProjectLayout layout, String name, String module, Path dir, int port, Map<String, String> env) {
        super(name, dir);
        this.layout = layout;
        this.module = module;
        this.port = port;
        this.env = new LinkedHashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String endpoint() {
        return url();
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(ProjectLayout.javaBinary().toString(), "-Xmx256m",
                "-XX:+UseSerialGC"));
        cmd.addAll(List.of("-jar", layout.quarkusRunJar(module).toString()));
        return cmd;
    }

    @Override
    protected Map<String, String> environment() {
        return env;
    }

    @Override
    public boolean ready() {
        return Probes.httpStatus(url() + "/q/health/ready") == 200;
    }
}
