package io.jitsiops.sim.jitsi;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jitsi.xmpp.extensions.DefaultPacketExtensionProvider;
import org.jitsi.xmpp.extensions.jingle.CandidateType;
import org.jitsi.xmpp.extensions.jingle.ContentPacketExtension;
import org.jitsi.xmpp.extensions.jingle.DtlsFingerprintPacketExtension;
import org.jitsi.xmpp.extensions.jingle.GroupPacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceCandidatePacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceUdpTransportPacketExtension;
import org.jitsi.xmpp.extensions.jingle.JingleAction;
import org.jitsi.xmpp.extensions.jingle.JingleIQ;
import org.jitsi.xmpp.extensions.jingle.JingleIQProvider;
import org.jitsi.xmpp.extensions.jingle.PayloadTypePacketExtension;
import org.jitsi.xmpp.extensions.jingle.RtpDescriptionPacketExtension;
import org.jitsi.xmpp.extensions.jitsimeet.BridgeSessionPacketExtension;
import org.jitsi.xmpp.extensions.jitsimeet.ConferenceIq;
import org.jitsi.xmpp.extensions.jitsimeet.ConferenceIqProvider;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

import io.jitsiops.sim.jitsi.upstream.JitsiMeetConferenceImpl;
import io.jitsiops.sim.service.Fault;
import io.jitsiops.sim.service.FaultRegistry;

/**
 * jicofo's focus over XMPP, against a real prosody (jitsi/jicofo 7ebb13d): logs in as {@code focus@auth.DOMAIN} over
 * client-to-server TCP like jicofo ({@code jicofo.xmpp.client}), answers {@link ConferenceIq}
 * ({@code xmpp/ConferenceIqHandler.kt}: the room is created and joined before the answer, {@code ready} then true,
 * {@code focusjid} the focus's bare JID, properties {@code authentication=false} and {@code visitors-supported}),
 * joins the conference MUC with nickname {@code focus} as jicofo does, and once {@code conference.min-participants}
 * (2) participants are in the room invites each of them: a bridge is selected and a Jingle {@code session-initiate}
 * with the bridge's ICE-UDP transport (ufrag, pwd, DTLS fingerprint, host candidate on JVB's UDP port 10000), the
 * BUNDLE group and {@code <bridge-session>} goes to the participant's occupant JID
 * ({@code conference/ParticipantInviteRunnable.java}). With no operational bridge jicofo logs
 * "Can not invite participant, no bridge available." and sends nothing; so does this focus. When the last
 * participant leaves, the focus leaves the room ("Stopped.").
 * <p>
 * Fault targets: {@code focus} (DOWN: conference requests are never answered and the focus stays out of rooms, as a
 * hung jicofo; SLOW: answered after the delay) and {@code focus-auth} (any kind: the request is refused with
 * {@code not-authorized} "not authorized user domain", as jicofo's authentication does for an unauthenticated user).
 */
@ApplicationScoped
public class Focus {
    public static final String TARGET = "focus";
    public static final String AUTH_TARGET = "focus-auth";
    /** jicofo's nickname in every conference room. */
    static final String NICK = "focus";
    /** jicofo.conference.min-participants (reference.conf). */
    static final int MIN_PARTICIPANTS = 2;
    private static final Logger LOG = Logger.getLogger(Focus.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where and as whom the focus logs in (jicofo.xmpp.client.*). */
    public record Login(String host, int port, String xmppDomain, String authDomain, String mucDomain, String username,
                        String password) {
    }

    /** A conference request as jicofo's HTTP endpoint and ConferenceIq carry it. */
    public record Request(String room, Map<String, String> properties) {
    }

    /** jicofo's answer: a result, or a stanza error condition with its text. */
    public record Answer(boolean ready, String room, String focusJid, Map<String, String> properties,
                         StanzaError.Condition error, String errorText) {
        static Answer error(StanzaError.Condition condition, String text) {
            return new Answer(false, null, null, Map.of(), condition, text);
        }
    }

    private final Jicofo jicofo;
    private final FaultRegistry faults;
    private final Map<EntityBareJid, FocusedRoom> rooms = new ConcurrentHashMap<>();
    private final ExecutorService invites = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sim-focus-invite");
        t.setDaemon(true);
        return t;
    });
    private volatile XMPPTCPConnection connection;
    private volatile Login login;

    static {
        // jicofo's registerXmppExtensions(): the constructors register the providers.
        new ConferenceIqProvider();
        ProviderManager.addIQProvider(JingleIQ.ELEMENT, JingleIQ.NAMESPACE, new JingleIQProvider());
        ProviderManager.addExtensionProvider(BridgeSessionPacketExtension.ELEMENT, BridgeSessionPacketExtension.NAMESPACE,
                new DefaultPacketExtensionProvider<>(BridgeSessionPacketExtension.class));
    }

    public Focus(Jicofo jicofo, FaultRegistry faults) {
        this.jicofo = jicofo;
        this.faults = faults;
    }

    /** Logs in (again) to prosody as jicofo does; blocking. */
    public synchronized void connect(Login login) throws Exception {
        disconnect();
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(login.authDomain())
                .setHost(login.host())
                .setPort(login.port())
                .setUsernameAndPassword(login.username(), login.password())
                .setResource(NICK)
                // loopback to the test kit's prosody, which allows plaintext c2s (jicofo: TLS optional per config)
                .setSecurityMode(SecurityMode.disabled)
                .build();
        XMPPTCPConnection c = new XMPPTCPConnection(config);
        c.setReplyTimeout(SmackConfiguration.getDefaultReplyTimeout());
        // jicofo's XmppProvider: no roster (prosody's focus account has none to load)
        org.jivesoftware.smack.roster.Roster.getInstanceFor(c).setRosterLoadedAtLogin(false);
        c.connect().login();
        c.registerIQRequestHandler(new AbstractIqRequestHandler(ConferenceIq.ELEMENT, ConferenceIq.NAMESPACE,
                IQ.Type.set, IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                return answerIq((ConferenceIq) iq);
            }
        });
        this.connection = c;
        this.login = login;
        LOG.infof("Focus logged in to %s:%d as %s", login.host(), login.port(), c.getUser());
    }

    @PreDestroy
    public synchronized void disconnect() {
        XMPPTCPConnection c = connection;
        connection = null;
        rooms.values().forEach(FocusedRoom::stop);
        rooms.clear();
        if (c != null) {
            c.disconnect();
        }
    }

    public boolean connected() {
        XMPPTCPConnection c = connection;
        return c != null && c.isAuthenticated();
    }

    /** The focus's bare JID (jicofo's {@code focusAuthJid}). */
    public Optional<String> focusJid() {
        Login l = login;
        return l == null ? Optional.empty() : Optional.of(l.username() + "@" + l.authDomain());
    }

    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connected", connected());
        m.put("focusJid", focusJid().orElse(null));
        Map<String, Object> r = new LinkedHashMap<>();
        rooms.forEach((jid, room) -> r.put(jid.toString(), Map.of("participants", room.participants.size(),
                "invited", room.invited.size())));
        m.put("rooms", r);
        return m;
    }

    /** ConferenceIqHandler.handleIQRequest: answered off the reader thread (jicofo's TaskPools.ioPool). */
    private IQ answerIq(ConferenceIq query) {
        if (faults.of(TARGET).filter(f -> f.kind() == Fault.Kind.DOWN).isPresent()) {
            return null; // a hung jicofo: the request is never answered
        }
        Answer a = handle(new Request(query.getRoom() == null ? null : query.getRoom().toString(),
                query.getPropertiesMap()));
        if (a == null) {
            return null;
        }
        if (a.error() != null) {
            // the text as <text xml:lang='en'>, so that Smack clients read it back (jicofo's ErrorFactory texts are English)
            return IQ.createErrorResponse(query, StanzaError.getBuilder(a.error()).setDescriptiveEnText(a.errorText()).build());
        }
        ConferenceIq response = new ConferenceIq();
        response.setType(IQ.Type.result);
        response.setStanzaId(query.getStanzaId());
        response.setFrom(query.getTo());
        response.setTo(query.getFrom());
        response.setRoom(query.getRoom());
        response.setFocusJid(a.focusJid());
        response.setReady(a.ready());
        a.properties().forEach(response::addProperty);
        return response;
    }

    /**
     * ConferenceIqHandler.doHandleConferenceIq for either transport; blocking (the room is joined first). Null: no
     * answer at all (fault {@code focus} DOWN).
     */
    public Answer handle(Request request) {
        Optional<Fault> fault = faults.of(TARGET);
        if (fault.filter(f -> f.kind() == Fault.Kind.DOWN).isPresent()) {
            return null;
        }
        if (fault.filter(f -> f.kind() == Fault.Kind.SLOW).isPresent()) {
            sleep(fault.get().delayMs());
        }
        if (request.room() == null) {
            return Answer.error(StanzaError.Condition.bad_request, "No 'room' specified.");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("authentication", "false");
        if (faults.of(AUTH_TARGET).isPresent()) {
            // authentication enabled and the requester has no identity: ErrorFactory.createNotAuthorizedError
            return Answer.error(StanzaError.Condition.not_authorized, "not authorized user domain");
        }
        XMPPTCPConnection c = connection;
        if (c == null || !c.isAuthenticated()) {
            return Answer.error(StanzaError.Condition.internal_server_error, "focus is not connected to XMPP");
        }
        EntityBareJid room;
        try {
            room = JidCreate.entityBareFrom(request.room());
        } catch (Exception e) {
            return Answer.error(StanzaError.Condition.bad_request, "Invalid room name: " + e.getMessage());
        }
        FocusedRoom focused;
        try {
            focused = rooms.computeIfAbsent(room, r -> new FocusedRoom(c, r));
        } catch (RuntimeException e) {
            return Answer.error(StanzaError.Condition.internal_server_error, e.getMessage());
        }
        properties.put("visitors-supported", "false");
        return new Answer(focused.muc.isJoined(), request.room(), focusJid().orElseThrow(), properties, null, null);
    }

    /** One conference: the focus in its MUC, inviting participants once there are enough of them. */
    private final class FocusedRoom {
        final MultiUserChat muc;
        final EntityBareJid jid;
        final Set<EntityFullJid> participants = ConcurrentHashMap.newKeySet();
        final Set<EntityFullJid> invited = ConcurrentHashMap.newKeySet();
        final JitsiMeetConferenceImpl logger;
        final String bridgeSessionId = java.util.UUID.randomUUID().toString();

        FocusedRoom(XMPPTCPConnection c, EntityBareJid jid) {
            this.jid = jid;
            this.logger = JitsiLogs.as(JitsiLogs.JICOFO, () -> new JitsiMeetConferenceImpl(jid.toString()));
            this.muc = MultiUserChatManager.getInstanceFor(c).getMultiUserChat(jid);
            muc.addParticipantListener(this::presence);
            try {
                JitsiLogs.as(JitsiLogs.JICOFO, () -> logger.joinTheRoom(java.util.UUID.randomUUID().toString()));
                MultiUserChat.MucCreateConfigFormHandle created = muc.createOrJoin(Resourcepart.from(NICK));
                if (created != null) {
                    created.makeInstant();
                }
            } catch (Exception e) {
                throw new IllegalStateException("Failed to join " + jid + ": " + e, e);
            }
        }

        void presence(Presence p) {
            if (!(p.getFrom() instanceof EntityFullJid occupant) || NICK.equals(occupant.getResourceOrEmpty().toString())) {
                return;
            }
            if (p.getType() == Presence.Type.available) {
                participants.add(occupant);
                if (participants.size() >= MIN_PARTICIPANTS) {
                    for (EntityFullJid member : List.copyOf(participants)) {
                        if (invited.add(member)) {
                            invites.execute(() -> invite(member));
                        }
                    }
                }
            } else if (p.getType() == Presence.Type.unavailable) {
                participants.remove(occupant);
                invited.remove(occupant);
                JitsiLogs.as(JitsiLogs.JICOFO, () -> logger.onMemberLeft(occupant.getResourceOrEmpty().toString()));
                if (participants.isEmpty()) {
                    invites.execute(() -> {
                        rooms.remove(jid, this);
                        stop();
                    });
                }
            }
        }

        void invite(EntityFullJid member) {
            var runnable = logger.inviteRunnable(member.getResourceOrEmpty().toString());
            Optional<Bridge> bridge = jicofo.selectBridge();
            if (bridge.isEmpty()) {
                JitsiLogs.as(JitsiLogs.JICOFO, runnable::noBridgeAvailable);
                return;
            }
            XMPPTCPConnection c = connection;
            if (c == null) {
                return;
            }
            try {
                JingleIQ initiate = sessionInitiate(c.getUser(), member, bridge.get());
                JitsiLogs.as(JitsiLogs.JICOFO, () -> runnable.sendingSessionInitiate(member.toString()));
                // JingleSession.initiateSession: a timeout counts as success (the client may be slow to answer)
                c.createStanzaCollectorAndSend(initiate).nextResult();
            } catch (Exception e) {
                LOG.debugf(e, "session-initiate to %s", member);
            }
        }

        JingleIQ sessionInitiate(Jid focus, EntityFullJid member, Bridge bridge) {
            JingleIQ iq = new JingleIQ(JingleAction.SESSION_INITIATE, JingleIQ.generateSID());
            iq.setType(IQ.Type.set);
            iq.setFrom(focus);
            iq.setTo(member);
            iq.setInitiator(focus);
            String ufrag = random(4);
            String pwd = random(11);
            String fingerprint = fingerprint();
            List<ContentPacketExtension> contents = new java.util.ArrayList<>();
            for (String media : List.of("audio", "video")) {
                ContentPacketExtension content = new ContentPacketExtension();
                content.setCreator(ContentPacketExtension.CreatorEnum.initiator);
                content.setName(media);
                content.setSenders(ContentPacketExtension.SendersEnum.both);
                RtpDescriptionPacketExtension description = new RtpDescriptionPacketExtension();
                description.setMedia(media);
                PayloadTypePacketExtension payload = new PayloadTypePacketExtension();
                // jicofo's offer (JingleOfferFactory): opus/48000/2 as 111, VP8/90000 as 100
                payload.setId("audio".equals(media) ? 111 : 100);
                payload.setName("audio".equals(media) ? "opus" : "VP8");
                payload.setClockrate("audio".equals(media) ? 48000 : 90000);
                if ("audio".equals(media)) {
                    payload.setChannels(2);
                }
                description.addPayloadType(payload);
                content.addChildExtension(description);
                IceUdpTransportPacketExtension transport = new IceUdpTransportPacketExtension();
                transport.setUfrag(ufrag);
                transport.setPassword(pwd);
                DtlsFingerprintPacketExtension dtls = new DtlsFingerprintPacketExtension();
                dtls.setHash("sha-256");
                dtls.setFingerprint(fingerprint);
                dtls.setSetup("actpass");
                transport.addChildExtension(dtls);
                IceCandidatePacketExtension candidate = new IceCandidatePacketExtension();
                candidate.setComponent(1);
                candidate.setFoundation("1");
                candidate.setGeneration(0);
                candidate.setID(random(5));
                candidate.setNetwork(0);
                candidate.setIP("127.0.0.1");
                candidate.setPort(10000); // videobridge.ice.udp.port default
                candidate.setPriority(2130706431);
                candidate.setProtocol("udp");
                candidate.setType(CandidateType.host);
                transport.addCandidate(candidate);
                content.addChildExtension(transport);
                iq.addContent(content);
                contents.add(content);
            }
            iq.addExtension(GroupPacketExtension.createBundleGroup(contents));
            iq.addExtension(new BridgeSessionPacketExtension(bridgeSessionId + "-" + bridge.name(), "region1"));
            return iq;
        }

        void stop() {
            try {
                if (muc.isJoined()) {
                    muc.leave();
                }
            } catch (Exception e) {
                LOG.debugf(e, "leaving %s", jid);
            }
            JitsiLogs.as(JitsiLogs.JICOFO, logger::stop);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A DTLS certificate fingerprint in SDP form (32 colon-separated upper-case hex bytes), as the bridge sends. */
    private static String fingerprint() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
