/**
 * Log call sites named after the jitsi-videobridge and jicofo classes and methods that write these lines upstream.
 * jitsi-utils' {@code JitsiLogFormatter} prints the calling class's simple name and method (found by walking the
 * stack), so these classes carry the real names; the {@code #line} printed is this file's line, not upstream's.
 * Messages and logger contexts are copied from the cited upstream lines (jitsi/jitsi-videobridge a29d97d,
 * jitsi/jicofo 7ebb13d).
 */
package io.jitsiops.sim.jitsi.upstream;
