package io.jitsiops.sim.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.service.FaultRegistry;
import io.jitsiops.sim.service.SimConfig;
import io.jitsiops.sim.web.NginxStubStatus;
import io.smallrye.mutiny.Uni;

/**
 * The Jitsi Meet web front (nginx serving jitsi-meet, jitsi-meet {@code doc/debian/jitsi-meet/jitsi-meet.example})
 * under {@code /web}. There is no health endpoint: any path that is not a file is a room name and nginx answers
 * {@code index.html} with 200 ({@code try_files $uri @root_path}), so {@code /web/about/health} is the index page too.
 * {@code config.js} (the site's {@code /etc/jitsi/meet/<domain>-config.js}) and {@code external_api.js}
 * ({@code libs/external_api.min.js}) are reduced stand-ins: the real files are the site's configuration and a
 * webpack bundle; these keep their markers ({@code var config = { hosts: { domain: ... } }},
 * {@code JitsiMeetExternalAPI}). Fault target: {@code web}.
 */
@Path("/web")
public class WebResource {
    static final String TARGET = "web";
    private final FaultRegistry faults;
    private final SimConfig config;
    private final NginxStubStatus stubStatus;

    public WebResource(FaultRegistry faults, SimConfig config, NginxStubStatus stubStatus) {
        this.faults = faults;
        this.config = config;
        this.stubStatus = stubStatus;
    }

    @GET
    public Uni<Response> index() {
        return faults.answer(TARGET, this::indexPage, ProsodyResource::unavailable);
    }

    /** nginx's fallback: a room name, or anything else that is not a file, gets the index page. */
    @GET
    @Path("/{path: .*}")
    public Uni<Response> anyPath(@PathParam("path") String path) {
        if (("/" + path).equals(config.nginxStatusPath())) {
            return stubStatus();
        }
        return index();
    }

    /**
     * nginx's {@code stub_status} page ({@code text/plain}, see {@link NginxStubStatus}); 404 (nginx's page) when the
     * site has no such location (admin {@code PUT /admin/web/stub-status?enabled=false}). Faults on {@code web} apply.
     */
    private Uni<Response> stubStatus() {
        return faults.answer(TARGET, () -> stubStatus.enabled()
                        ? Response.ok(stubStatus.render()).type(MediaType.TEXT_PLAIN_TYPE).build()
                        : Response.status(404).type(MediaType.TEXT_HTML_TYPE).entity(NOT_FOUND).build(),
                ProsodyResource::unavailable);
    }

    private static final String NOT_FOUND = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
            + "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    @GET
    @Path("/config.js")
    public Uni<Response> configJs() {
        return faults.answer(TARGET, () -> Response.ok(configJs(config.xmppDomain()))
                .type("application/javascript").build(), ProsodyResource::unavailable);
    }

    @GET
    @Path("/external_api.js")
    public Uni<Response> externalApi() {
        return faults.answer(TARGET, () -> Response.ok(EXTERNAL_API).type("application/javascript").build(),
                ProsodyResource::unavailable);
    }

    private Response indexPage() {
        // As served: nginx SSI has already replaced <!--#include virtual="/config.js" --> with the configuration.
        String html = "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n"
                + "    <meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n"
                + "    <title>Jitsi Meet</title>\n"
                + "    <meta itemprop=\"name\" content=\"Jitsi Meet\"/>\n"
                + "    <link rel=\"stylesheet\" href=\"css/all.css?v=1\">\n"
                + "    <script>" + configJs(config.xmppDomain()) + "</script>\n"
                + "    <script src=\"libs/lib-jitsi-meet.min.js?v=1\"></script>\n"
                + "    <script src=\"libs/app.bundle.min.js?v=1\"></script>\n"
                + "  </head>\n  <body>\n    <div id=\"react\" role=\"main\"></div>\n  </body>\n</html>\n";
        return Response.ok(html).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).build();
    }

    static String configJs(String domain) {
        // The SSI echo lines of the real file, as nginx leaves them for a site without sub-domains.
        return "var subdomain = \"\";\n"
                + "var subdir = \"\";\n"
                + "var config = {\n"
                + "    hosts: {\n"
                + "        domain: '" + domain + "',\n"
                + "        muc: 'conference.' + subdomain + '" + domain + "'\n"
                + "    },\n"
                + "    bosh: 'https://" + domain + "/' + subdir + 'http-bind',\n"
                + "    websocket: 'wss://" + domain + "/' + subdir + 'xmpp-websocket',\n"
                + "    p2p: {\n        enabled: true\n    }\n"
                + "};\n";
    }

    private static final String EXTERNAL_API = "/*! jitsi-ops simulator stand-in for libs/external_api.min.js */\n"
            + "!function(e,t){\"object\"==typeof exports&&\"object\"==typeof module?module.exports=t():"
            + "\"function\"==typeof define&&define.amd?define([],t):\"object\"==typeof exports?"
            + "exports.JitsiMeetExternalAPI=t():e.JitsiMeetExternalAPI=t()}(self,(()=>"
            + "function JitsiMeetExternalAPI(domain,options){this.domain=domain;this.options=options||{};}));\n";
}
