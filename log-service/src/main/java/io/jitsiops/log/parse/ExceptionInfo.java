package io.jitsiops.log.parse;

import java.util.List;

/**
 * A Java exception as printed by {@code Throwable.printStackTrace}: the outermost throwable and its
 * {@code Caused by:} chain, each with its own frames.
 *
 * @param className the exception class, e.g. {@code java.net.SocketTimeoutException}
 * @param frames    the {@code at …} frames of this throwable (without the "at "); {@code ... N more} is
 *                  recorded in {@code omittedFrames}
 * @param cause     the next {@code Caused by:}, or null
 */
public record ExceptionInfo(String className, String message, List<String> frames, int omittedFrames, ExceptionInfo cause) {
    public ExceptionInfo {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }

    /** The innermost cause: usually what went wrong. */
    public ExceptionInfo rootCause() {
        ExceptionInfo e = this;
        while (e.cause != null) {
            e = e.cause;
        }
        return e;
    }
}
