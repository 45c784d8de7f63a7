package io.jitsiops.alert.pack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the rules of the shipped pack that a scenario test proves. {@link RulePackTest} fails when a rule of the
 * pack is named by no scenario, or a scenario names a rule the pack does not have.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
    String[] value();
}
