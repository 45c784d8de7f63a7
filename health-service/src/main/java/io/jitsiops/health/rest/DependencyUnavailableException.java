package io.jitsiops.health.rest;

/**
 * A request could not be answered because a server this service depends on is away. The API answers 503 with a
 * JSON body naming the dependency and a {@code Retry-After}, never a 500 page: the client did nothing wrong and
 * may simply try again.
 */
public class DependencyUnavailableException extends RuntimeException {
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
     * Whether a failure of the PostgreSQL client means the database is away (no connection, shutting down, a
     * query that got no answer) rather than a fault of the query itself, which stays a 500.
     */
    public static boolean isPostgresUnavailable(Throwable failure) {
        if (failure instanceof io.vertx.pgclient.PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
        }
        return true; // connection refused or closed, pool closed, timed out: no answer from the database at all
    }
}
