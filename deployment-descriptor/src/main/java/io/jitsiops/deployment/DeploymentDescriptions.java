package io.jitsiops.deployment;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads and validates a deployment description. Unknown keys are errors: a typo must not be silently ignored. */
public final class DeploymentDescriptions {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DeploymentDescriptions() {
    }

    public static DeploymentDescription load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDeploymentException("jitsiops.deployment.file", "no such file " + file);
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidDeploymentException("cannot read deployment description " + file + ": " + e.getMessage(), e);
        }
    }

    public static DeploymentDescription parse(String yaml) {
        DeploymentDescription d;
        try {
            d = YAML.readValue(yaml, DeploymentDescription.class);
        } catch (JsonMappingException e) {
            throw new InvalidDeploymentException(path(e), problem(e));
        } catch (JsonProcessingException e) {
            throw new InvalidDeploymentException("not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (d == null) {
            throw new InvalidDeploymentException("(root)", "the file is empty");
        }
        validate(d);
        return d;
    }

    private static void validate(DeploymentDescription d) {
        if (d.jitsi() != null) {
            DeploymentDescription.Jitsi j = d.jitsi();
            Set<String> names = new HashSet<>();
            targets("jitsi.prosody", j.prosody(), names);
            targets("jitsi.jicofo", j.jicofo(), names);
            targets("jitsi.jvb", j.jvb(), names);
            targets("jitsi.web", j.web(), names);
            if (j.websocketPath() != null && !j.websocketPath().startsWith("/")) {
                throw new InvalidDeploymentException("jitsi.websocketPath", "must start with /, got '" + j.websocketPath() + "'");
            }
            if (j.websocketPath() != null && (j.xmppDomain() == null || j.xmppDomain().isBlank())) {
                throw new InvalidDeploymentException("jitsi.xmppDomain", "is required with jitsi.websocketPath");
            }
        }
        Set<String> janssenNames = new HashSet<>();
        for (int i = 0; i < d.janssen().size(); i++) {
            // One nameless entry is the single-map form ("janssen.issuer"); a list names its entries.
            DeploymentDescription.Janssen ja = d.janssen().get(i);
            boolean single = d.janssen().size() == 1 && (ja == null || ja.name() == null);
            String k = single ? "janssen" : "janssen[" + i + "]";
            if (ja == null) {
                throw new InvalidDeploymentException(k, "is empty");
            }
            if (!single) {
                required(k + ".name", ja.name());
            }
            if (!janssenNames.add(ja.targetName())) {
                throw new InvalidDeploymentException(k + ".name", "'" + ja.targetName() + "' is used twice");
            }
            httpUrl(k + ".issuer", ja.issuer());
            secureUnlessLoopback(k + ".issuer", ja.issuer());
            required(k + ".clientId", ja.clientId());
            required(k + ".clientSecretEnv", ja.clientSecretEnv());
            if (ja.scimUrl() != null) {
                httpUrl(k + ".scimUrl", ja.scimUrl());
            }
            if (ja.healthCheckUrl() != null) {
                httpUrl(k + ".healthCheckUrl", ja.healthCheckUrl());
            }
            for (int h = 0; h < ja.allowedHosts().size(); h++) {
                String host = ja.allowedHosts().get(h);
                if (host == null || !host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
                    throw new InvalidDeploymentException(k + ".allowedHosts[" + h + "]", "must be host or host:port, got '" + host + "'");
                }
            }
            duration(k + ".interval", ja.interval());
            duration(k + ".timeout", ja.timeout());
        }
        Set<String> hostNames = new HashSet<>();
        for (int i = 0; i < d.hosts().size(); i++) {
            DeploymentDescription.Host h = d.hosts().get(i);
            String key = "hosts[" + i + "]";
            if (h == null) {
                throw new InvalidDeploymentException(key, "is empty");
            }
            required(key + ".name", h.name());
            if (!hostNames.add(h.name())) {
                throw new InvalidDeploymentException(key + ".name", "'" + h.name() + "' is used twice");
            }
            httpUrl(key + ".url", h.url());
            duration(key + ".interval", h.interval());
        }
        for (int i = 0; i < d.logs().size(); i++) {
            DeploymentDescription.LogSource log = d.logs().get(i);
            String key = "logs[" + i + "]";
            if (log == null) {
                throw new InvalidDeploymentException(key, "is empty");
            }
            required(key + ".component", log.component());
            required(key + ".path", log.path());
            if (log.format() == null) {
                throw new InvalidDeploymentException(key + ".format", "is required: one of prosody, jicofo, jvb, nginx_access, nginx_error");
            }
            if (log.timeZone() != null) {
                try {
                    java.time.ZoneId.of(log.timeZone());
                } catch (java.time.DateTimeException e) {
                    throw new InvalidDeploymentException(key + ".timeZone", "unknown time zone '" + log.timeZone()
                            + "' (an IANA name such as Europe/Berlin, or UTC)");
                }
            }
        }
        if (d.backup() != null) {
            DeploymentDescription.Backup b = d.backup();
            required("backup.localDir", b.localDir());
            if (b.databases() != null) {
                required("backup.databases.host", b.databases().host());
                Integer port = b.databases().port();
                if (port != null && (port < 1 || port > 65535)) {
                    throw new InvalidDeploymentException("backup.databases.port", "must be 1..65535, got " + port);
                }
            }
            if (b.s3() != null) {
                required("backup.s3.bucket", b.s3().bucket());
                if (b.s3().endpoint() != null) {
                    httpUrl("backup.s3.endpoint", b.s3().endpoint());
                }
                required("backup.s3.accessKeyEnv", b.s3().accessKeyEnv());
                required("backup.s3.secretKeyEnv", b.s3().secretKeyEnv());
            }
            backupSchedules(b);
            if (b.encryption() != null) {
                DeploymentDescription.BackupEncryption e = b.encryption();
                if ((e.keyEnv() == null || e.keyEnv().isBlank()) == (e.keyFile() == null || e.keyFile().isBlank())) {
                    throw new InvalidDeploymentException("backup.encryption", "needs exactly one of keyEnv or keyFile");
                }
            }
        }
    }

    private static void backupSchedules(DeploymentDescription.Backup b) {
        try {
            java.time.ZoneId.of(b.timeZone());
        } catch (java.time.DateTimeException e) {
            throw new InvalidDeploymentException("backup.timeZone", "unknown time zone '" + b.timeZone() + "'");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < b.schedules().size(); i++) {
            DeploymentDescription.BackupSchedule s = b.schedules().get(i);
            String key = "backup.schedules[" + i + "]";
            if (s == null) {
                throw new InvalidDeploymentException(key, "is empty");
            }
            required(key + ".name", s.name());
            if (!s.name().matches("[a-z0-9][a-z0-9-]{0,30}") || "manual".equals(s.name())) {
                throw new InvalidDeploymentException(key + ".name", "must be lower-case letters, digits and dashes (not 'manual'), got '" + s.name() + "'");
            }
            if (!names.add(s.name())) {
                throw new InvalidDeploymentException(key + ".name", "'" + s.name() + "' is used twice");
            }
            required(key + ".time", s.time());
            if (!s.time().matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
                throw new InvalidDeploymentException(key + ".time", "must be HH:mm (24-hour), got '" + s.time() + "'");
            }
            if (s.day() != null && !s.day().matches("[1-9]|1[0-9]|2[0-8]")) {
                try {
                    java.time.DayOfWeek.valueOf(s.day().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new InvalidDeploymentException(key + ".day", "must be a weekday (Sunday) or a day of the month 1..28, got '" + s.day() + "'");
                }
            }
            if (s.retention() == null || s.retention() < 1) {
                throw new InvalidDeploymentException(key + ".retention", "must be at least 1, got " + s.retention());
            }
            for (int c = 0; c < s.components().size(); c++) {
                if (!DeploymentDescription.Backup.COMPONENTS.contains(s.components().get(c))) {
                    throw new InvalidDeploymentException(key + ".components[" + c + "]", "must be one of "
                            + DeploymentDescription.Backup.COMPONENTS + ", got '" + s.components().get(c) + "'");
                }
            }
        }
    }

    private static void targets(String key, List<DeploymentDescription.Target> targets, Set<String> names) {
        for (int i = 0; i < targets.size(); i++) {
            DeploymentDescription.Target t = targets.get(i);
            String k = key + "[" + i + "]";
            if (t == null) {
                throw new InvalidDeploymentException(k, "is empty");
            }
            required(k + ".name", t.name());
            if (!names.add(key + "/" + t.name())) {
                throw new InvalidDeploymentException(k + ".name", "'" + t.name() + "' is used twice");
            }
            httpUrl(k + ".url", t.url());
            if (t.healthPath() != null && !t.healthPath().startsWith("/")) {
                throw new InvalidDeploymentException(k + ".healthPath", "must start with /, got '" + t.healthPath() + "'");
            }
            duration(k + ".interval", t.interval());
            duration(k + ".timeout", t.timeout());
            duration(k + ".metricsInterval", t.metricsInterval());
            duration(k + ".qualityInterval", t.qualityInterval());
            if (t.retries() != null && (t.retries() < 0 || t.retries() > 10)) {
                throw new InvalidDeploymentException(k + ".retries", "must be 0..10, got " + t.retries());
            }
            if (t.expectedStatus() != null && (t.expectedStatus() < 100 || t.expectedStatus() > 599)) {
                throw new InvalidDeploymentException(k + ".expectedStatus", "must be an HTTP status, got " + t.expectedStatus());
            }
        }
    }

    private static void duration(String key, String value) {
        if (value == null) {
            return;
        }
        try {
            if (DurationParser.parse(value).isZero()) {
                throw new InvalidDeploymentException(key, "must be more than zero");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidDeploymentException(key, e.getMessage());
        }
    }

    /** Tokens and the client secret travel to this URL: https, except on loopback. */
    private static void secureUnlessLoopback(String key, String value) {
        URI uri = URI.create(value);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new InvalidDeploymentException(key, "must be https (http only on loopback), got '" + value + "'");
        }
    }

    private static void required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidDeploymentException(key, "is required");
        }
    }

    private static void httpUrl(String key, String value) {
        required(key, value);
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidDeploymentException(key, "must be an absolute http(s) URL, got '" + value + "'");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "'";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            return "invalid value '" + f.getValue() + "'" + (f.getTargetType() != null && f.getTargetType().isEnum()
                    ? ", expected one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants()) : "");
        }
        return e.getOriginalMessage();
    }
}
