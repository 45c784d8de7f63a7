package io.jitsiops.health.conference;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.Occupant;
import org.jitsi.xmpp.extensions.jingle.JingleAction;
import org.jitsi.xmpp.extensions.jingle.JingleIQ;
import org.jitsi.xmpp.extensions.jingle.JingleIQProvider;
import org.jitsi.xmpp.extensions.jitsimeet.ConferenceIq;
import org.jitsi.xmpp.extensions.jitsimeet.ConferenceIqProvider;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * One probe participant: a BOSH session to prosody (Smack), the conference MUC, and the Jingle session-initiate
 * focus sends it. Every call blocks for at most the connection's reply timeout; callers run on worker threads.
 */
final class ProbeParticipant implements AutoCloseable {
    static {
        // As jicofo's registerXmppExtensions(): the providers register themselves when constructed (ConferenceIq),
        // or are registered with the IQ element they parse (Jingle, with every Jingle child extension).
        new ConferenceIqProvider();
        ProviderManager.addIQProvider(JingleIQ.ELEMENT, JingleIQ.NAMESPACE, new JingleIQProvider());
    }

    private final XMPPBOSHConnection connection;
    private final CompletableFuture<JingleIQ> sessionInitiate = new CompletableFuture<>();
    private MultiUserChat muc;

    ProbeParticipant(BOSHConfiguration config, Duration replyTimeout) {
        this.connection = new XMPPBOSHConnection(config);
        connection.setReplyTimeout(replyTimeout.toMillis());
        // a jitsi-meet guest has no roster to load
        org.jivesoftware.smack.roster.Roster.getInstanceFor(connection).setRosterLoadedAtLogin(false);
        // The client's side of JingleSession.initiateSession: acknowledge session-initiate with a result.
        connection.registerIQRequestHandler(new AbstractIqRequestHandler(JingleIQ.ELEMENT, JingleIQ.NAMESPACE,
                IQ.Type.set, IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                if (iq instanceof JingleIQ jingle && jingle.getAction() == JingleAction.SESSION_INITIATE) {
                    sessionInitiate.complete(jingle);
                }
                return IQ.createResultIQ(iq);
            }
        });
    }

    /** Opens the BOSH session (session creation request, stream features); no login yet. */
    void connect() throws Exception {
        connection.connect();
    }

    /** SASL and resource binding as configured (anonymous, or user name and password). */
    void login() throws Exception {
        connection.login();
    }

    /** The ConferenceIq jitsi-meet sends to focus (its Moderator.createConferenceIq), and the answer. */
    ConferenceIq requestConference(Jid focus, EntityBareJid room) throws Exception {
        ConferenceIq request = new ConferenceIq();
        request.setType(IQ.Type.set);
        request.setTo(focus);
        request.setRoom(room);
        request.addProperty("rtcstatsEnabled", "false");
        IQ answer = connection.createStanzaCollectorAndSend(request).nextResultOrThrow();
        if (!(answer instanceof ConferenceIq conference)) {
            throw new IllegalStateException("focus answered with " + answer.getChildElementName() + ", not a conference");
        }
        return conference;
    }

    void join(EntityBareJid room, String nick) throws Exception {
        muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
        muc.join(Resourcepart.from(nick));
    }

    /** The occupant whose real JID is {@code focusUser} (jitsi-meet's focusUserJid test), waiting up to {@code wait}. */
    Optional<EntityFullJid> awaitFocus(EntityBareJid focusUser, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            for (EntityFullJid occupant : muc.getOccupants()) {
                Occupant o = muc.getOccupant(occupant);
                if (o != null && o.getJid() != null && focusUser.equals(o.getJid().asBareJid())) {
                    return Optional.of(occupant);
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** The session-initiate focus sent, waiting up to {@code wait}; empty if none came. */
    Optional<JingleIQ> awaitSessionInitiate(Duration wait) throws InterruptedException, ExecutionException {
        try {
            return Optional.of(sessionInitiate.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        }
    }

    /** Leaves the room (if joined) and ends the BOSH session. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        try {
            if (muc != null && muc.isJoined()) {
                muc.leave();
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            connection.disconnect();
        }
        if (failure != null) {
            throw failure;
        }
    }

    static EntityBareJid bareJid(String jid) {
        try {
            return JidCreate.entityBareFrom(jid);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a bare JID: " + jid, e);
        }
    }
}
