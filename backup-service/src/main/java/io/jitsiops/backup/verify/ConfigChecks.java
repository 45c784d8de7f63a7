package io.jitsiops.backup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import io.jitsiops.backup.archive.ProcessRunner;

/**
 * Restored configuration parses: prosody's Lua with {@code luac -p} (Debian lua5.4), nginx with {@code nginx -t}
 * (each server file inside a minimal {@code http} block, since the live nginx.conf includes absolute paths),
 * Jitsi's HOCON {@code .conf} with the Typesafe Config library Jitsi itself reads them with, JSON and YAML.
 * A tool that is not installed makes its check "skipped", never passed silently.
 */
public final class ConfigChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String[] LUAC = { "/usr/bin/luac5.4", "/usr/bin/luac" };
    private static final String[] NGINX = { "/usr/sbin/nginx", "/usr/bin/nginx" };

    private ConfigChecks() {
    }

    /** {@code nginxTree}: the folder is an nginx configuration (its .conf files are nginx, not HOCON). */
    public static List<Check> check(String item, Path root, boolean nginxTree, Path scratch) throws IOException {
        List<Check> checks = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> Files.isRegularFile(p)).sorted().toList();
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString();
            String name = f.getFileName().toString();
            try {
                if (name.endsWith(".lua")) {
                    checks.add(lua(item, rel, f));
                } else if (name.endsWith(".json")) {
                    JSON.readTree(f.toFile());
                    checks.add(Check.ok(item, "json", rel));
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    YAML.readTree(f.toFile());
                    checks.add(Check.ok(item, "yaml", rel));
                } else if (name.endsWith(".conf") && nginxTree) {
                    checks.add(nginx(item, rel, f, scratch));
                } else if (name.endsWith(".conf")) {
                    ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                            .setAllowMissing(false)).resolve();
                    checks.add(Check.ok(item, "hocon", rel));
                }
            } catch (IOException | RuntimeException e) {
                checks.add(Check.failed(item, kind(name, nginxTree), rel + ": " + firstLine(e.getMessage())));
            }
        }
        return checks;
    }

    private static Check lua(String item, String rel, Path f) throws IOException {
        String luac = first(LUAC);
        if (luac == null) {
            return Check.ok(item, "lua-skipped", rel + ": luac not installed (apt-get install lua5.4)");
        }
        try {
            ProcessRunner.run(List.of(luac, "-p", f.toString()), Map.of(), null, null, Duration.ofSeconds(20));
            return Check.ok(item, "lua", rel);
        } catch (ProcessRunner.ToolFailedException e) {
            return Check.failed(item, "lua", rel + ": " + e.getMessage());
        }
    }

    private static Check nginx(String item, String rel, Path f, Path scratch) throws IOException {
        String nginx = first(NGINX);
        if (nginx == null) {
            return Check.ok(item, "nginx-skipped", rel + ": nginx not installed");
        }
        String text = Files.readString(f);
        Path wrapper = Files.createTempFile(scratch, "nginx-test", ".conf");
        Path prefix = Files.createTempDirectory(scratch, "nginx-prefix");
        Files.createDirectories(prefix.resolve("logs"));
        String body = text.matches("(?s).*\\bhttp\\s*\\{.*") ? "include " + f + ";\n"
                : "events {}\nhttp {\n  include " + f + ";\n}\n";
        Files.writeString(wrapper, "pid " + prefix.resolve("nginx.pid") + ";\nerror_log stderr;\n"
                + body);
        try {
            ProcessRunner.run(List.of(nginx, "-t", "-q", "-p", prefix.toString(), "-c", wrapper.toString()), Map.of(), null, null,
                    Duration.ofSeconds(20));
            return Check.ok(item, "nginx", rel);
        } catch (ProcessRunner.ToolFailedException e) {
            return Check.failed(item, "nginx", rel + ": " + e.getMessage());
        }
    }

    private static String kind(String name, boolean nginxTree) {
        if (name.endsWith(".json")) {
            return "json";
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "yaml";
        }
        if (name.endsWith(".lua")) {
            return "lua";
        }
        return nginxTree ? "nginx" : "hocon";
    }

    private static String first(String[] candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
