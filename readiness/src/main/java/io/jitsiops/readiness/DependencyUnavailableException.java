package io.jitsiops.readiness;

import java.net.ConnectException;
import java.util.Optional;

/**
 * A request could not be answered because a server this service depends on is away. The API answers 503 with a
 * JSON body naming the dependency and a {@code Retry-After} ({@link DependencyOutageResponses}), never a 500
 * page: the client did nothing wrong and may simply try again.
 */
public class DependencyUnavailableException extends RuntimeException {
    public static final String POSTGRESQL = "PostgreSQL";
    private final String dependency;

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(dependency + " is unavailable: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage()), cause, false, false);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }

    /**
     * Whether a failure of the PostgreSQL client means the database is away (no connection, shutting down, too
     * many clients, a query that got no answer) rather than a fault of the query itself, which stays a 500.
     */
    public static boolean isPostgresUnavailable(Throwable failure) {
        if (failure instanceof io.vertx.pgclient.PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
        }
        return true; // connection refused or closed, pool closed, timed out: no answer from the database at all
    }

    /**
     * The PostgreSQL outage behind a failure that reached the API unwrapped: a refused connection to the configured
     * database address, a connection the server closed, or a PostgreSQL error saying it is unavailable.
     */
    static Optional<DependencyUnavailableException> postgresOutage(Throwable failure, String postgresAddress) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailableException d) {
                return Optional.of(d);
            }
            boolean refusedByDatabase = t instanceof ConnectException && postgresAddress != null
                    && String.valueOf(t.getMessage()).contains(postgresAddress);
            boolean closed = t instanceof io.vertx.sqlclient.ClosedConnectionException;
            boolean unavailable = t instanceof io.vertx.pgclient.PgException && isPostgresUnavailable(t);
            if (refusedByDatabase || closed || unavailable) {
                return Optional.of(new DependencyUnavailableException(POSTGRESQL, t));
            }
        }
        return Optional.empty();
    }
}
