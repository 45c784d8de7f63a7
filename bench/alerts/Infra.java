import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.jitsiops.testkit.server.LocalServer;
import io.jitsiops.testkit.server.LocalStack;
import io.jitsiops.testkit.server.ProjectLayout;

/**
 * Starts (or stops) only what the alert benchmarks need from the local stack, on its usual ports from BASE:
 * PostgreSQL, Kafka and the simulator (the OIDC issuer). The other services stay off: they would compete for
 * the CPU. Run: java -cp deploy/testkit/target/testkit-0.1.0-SNAPSHOT.jar bench/alerts/Infra.java up|down STATE BASE
 */
public class Infra {
    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack(ProjectLayout.find(), Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]), null);
        List<LocalServer> parts = new ArrayList<>(List.of(stack.postgres, stack.kafka, stack.simulator));
        if (args[0].equals("up")) {
            for (LocalServer s : parts) {
                if (stack.running(s).isPresent()) {
                    continue;
                }
                s.launch(true);
                s.writePidFile(stack.pidFile(s));
                s.awaitReady();
                System.out.println(s.name() + " ready at " + s.endpoint());
            }
        } else {
            Collections.reverse(parts);
            for (LocalServer s : parts) {
                stack.running(s).ifPresent(s::stop);
            }
        }
        System.exit(0);
    }
}
