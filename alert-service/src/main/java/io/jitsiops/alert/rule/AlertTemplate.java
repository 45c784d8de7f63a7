package io.jitsiops.alert.rule;

import java.util.Map;

import io.quarkus.qute.Engine;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Results;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateNode.Origin;

/**
 * A summary, description or dashboard-link template of a rule, in Qute syntax (the template engine that comes
 * with quarkus-mailer): {@code {labels.target}}, {@code {value}}, {@code {threshold}}, {@code {rule}},
 * {@code {severity}}. A label the alert does not have renders as nothing rather than failing the notification.
 */
public final class AlertTemplate {
    private static final Engine ENGINE = Engine.builder().addDefaults().strictRendering(false)
            .addResultMapper(new ResultMapper() {
                @Override
                public boolean appliesTo(Origin origin, Object result) {
                    return Results.isNotFound(result);
                }

                @Override
                public String map(Object result, io.quarkus.qute.Expression expression) {
                    return "";
                }
            }).build();

    private final String source;
    private final Template template;

    private AlertTemplate(String source, Template template) {
        this.source = source;
        this.template = template;
    }

    /** Parses a template; a syntax error is an IllegalArgumentException with Qute's explanation. */
    public static AlertTemplate parse(String source) {
        try {
            return new AlertTemplate(source, ENGINE.parse(source));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public String render(Map<String, Object> data) {
        return template.data(data).render();
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
