package io.jitsiops.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code up | down | status} for the local stack; {@code deploy/local/stack.sh} is its front.
 * Environment: {@code JITSIOPS_STATE_DIR} (default deploy/local/state), {@code JITSIOPS_PORT_BASE}
 * (default 18000), {@code JITSIOPS_DEPLOYMENT_FILE} (a real deployment: the simulator is not started).
 */
public final class StackCli {
    private StackCli() {
    }

    public static void main(String[] args) throws IOException {
        ProjectLayout layout = ProjectLayout.find();
        Path state = Path.of(env("JITSIOPS_STATE_DIR", layout.root().resolve("deploy/local/state").toString())).toAbsolutePath();
        int base = Integer.parseInt(env("JITSIOPS_PORT_BASE", "18000"));
        String external = System.getenv("JITSIOPS_DEPLOYMENT_FILE");
        LocalStack stack = new LocalStack(layout, state, base,
                external == null || external.isBlank() ? null : Path.of(external).toAbsolutePath());
        String command = args.length == 0 ? "status" : args[0];
        int code = switch (command) {
            case "up" -> up(stack);
            case "down" -> down(stack);
            case "status" -> status(stack);
            default -> {
                System.err.println("usage: stack.sh up|down|status|logs [name]");
                yield 2;
            }
        };
        System.exit(code);
    }

    static int up(LocalStack stack) throws IOException {
        List<LocalServer> launched = new ArrayList<>();
        for (LocalServer server : stack.all()) {
            if (stack.services.contains(server) && server == stack.services.get(0)) {
                // Everything the services need is up: describe the deployment, then start the services together.
                stack.writeDeploymentFile();
            }
            Optional<ProcessHandle> running = stack.running(server);
            if (running.isPresent()) {
                System.out.printf("%-16s already running (pid %d)%n", server.name(), running.get().pid());
                continue;
            }
            System.out.printf("%-16s starting…%n", server.name());
            server.launch(true);
            server.writePidFile(stack.pidFile(server));
            if (stack.services.contains(server)) {
                launched.add(server); // services start in parallel; awaited below
            } else {
                server.awaitReady();
            }
        }
        for (LocalServer service : launched) {
            service.awaitReady();
        }
        return status(stack);
    }

    static int down(LocalStack stack) throws IOException {
        List<LocalServer> all = new ArrayList<>(stack.all());
        java.util.Collections.reverse(all);
        for (LocalServer server : all) {
            Optional<ProcessHandle> running = stack.running(server);
            if (running.isPresent()) {
                System.out.printf("%-16s stopping pid %d%n", server.name(), running.get().pid());
                server.stop(running.get());
            }
            Files.deleteIfExists(stack.pidFile(server));
        }
        System.out.println("stopped; state kept in " + stack.pidFile(stack.kafka).getParent().getParent());
        return 0;
    }

    static int status(LocalStack stack) {
        int notReady = 0;
        System.out.printf("%-16s %-8s %-10s %s%n", "NAME", "PID", "STATE", "ENDPOINT");
        for (LocalServer server : stack.all()) {
            Optional<ProcessHandle> running = stack.running(server);
            String state = running.isEmpty() ? "stopped" : server.ready() ? "ready" : "starting";
            if (!"ready".equals(state)) {
                notReady++;
            }
            System.out.printf("%-16s %-8s %-10s %s%n", server.name(), running.map(h -> String.valueOf(h.pid())).orElse("-"),
                    state, server.endpoint());
        }
        System.out.println("deployment description: " + stack.deploymentFile());
        return notReady == 0 ? 0 : 1;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
