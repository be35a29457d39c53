package io.plinth.query;

import io.plinth.definition.ResourceDefinition;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stores and fetches records of declared resources. Every method is one transaction; every failure is a
 * {@link io.plinth.error.PlinthException}: CONFLICT for a taken unique value, SERVICE_UNAVAILABLE when the database
 * cannot be reached, NOT_FOUND and PRECONDITION_FAILED where a record is addressed by id.
 */
public interface RecordStore {

    /** Inserts a record; omitted fields take their declared defaults and the status its initial state. */
    StoredRecord insert(ResourceDefinition resource, RecordValues values);

    /** Inserts all records or none, in order. */
    List<StoredRecord> insertAll(ResourceDefinition resource, List<RecordValues> values);

    /**
     * Inserts records, or updates the existing record with the same value of a unique field ({@code onConflict}),
     * all or none. An existing record in a read-only state is not changed: RECORD_READ_ONLY.
     */
    List<StoredRecord> upsertAll(ResourceDefinition resource, List<RecordValues> values, String onConflict);

    /** The record with this id, if it exists. */
    default Optional<StoredRecord> findById(ResourceDefinition resource, UUID id) {
        return findById(resource, id, List.of());
    }

    /** The record with this id and the related records to embed, in one statement. */
    default Optional<StoredRecord> findById(ResourceDefinition resource, UUID id, List<Include> includes) {
        return findById(resource, id, includes, RowScope.ALL);
    }

    /** The record with this id if it is in scope, with the related records in scope to embed, in one statement. */
    Optional<StoredRecord> findById(ResourceDefinition resource, UUID id, List<Include> includes, RowScope scope);

    /**
     * Changes one record under a row lock: checks the version, asks {@code change} what to write given the record as
     * it is now (it may throw to refuse), writes it with {@code version + 1} and a new {@code updatedAt}.
     * An empty change writes nothing and returns the record unchanged.
     */
    StoredRecord update(ResourceDefinition resource, UUID id, VersionCheck check,
                        Function<StoredRecord, RecordChange> change);

    /** Deletes one record after checking its version; returns it as it was. */
    default StoredRecord delete(ResourceDefinition resource, UUID id, VersionCheck check) {
        return delete(resource, id, check, RowScope.ALL);
    }

    /** Deletes one record in scope after checking its version (NOT_FOUND when out of scope); returns it as it was. */
    StoredRecord delete(ResourceDefinition resource, UUID id, VersionCheck check, RowScope scope);

    /** One page of a list. */
    Page list(ResourceDefinition resource, ListQuery query);
}
