package io.jitsiops.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Posts a body larger than a server accepts over a raw socket and returns the status line the server answered.
 *
 * <p>Why not an HTTP client library: a server that refuses a body answers 413 and may close the connection (Quarkus
 * does for a declared Content-Length above {@code quarkus.http.limits.max-body-size}) while the client is still
 * sending. The JDK's HttpClient then reports the failed write or "header parser received no bytes" instead of the
 * answer — a race a loaded CI machine loses now and then. Here the answer is read on its own thread from the moment
 * the request head is sent, so it is taken as soon as it arrives, and the sender just stops when its writes fail.
 */
public final class OversizedPost {

    private OversizedPost() {
    }

    /**
     * Sends {@code POST path} with {@code bodyBytes} bytes of {@code 'a'} and the given headers, with a Content-Length
     * or chunked, and returns the answer's status line (for example {@code HTTP/1.1 413 Request Entity Too Large}).
     */
    public static String statusLine(int port, String path, Map<String, String> headers, long bodyBytes, boolean chunked)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bodyBytes + "\r\n").append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readLine(socket));
            try {
                byte[] piece = new byte[64 * 1024];
                java.util.Arrays.fill(piece, (byte) 'a');
                for (long sent = 0; sent < bodyBytes && !answer.isDone(); sent += piece.length) {
                    int n = (int) Math.min(piece.length, bodyBytes - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(piece, 0, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(piece, 0, n);
                    }
                }
                if (chunked && !answer.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedEarly) {
                // expected: the server stopped reading once it had answered
            }
            return answer.get(30, TimeUnit.SECONDS);
        }
    }

    private static String readLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("no answer read: " + e, e);
        }
    }
}
