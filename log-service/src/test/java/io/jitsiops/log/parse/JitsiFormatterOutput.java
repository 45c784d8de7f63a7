package io.jitsiops.log.parse;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jitsi.utils.logging2.JitsiLogFormatter;
import org.jitsi.utils.logging2.LogContext;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Real JVB/jicofo log text: log calls through jitsi-utils' own {@code LoggerImpl} (with its {@code LogContext})
 * formatted by its own {@code JitsiLogFormatter}, as the components' logging.properties configure them
 * ({@code org.jitsi.utils.logging2.JitsiLogFormatter.programname=JVB}).
 * <p>
 * The loggers are plain java.util.logging loggers outside any LogManager (the tests run under JBoss
 * LogManager, which would copy the record and lose its context), installed through LoggerImpl's own
 * factory hook; the program name is the formatter's static field that its property sets.
 */
final class JitsiFormatterOutput {
    private JitsiFormatterOutput() {
    }

    /** Runs {@code body} with loggers whose output is appended to the returned text. */
    static synchronized String capture(String programName, Consumer<Loggers> body) {
        StringBuilder out = new StringBuilder();
        JitsiLogFormatter formatter = new JitsiLogFormatter();
        try {
            Field program = JitsiLogFormatter.class.getDeclaredField("programName");
            program.setAccessible(true);
            program.set(null, programName);
            Field factory = LoggerImpl.class.getDeclaredField("loggerFactory");
            factory.setAccessible(true);
            Object previous = factory.get(null);
            java.util.function.Function<String, java.util.logging.Logger> plain = name -> {
                java.util.logging.Logger l = new java.util.logging.Logger(name, null) {
                };
                l.setUseParentHandlers(false);
                l.setLevel(java.util.logging.Level.ALL);
                l.addHandler(new Handler() {
                    @Override
                    public void publish(LogRecord record) {
                        out.append(formatter.format(record));
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                return l;
            };
            factory.set(null, plain);
            try {
                body.accept(new Loggers(formatter, out));
            } finally {
                factory.set(null, previous);
                program.set(null, null);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    record Loggers(JitsiLogFormatter formatter, StringBuilder out) {
        LoggerImpl logger(String name, Map<String, String> context) {
            return new LoggerImpl(name, java.util.logging.Level.ALL, new LogContext(context));
        }

        /** A record formatted directly (levels LoggerImpl has no method for, e.g. CONFIG). */
        void record(LogRecord r) {
            out.append(formatter.format(r));
        }
    }
}
