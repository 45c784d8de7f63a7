package io.jitsiops.sim.jitsi;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jitsi.utils.logging2.JitsiLogFormatter;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Writes jicofo's and the bridges' log lines with jitsi-utils' own {@link JitsiLogFormatter}, reached through its own
 * {@link LoggerImpl}, so the line shape (local time without offset, localized level name, thread id, the context
 * brackets of {@code LogContext}, {@code Class.method#line} found by the formatter's stack walk, {@code printStackTrace}
 * output with {@code Caused by:} and {@code ... N more}) is the real one by construction.
 *
 * <p>Two things cannot go through the stock set-up and are done here instead:
 * <ul>
 * <li>Quarkus installs JBoss LogManager as the JUL manager; its loggers copy every record into an {@code ExtLogRecord},
 * which loses jitsi-utils' {@code ContextLogRecord} (and with it the context brackets). So {@code LoggerImpl}'s logger
 * factory (a package-private static hook upstream uses for tests) is pointed at plain {@link Logger}s whose only
 * handler formats the untouched record.</li>
 * <li>The formatter's program name ("JVB", "Jicofo") is one static value per JVM read from logging.properties; the
 * simulator plays both programs in one JVM, so it writes the prefix itself: {@code programName + ' '}, as the
 * formatter does.</li>
 * </ul>
 * Which program a record belongs to is given by {@link #as(String, Runnable)} around the call that logs.
 */
public final class JitsiLogs {
    public static final String JVB = "JVB";
    public static final String JICOFO = "Jicofo";
    private static final ThreadLocal<String> PROGRAM = new ThreadLocal<>();
    private static final JitsiLogFormatter FORMATTER = new JitsiLogFormatter();
    private static final Map<String, Logger> LOGGERS = new ConcurrentHashMap<>();
    private static volatile Sink sink = (program, text) -> {
    };
    private static volatile Level level = Level.INFO;

    /** Where formatted entries go: the program ("JVB"/"Jicofo") and the whole entry, stack trace included. */
    public interface Sink {
        void write(String program, String entry);
    }

    static {
        try {
            Field factory = LoggerImpl.class.getDeclaredField("loggerFactory");
            factory.setAccessible(true);
            Function<String, Logger> routed = name -> LOGGERS.computeIfAbsent(name, JitsiLogs::plainLogger);
            factory.set(null, routed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jitsi-utils LoggerImpl has no loggerFactory hook any more", e);
        }
    }

    private JitsiLogs() {
    }

    /** Sends entries to {@code target} from now on, at {@code minimum} and above (JVB/jicofo ship with INFO). */
    public static void configure(Sink target, Level minimum) {
        sink = target;
        level = minimum;
        LOGGERS.values().forEach(l -> l.setLevel(minimum));
    }

    /** Runs {@code action} as {@code program}: what it logs through jitsi-utils goes to that program's log. */
    public static void as(String program, Runnable action) {
        String before = PROGRAM.get();
        PROGRAM.set(program);
        try {
            action.run();
        } finally {
            PROGRAM.set(before);
        }
    }

    public static <T> T as(String program, Supplier<T> action) {
        String before = PROGRAM.get();
        PROGRAM.set(program);
        try {
            return action.get();
        } finally {
            PROGRAM.set(before);
        }
    }

    private static Logger plainLogger(String name) {
        Logger logger = new Logger(name, null) {
        };
        logger.setUseParentHandlers(false);
        logger.setLevel(level);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String program = PROGRAM.get();
                if (program == null || !isLoggable(record)) {
                    return; // not one of the simulated programs (e.g. jicoco's own classes used by the sim itself)
                }
                // Formatting here, on the logging thread, lets the formatter's stack walk find the caller.
                sink.write(program, program + " " + FORMATTER.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return logger;
    }
}
