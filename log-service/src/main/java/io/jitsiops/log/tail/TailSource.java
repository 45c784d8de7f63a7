package io.jitsiops.log.tail;

import java.nio.file.Path;
import java.time.ZoneId;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;

/** One live file to follow: a configured path, or one match of a configured glob. */
public record TailSource(String component, LogFormat format, Path path, ZoneId zone, boolean cri) {
}
