package io.jitsiops.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class JitsiMeetSiteProbeTest {

    @Test
    void anIndexPageWhereConfigJsShouldBeIsNotAcceptedAsConfiguration() {
        assertThat(JitsiMeetSiteProbe.configProblem(answer(200, "<!DOCTYPE html><html><title>Jitsi Meet</title></html>")))
                .startsWith("config.js is an HTML page");
        assertThat(JitsiMeetSiteProbe.configProblem(answer(404, "<html>404 Not Found</html>"))).startsWith("config.js: HTTP 404");
        assertThat(JitsiMeetSiteProbe.configProblem(answer(200, "console.log('hi');"))).contains("no 'var config = {'");
    }

    @Test
    void theSitesConfigurationIsReadForItsXmppDomain() {
        String configJs = "var config = {\n    hosts: {\n        domain: 'meet.example.org',\n"
                + "        muc: 'conference.' + subdomain + 'meet.example.org'\n    },\n    bosh: '//meet.example.org/http-bind'\n};";
        assertThat(JitsiMeetSiteProbe.configProblem(answer(200, configJs))).isNull();
        assertThat(JitsiMeetSiteProbe.domain(configJs)).isEqualTo("meet.example.org");
        // docker-jitsi-meet writes config.hosts = {...} assignments instead of one object literal
        assertThat(JitsiMeetSiteProbe.domain("config.hosts = {\n    domain: \"meet.jitsi\"\n};")).isEqualTo("meet.jitsi");
    }

    @Test
    void theIndexMustMentionTheApplication() {
        assertThat(JitsiMeetSiteProbe.mentionsJitsiMeet("<html><script src=\"libs/app.bundle.min.js?v=1\"></script>")).isTrue();
        assertThat(JitsiMeetSiteProbe.mentionsJitsiMeet("<html><head><title>Welcome to nginx!</title></head></html>")).isFalse();
    }

    private static HttpProber.Answer answer(int status, String body) {
        return new HttpProber.Answer(status, body, "application/javascript", 3, Optional.empty());
    }
}
