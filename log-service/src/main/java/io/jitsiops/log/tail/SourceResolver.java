package io.jitsiops.log.tail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.jitsiops.deployment.DeploymentDescription.LogSource;

/** Turns the configured {@code logs[]} into files to follow: a path as it is, a glob into its current matches. */
public final class SourceResolver {
    private SourceResolver() {
    }

    static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0 || path.indexOf('{') >= 0;
    }

    public static List<TailSource> resolve(LogSource s, ZoneId defaultZone) throws IOException {
        ZoneId zone = s.timeZone() == null ? defaultZone : ZoneId.of(s.timeZone());
        boolean cri = s.cri() != null ? s.cri() : s.path().startsWith("/var/log/pods/");
        List<TailSource> out = new ArrayList<>();
        if (!isGlob(s.path())) {
            out.add(new TailSource(s.component(), s.format(), Path.of(s.path()), zone, cri));
            return out;
        }
        Path pattern = Path.of(s.path());
        Path base = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
        int depth = 0;
        boolean inGlob = false;
        for (Path part : pattern) {
            if (!inGlob && !isGlob(part.toString())) {
                base = base.resolve(part);
            } else {
                inGlob = true;
                depth++;
            }
        }
        if (!Files.isDirectory(base)) {
            return out;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + s.path());
        int maxDepth = s.path().contains("**") ? Integer.MAX_VALUE : depth;
        try (Stream<Path> files = Files.walk(base, maxDepth)) {
            files.filter(p -> m.matches(p) && Files.isRegularFile(p)).sorted()
                    .forEach(p -> out.add(new TailSource(s.component(), s.format(), p, zone, cri)));
        }
        return out;
    }
}
