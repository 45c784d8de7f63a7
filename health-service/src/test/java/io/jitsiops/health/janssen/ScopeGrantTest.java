package io.jitsiops.health.janssen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which of the scopes a check asked for Janssen's token answer left out, and the finding that names them. */
class ScopeGrantTest {
    private static final String BOTH = ScimProbe.USERS_READ + " " + ScimProbe.USERS_WRITE;

    @Test
    void namesOnlyTheScopesThatWereNotGranted() {
        JanssenClient.Grant readOnly = new JanssenClient.Grant("t", Optional.of(Set.of(ScimProbe.USERS_READ, "openid")));
        assertThat(readOnly.missing(BOTH)).containsExactly(ScimProbe.USERS_WRITE);
        assertThat(readOnly.missing(ScimProbe.USERS_READ)).isEmpty();
    }

    @Test
    void anAnswerThatDoesNotListItsScopesMissesNothing() {
        // RFC 6749 5.1: scope may be left out when it is what was asked; SCIM's own 403 is then the evidence
        assertThat(new JanssenClient.Grant("t", Optional.empty()).missing(BOTH)).isEmpty();
    }

    @Test
    void theFindingNamesTheClientTheScopeAndWhereToGrantIt() {
        assertThat(ScimProbe.missingScopesHint("jitsi-ops", List.of(ScimProbe.USERS_WRITE))).isEqualTo("the Janssen "
                + "client 'jitsi-ops' lacks the SCIM scope the check needs: add https://jans.io/scim/users.write to the "
                + "client's scopes in Janssen (Auth Server → Clients → jitsi-ops → Scopes)");
    }
}
