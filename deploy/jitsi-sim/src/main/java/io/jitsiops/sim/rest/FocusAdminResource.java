package io.jitsiops.sim.rest;

import java.util.Map;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jitsiops.sim.jitsi.Focus;

/**
 * Connects the simulated jicofo's focus to a real prosody ({@code PUT /admin/focus} with jicofo's
 * {@code xmpp.client} settings), shows its state, disconnects it. Part of the unauthenticated, loopback-only admin
 * API: never expose it.
 */
@Path("/admin/focus")
public class FocusAdminResource {
    private final Focus focus;

    public FocusAdminResource(Focus focus) {
        this.focus = focus;
    }

    @GET
    public Map<String, Object> state() {
        return focus.state();
    }

    /** Blocking (a worker thread): logs in before answering, so the caller knows the focus is there. */
    @PUT
    public Response connect(Focus.Login login) {
        if (login == null || login.host() == null || login.port() <= 0 || login.authDomain() == null
                || login.username() == null || login.password() == null) {
            throw new BadRequestException("body must be {\"host\", \"port\", \"xmppDomain\", \"authDomain\", "
                    + "\"mucDomain\", \"username\", \"password\"}");
        }
        try {
            focus.connect(login);
        } catch (Exception e) {
            return Response.status(502).type(MediaType.TEXT_PLAIN).entity("focus login failed: " + e).build();
        }
        return Response.noContent().build();
    }

    @DELETE
    public Response disconnect() {
        focus.disconnect();
        return Response.noContent().build();
    }
}
