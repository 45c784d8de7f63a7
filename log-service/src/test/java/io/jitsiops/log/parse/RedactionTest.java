package io.jitsiops.log.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** Room tokens and passwords written into logs never leave the parser. */
class RedactionTest {
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtZWV0LmppdHNpIiwicm9vbSI6IioifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    @Test
    void aJwtInAnNginxQueryStringAndAPasswordInAMessageAreRedacted() {
        LogEntry access = TextAnalysisInput.parse("nginx", new NginxAccessLogParser(),
                "10.0.0.1 - - [29/Nov/2026:08:00:00 +0000] \"GET /room1?jwt=" + JWT + " HTTP/1.1\" 200 5 \"-\" \"curl\"\n",
                65536, 65536).get(0);
        assertThat(access.message()).doesNotContain(JWT).contains("jwt=" + Redaction.REDACTED);
        assertThat(access.fields().get("path")).isEqualTo("/room1?jwt=" + Redaction.REDACTED);
        LogEntry jicofo = TextAnalysisInput.parse("jicofo", new JitsiLogParser(ZoneOffset.UTC),
                "Jicofo 2026-11-29 08:00:00.000 WARNING: [1] Auth.check#1: rejected token " + JWT + " for password=hunter2\n",
                65536, 65536).get(0);
        assertThat(jicofo.message()).doesNotContain(JWT).doesNotContain("hunter2");
    }
}
