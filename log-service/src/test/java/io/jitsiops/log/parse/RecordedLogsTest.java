package io.jitsiops.log.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jitsiops.deployment.DeploymentDescription.LogFormat;

/** Real lines published by operators (see src/test/resources/recorded/README.md). */
class RecordedLogsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC);

    static List<LogEntry> recorded(String file, LogFormat format) {
        try (InputStream in = RecordedLogsTest.class.getResourceAsStream("/recorded/" + file)) {
            return TextAnalysisInput.parse(format.name(), LogParsers.create(format, ZoneOffset.UTC, CLOCK), in.readAllBytes(),
                    64 * 1024, 256 * 1024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void jvbContextOfAnEndpointInUpstreamOrder() {
        List<LogEntry> entries = recorded("jvb-2024-context.txt", LogFormat.jvb);
        assertThat(entries).hasSize(6).allMatch(LogEntry::parsed);
        LogEntry last = entries.get(5);
        assertThat(last.context().keySet()).containsExactly("confId", "conf_name", "meeting_id", "epId", "stats_id", "local_ufrag");
        assertThat(last.logger()).isEqualTo("IceTransport");
        assertThat(last.message()).isEqualTo("Stopping");
        assertThat(last.timestamp()).isEqualTo(Instant.parse("2024-05-30T12:59:53.092Z"));
        assertThat(entries.get(3).message()).isEqualTo("Websocket closed, statusCode 1001 ( endpoint closed).");
    }

    @Test
    void contextKeysReusedByPlaceNeverLeakIntoAnEntryWithOtherKeys() {
        // constructed lines (not a recorded sample): keys change, move, grow and shrink between entries of one parser
        LogParser parser = LogParsers.create(LogFormat.jvb, ZoneOffset.UTC, Clock.systemUTC());
        String[] contexts = {"confId=a epId=b", "confId=c epId=d stats_id=e", "abcdef=f epId=g", "epId=h confId=i",
            "confId=j", "confId=k conf_name=my room epId=l", "confIe=m epIe=n"};
        for (String c : contexts) {
            LogEntry e = parser.parse("jvb", "JVB 2026-11-28 21:06:56.123 INFO: [1] [" + c + "] A.b#1: m", null, false, 0, 1);
            java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
            for (String kv : c.replace("my room", "my_room").split(" ")) {
                expected.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1).replace("my_room", "my room"));
            }
            assertThat(e.context()).as(c).containsExactlyEntriesOf(expected);
        }
    }

    @Test
    void jicofoSevereWithContextAndAnError() {
        List<LogEntry> entries = recorded("jicofo-2023-severe.txt", LogFormat.jicofo);
        assertThat(entries).hasSize(1);
        LogEntry e = entries.get(0);
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.context()).containsEntry("xmpp_connection", "client");
        assertThat(e.logger()).isEqualTo("XmppProvider");
        assertThat(e.exception().className()).isEqualTo("java.lang.AbstractMethodError");
        assertThat(e.exception().frames()).hasSize(1);
    }

    @Test
    void legacyShapesOf2017And2018() {
        List<LogEntry> jvb = recorded("jvb-2018-legacy.txt", LogFormat.jvb);
        assertThat(jvb).hasSize(3).allMatch(LogEntry::parsed);
        assertThat(jvb.get(0).logger()).isEqualTo("org.jitsi.impl.configuration.ConfigurationServiceImpl");
        assertThat(jvb.get(0).message()).isEqualTo("user.name=jvb");
        List<LogEntry> jicofo = recorded("jicofo-2018-legacy.txt", LogFormat.jicofo);
        assertThat(jicofo).hasSize(3).allMatch(LogEntry::parsed);
        assertThat(jicofo.get(1).logger()).isEqualTo("util.NetworkUtils");
        assertThat(jicofo.get(1).message()).isEqualTo("java.net.preferIPv6Addresses=null");
        List<LogEntry> traces = recorded("jicofo-2017-stacktrace.txt", LogFormat.jicofo);
        assertThat(traces).hasSize(2);
        assertThat(traces.get(0).level()).isEqualTo(Level.ERROR);
        assertThat(traces.get(0).exception().className()).isEqualTo("java.lang.NullPointerException");
        assertThat(traces.get(0).exception().frames()).hasSize(5);
        assertThat(traces.get(1).message()).isEqualTo("host-unknown, host:localhost, port:5347");
        assertThat(traces.get(1).exception().className()).isEqualTo("org.xmpp.component.ComponentException");
        assertThat(traces.get(1).exception().message()).isEqualTo("host-unknown");
    }

    @Test
    void frenchLevelWithoutProgramName() {
        List<LogEntry> entries = recorded("jvb-2020-french-no-program-name.txt", LogFormat.jvb);
        assertThat(entries).hasSize(2).allMatch(LogEntry::parsed);
        assertThat(entries.get(0).level()).isEqualTo(Level.INFO);
        assertThat(entries.get(0).logger()).isEqualTo("LegacyConfigFileLoader$Companion");
    }

    @Test
    void nginxCombinedAccessLines() {
        List<LogEntry> entries = recorded("nginx-access-2019.txt", LogFormat.nginx_access);
        assertThat(entries).hasSize(3).allMatch(LogEntry::parsed);
        LogEntry e = entries.get(0);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2019-06-05T11:26:15Z"));
        assertThat(e.fields()).containsEntry("client", "172.19.0.20").containsEntry("method", "POST")
                .containsEntry("path", "/http-bind?room=nidomeetsmyzel").containsEntry("status", "200")
                .containsEntry("bytes", "1764").containsEntry("referrer", "https://meet.oi.myzel.io/nidoMeetsMyzel")
                .containsEntry("agent", "Mozilla/5.0 (X11; Linux x86_64; rv:66.0) Gecko/20100101 Firefox/66.0");
        assertThat(entries.get(1).fields()).containsEntry("agent", "okhttp/3.6.0").containsEntry("referrer", "-");
    }

    @Test
    void prosodyConsoleSinkWithALuaTraceback() {
        List<LogEntry> entries = recorded("prosody-console-traceback.txt", LogFormat.prosody);
        assertThat(entries).hasSize(1);
        LogEntry e = entries.get(0);
        assertThat(e.logger()).isEqualTo("c2s56105b457200");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.message()).startsWith("Traceback[c2s]: /usr/lib/prosody/util/cache.lua:66");
        assertThat(e.stackTrace()).startsWith("stack traceback:").contains("mod_c2s.lua:276");
        assertThat(e.timestamp()).isNull(); // the console sink writes no time
        List<LogEntry> tls = recorded("prosody-console-tls.txt", LogFormat.prosody);
        assertThat(tls).hasSize(4).allMatch(LogEntry::parsed);
        assertThat(tls.get(3).logger()).isEqualTo("<no value>:tls");
        assertThat(tls.get(3).message()).startsWith("Error creating context for c2s");
    }
}
