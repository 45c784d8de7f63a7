package io.jitsiops.log.tail;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.jitsiops.log.analysis.MinuteCounts;
import io.jitsiops.log.repository.LogStore;
import io.jitsiops.log.repository.TailCursor;

/** Where cursors, minute counts and error rows are stored (PostgreSQL: {@link LogStore}). */
public interface CursorStore {
    Optional<TailCursor> cursor(String path);

    void commitStep(TailCursor cursor, Collection<MinuteCounts> minutes, List<LogStore.StoredError> errors);
}
