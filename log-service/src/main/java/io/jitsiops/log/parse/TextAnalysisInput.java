package io.jitsiops.log.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses a whole text (a pasted log) with the same line cap and entry assembly as the tailer. */
public final class TextAnalysisInput {
    private TextAnalysisInput() {
    }

    public static List<LogEntry> parse(String component, LogParser parser, byte[] text, int maxLineBytes, int maxEntryBytes) {
        List<LogEntry> entries = new ArrayList<>();
        EntryAssembler assembler = new EntryAssembler(component, parser, maxEntryBytes, entries::add);
        LineSplitter splitter = new LineSplitter(maxLineBytes, assembler);
        int consumed = splitter.feed(text, 0, text.length, 0);
        if (consumed < text.length) {
            // the text's last line has no line break: it is complete all the same
            byte[] last = new byte[text.length - consumed + 1];
            System.arraycopy(text, consumed, last, 0, text.length - consumed);
            last[last.length - 1] = '\n';
            splitter.feed(last, 0, last.length, consumed);
        } else if (splitter.skipping()) {
            splitter.feed(new byte[] { '\n' }, 0, 1, text.length);
        }
        assembler.flush();
        return entries;
    }

    public static List<LogEntry> parse(String component, LogParser parser, String text, int maxLineBytes, int maxEntryBytes) {
        return parse(component, parser, text.getBytes(StandardCharsets.UTF_8), maxLineBytes, maxEntryBytes);
    }
}
