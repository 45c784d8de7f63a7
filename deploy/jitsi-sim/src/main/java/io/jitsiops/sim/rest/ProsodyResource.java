package io.jitsiops.sim.rest;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.smallrye.mutiny.Uni;

/**
 * prosody's mod_bosh and mod_websocket HTTP endpoints under {@code /prosody}. GET {@code /http-bind} answers
 * the page mod_bosh serves ("Prosody BOSH endpoint"); POST with a session-creation {@code <body/>} (XEP-0124/0206)
 * answers a {@code <body sid=...>} with the stream features, or a terminate body with {@code host-unknown}
 * for a host it does not serve. Fault target: {@code prosody}.
 */
@Path("/prosody")
public class ProsodyResource {
    static final String TARGET = "prosody";
    private static final String XML = "text/xml; charset=utf-8";
    private static final Pattern ATTR = Pattern.compile("\\b(rid|to|ver|wait|hold)\\s*=\\s*['\"]([^'\"]*)['\"]");
    private final FaultRegistry faults;
    private final SimConfig config;

    public ProsodyResource(FaultRegistry faults, SimConfig config) {
        this.faults = faults;
        this.config = config;
    }

    @GET
    @Path("/http-bind")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page() {
        return faults.answer(TARGET, () -> Response.ok("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                        + "<title>Prosody BOSH endpoint</title></head><body><h1>Prosody BOSH endpoint</h1>"
                        + "<p>It works! Now point your BOSH client to this URL to connect to Prosody.</p></body></html>\n")
                .type("text/html; charset=utf-8").build(), ProsodyResource::unavailable);
    }

    @POST
    @Path("/http-bind")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> session(String body) {
        return faults.answer(TARGET, () -> {
            String rid = attr(body, "rid");
            String to = attr(body, "to");
            if (body == null || !body.contains("http://jabber.org/protocol/httpbind") || rid == null) {
                return Response.status(400).type(XML).entity("<body type='terminate' condition='bad-request' "
                        + "xmlns='http://jabber.org/protocol/httpbind'/>").build();
            }
            if (!config.xmppDomain().equals(to)) {
                return Response.ok("<body type='terminate' condition='host-unknown' "
                        + "xmlns='http://jabber.org/protocol/httpbind'/>").type(XML).build();
            }
            String sid = UUID.randomUUID().toString();
            return Response.ok("<body xmlns='http://jabber.org/protocol/httpbind' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " xmlns:xmpp='urn:xmpp:xbosh' sid='" + sid + "' wait='60' hold='1' requests='2' inactivity='60'"
                    + " polling='5' ver='1.6' from='" + to + "' secure='true' authid='" + UUID.randomUUID() + "'"
                    + " xmpp:version='1.0'><stream:features xmlns='jabber:client'>"
                    + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>ANONYMOUS</mechanism>"
                    + "<mechanism>PLAIN</mechanism></mechanisms></stream:features></body>").type(XML).build();
        }, ProsodyResource::unavailable);
    }

    @GET
    @Path("/xmpp-websocket")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> websocketPage() {
        return faults.answer(TARGET, () -> Response.ok("<!DOCTYPE html>\n<html><head><title>Prosody WebSocket endpoint"
                + "</title></head><body><p>It works! Now point your WebSocket client to this URL to connect to Prosody."
                + "</p></body></html>\n").build(), ProsodyResource::unavailable);
    }

    private static String attr(String body, String name) {
        if (body == null) {
            return null;
        }
        Matcher m = ATTR.matcher(body);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return null;
    }

    static Response unavailable() {
        return Response.status(503).type(MediaType.TEXT_HTML)
                .entity("<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
                        + "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
                        + "</body>\r\n</html>\r\n").build();
    }
}
