package io.jitsiops.log.analysis;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.jitsiops.log.parse.Level;

/**
 * One category of the rules file (see log-rules.yaml for the documented default).
 *
 * @param id             the category name used in events, the database and the API (e.g. {@code ice-failure})
 * @param components     formats/components it applies to (jvb, jicofo, prosody, nginx_access, nginx_error);
 *                       empty = all
 * @param minLevel       entries below this level are not looked at (default WARN)
 * @param literals       the prefilter: the text must contain one of these (case-sensitive) before the
 *                       pattern runs; empty = the pattern always runs
 * @param pattern        a Java regular expression searched in the message and stack trace (or in {@code field});
 *                       absent = a literal match is enough
 * @param field          match a parsed field (e.g. nginx {@code status}) instead of the text
 * @param minCount       how many entries in an analysis window make it worth a recommendation (a burst)
 * @param recommendation what an SRE should do about it
 */
public record CategoryRule(String id, String title, Severity severity, List<String> components, Level minLevel,
                           List<String> literals, String pattern, String field, Integer minCount,
                           String recommendation) {
    public CategoryRule {
        components = components == null ? List.of() : List.copyOf(components);
        literals = literals == null ? List.of() : List.copyOf(literals);
        minLevel = minLevel == null ? Level.WARN : minLevel;
        minCount = minCount == null ? 1 : minCount;
    }

    @JsonIgnore
    public boolean appliesTo(String format) {
        return components.isEmpty() || components.contains(format);
    }

    /** A compiled form: the rules file is read once. */
    record Compiled(CategoryRule rule, String[] literals, Pattern pattern) {
    }
}
