package io.jitsiops.log.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTest {
    record Line(String text, long start, long end, boolean truncated) {
    }

    @Test
    void keepsPositionsDropsCarriageReturnsAndLeavesAnIncompleteLastLine() {
        List<Line> lines = new ArrayList<>();
        LineSplitter s = new LineSplitter(100, (t, a, b, tr) -> lines.add(new Line(t, a, b, tr)));
        byte[] b = "one\r\ntwo\nthr".getBytes(StandardCharsets.UTF_8);
        int consumed = s.feed(b, 0, b.length, 1000);
        assertThat(consumed).isEqualTo(9);
        assertThat(lines).containsExactly(new Line("one", 1000, 1005, false), new Line("two", 1005, 1009, false));
    }

    @Test
    void truncatesALineOverTheCapAndSkipsItsRestAcrossReadsWithBoundedMemory() {
        List<Line> lines = new ArrayList<>();
        LineSplitter s = new LineSplitter(8, (t, a, b, tr) -> lines.add(new Line(t, a, b, tr)));
        byte[] first = "0123456789abcdef".getBytes(StandardCharsets.UTF_8); // no line break yet
        assertThat(s.feed(first, 0, first.length, 0)).isEqualTo(first.length);
        assertThat(s.skipping()).isTrue();
        byte[] second = "ghij\nok\n".getBytes(StandardCharsets.UTF_8);
        assertThat(s.feed(second, 0, second.length, 16)).isEqualTo(second.length);
        assertThat(lines).containsExactly(new Line("01234567", 0, 21, true), new Line("ok", 21, 24, false));
        byte[] third = "0123456789\n".getBytes(StandardCharsets.UTF_8); // over the cap within one read
        s.feed(third, 0, third.length, 24);
        assertThat(lines.get(2)).isEqualTo(new Line("01234567", 24, 35, true));
    }

    @Test
    void replacesInvalidUtf8InsteadOfFailing() {
        List<Line> lines = new ArrayList<>();
        LineSplitter s = new LineSplitter(100, (t, a, b, tr) -> lines.add(new Line(t, a, b, tr)));
        byte[] b = { 'a', (byte) 0xC3, (byte) 0x28, 'b', (byte) 0xFF, '\n', 'c', '\n' };
        s.feed(b, 0, b.length, 0);
        assertThat(lines.get(0).text()).isEqualTo("a\uFFFD(b\uFFFD");
        assertThat(lines.get(1).text()).isEqualTo("c");
    }

    @Test
    void unparseableLinesAreKeptRawAndCounted() {
        List<LogEntry> out = new ArrayList<>();
        EntryAssembler a = new EntryAssembler("jvb", new JitsiLogParser(ZoneOffset.UTC), 1024, out::add);
        LineSplitter s = new LineSplitter(1024, a);
        byte[] b = ("garbage before anything\n"
                + "JVB 2026-11-28 21:06:56.123 INFO: [31] Foo.bar#1: fine\n"
                + "a continuation\n").getBytes(StandardCharsets.UTF_8);
        s.feed(b, 0, b.length, 0);
        a.flush();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).parsed()).isFalse();
        assertThat(out.get(0).message()).isEqualTo("garbage before anything");
        assertThat(out.get(1).stackTrace()).isEqualTo("a continuation");
        assertThat(out.get(1).exception()).isNull();
        assertThat(a.unparsed()).isEqualTo(1);
    }

    @Test
    void anEntryOverTheEntryCapIsTruncatedAndFlagged() {
        List<LogEntry> out = new ArrayList<>();
        EntryAssembler a = new EntryAssembler("jvb", new JitsiLogParser(ZoneOffset.UTC), 200, out::add);
        a.line("JVB 2026-11-28 21:06:56.123 SEVERE: [31] Foo.bar#1: boom", 0, 57, false);
        a.line("java.lang.IllegalStateException: x", 57, 92, false);
        for (int i = 0; i < 1000; i++) {
            a.line("\tat a.b.C.m(C.java:" + i + ")", 92 + i * 22L, 114 + i * 22L, false);
        }
        a.flush();
        LogEntry e = out.get(0);
        assertThat(e.truncated()).isTrue();
        assertThat(e.stackTrace().length()).isLessThan(200);
        assertThat(e.end()).isEqualTo(114 + 999 * 22L);
        assertThat(e.exception().className()).isEqualTo("java.lang.IllegalStateException");
    }
}
