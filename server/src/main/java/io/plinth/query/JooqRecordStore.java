package io.plinth.query;

import static org.jooq.impl.DSL.noCondition;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.query.ListQuery.Filter;
import io.plinth.query.ListQuery.SortKey;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import io.plinth.schema.ResourceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * {@link RecordStore} on PostgreSQL through jOOQ. Single-row changes lock the row ({@code SELECT ... FOR UPDATE})
 * before deciding, so concurrent writers serialize on it and no update is lost; lists use keyset pagination only.
 */
@Repository
class JooqRecordStore implements RecordStore {

    private final DSLContext dsl;
    private final DatabaseErrors errors;
    private final Map<String, ResourceTable> tables = new LinkedHashMap<>();
    private final List<ChangeJournal> journals;
    private final Map<String, ById> byIdQueries = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, ById> ownedByIdQueries = new java.util.concurrent.ConcurrentHashMap<>();

    JooqRecordStore(DSLContext dsl, ResourceCatalog catalog, List<ChangeJournal> journals) {
        this.dsl = dsl;
        this.journals = List.copyOf(journals);
        catalog.all().forEach(resource -> tables.put(resource.name(), new ResourceTable(resource)));
        Map<String, DatabaseErrors.Reference> foreignKeys = new java.util.HashMap<>();
        tables.values().forEach(table -> table.resource().fields().stream().filter(f -> f.reference() != null)
                .forEach(f -> foreignKeys.put(f.type().isLinks() ? table.links(f.name()).targetKey() : table.foreignKeyName(f),
                        new DatabaseErrors.Reference(table, f))));
        this.errors = new DatabaseErrors(foreignKeys);
    }

    @Override
    public StoredRecord insert(ResourceDefinition resource, RecordValues values) {
        return insertAll(resource, List.of(values)).getFirst();
    }

    @Override
    public List<StoredRecord> insertAll(ResourceDefinition resource, List<RecordValues> values) {
        ResourceTable table = tables.get(resource.name());
        return errors.translate(table, DatabaseErrors.Operation.WRITE, () -> dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            List<StoredRecord> stored = new ArrayList<>(values.size());
            for (RecordValues one : values) {
                Map<Field<?>, Object> columns = columns(table, one);
                columns.put(table.createdBy(), actor());
                columns.put(table.updatedBy(), actor());
                var insert = tx.insertInto(table.table()).set(columns);
                StoredRecord inserted = toStored(table, insert.returning(rowFields(table)).fetchOne());
                StoredRecord created = withLinks(inserted, writeLinks(tx, table, inserted.id(), one));
                journal(tx, resource, new ChangeJournal.Change(ChangeJournal.Kind.CREATED, created, null, null, null, null));
                stored.add(created);
            }
            return stored;
        }));
    }

    @Override
    public List<StoredRecord> upsertAll(ResourceDefinition resource, List<RecordValues> values, String onConflict) {
        ResourceTable table = tables.get(resource.name());
        FieldDefinition key = resource.field(onConflict).orElseThrow();
        Field<Object> keyColumn = table.column(key);
        return errors.translate(table, DatabaseErrors.Operation.WRITE, () -> dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            List<StoredRecord> stored = new ArrayList<>(values.size());
            for (RecordValues one : values) {
                Map<Field<?>, Object> columns = columns(table, one);
                columns.put(table.createdBy(), actor());
                columns.put(table.updatedBy(), actor());
                Map<Field<?>, Object> updates = new LinkedHashMap<>(columns);
                updates.remove(keyColumn);
                updates.remove(table.createdBy());
                updates.put(table.version(), table.qualified(table.version()).plus(1));
                updates.put(table.updatedAt(), DSL.currentOffsetDateTime());
                Set<String> readOnly = resource.lifecycle().readOnlyStates();
                Record row = tx.insertInto(table.table()).set(columns)
                        .onConflict(keyColumn)
                        .doUpdate().set(updates)
                        .where(readOnly.isEmpty() ? DSL.trueCondition() : table.qualified(table.status()).notIn(readOnly))
                        .returning(rowFields(table))
                        .fetchOne();
                if (row == null) {
                    throw new PlinthException(ErrorCode.RECORD_READ_ONLY, "The " + resource.name() + " with this "
                            + key.name() + " is in a read-only state and cannot be changed.",
                            List.of(new FieldProblem(key.name(), "names a record in a read-only state")));
                }
                StoredRecord upserted = toStored(table, row);
                upserted = withLinks(upserted, writeLinks(tx, table, upserted.id(), one));
                journal(tx, resource, upserted.version() == 1
                        ? new ChangeJournal.Change(ChangeJournal.Kind.CREATED, upserted, null, null, null, null)
                        : new ChangeJournal.Change(ChangeJournal.Kind.UPDATED, upserted,
                                new ArrayList<>(one.values().keySet()), null, null, null));
                stored.add(upserted);
            }
            return stored;
        }));
    }

    @Override
    public Optional<StoredRecord> findById(ResourceDefinition resource, UUID id, List<Include> includes,
                                           RowScope scope) {
        ResourceTable table = tables.get(resource.name());
        if (includes.isEmpty()) {
            String owner = scope.ownerOf(resource.name());
            ById byId = byId(table, owner != null);
            Object[] binds = owner == null ? new Object[] {DSL.val(id, table.id())}
                    : new Object[] {DSL.val(id, table.id()), DSL.val(owner, table.createdBy())};
            return errors.translate(table, DatabaseErrors.Operation.READ, () -> dsl.resultQuery(byId.sql(), binds)
                    .coerce(byId.fields())
                    .fetchOptional()
                    .map(row -> toStored(table, row)));
        }
        return errors.translate(table, DatabaseErrors.Operation.READ, () -> dsl.select(selection(table, includes, scope))
                .from(table.table())
                .where(table.id().eq(id)).and(owned(table, table.createdBy(), scope))
                .fetchOptional()
                .map(row -> toStored(table, row, includes)));
    }

    /** A read by id without includes: its SQL rendered once per resource (and row scope), its fields to read it back. */
    private record ById(String sql, List<Field<?>> fields) {
    }

    /**
     * The most frequent statement, {@code SELECT <columns> FROM <table> WHERE id = ? [AND created_by = ?]}, rendered by
     * jOOQ once and then run as that text with its binds: rendering the query each time was 7-9 % of a read's CPU
     * (docs/performance.md). Reads with includes are built each time.
     */
    private ById byId(ResourceTable table, boolean owned) {
        return (owned ? ownedByIdQueries : byIdQueries).computeIfAbsent(table.resource().name(), key -> {
            List<Field<?>> fields = rowFields(table);
            Condition condition = table.id().eq(DSL.param("id", UUID.class));
            if (owned) {
                condition = condition.and(table.createdBy().eq(DSL.param("owner", String.class)));
            }
            return new ById(dsl.render(dsl.select(fields).from(table.table()).where(condition)), List.copyOf(fields));
        });
    }

    @Override
    public StoredRecord update(ResourceDefinition resource, UUID id, VersionCheck check,
                               Function<StoredRecord, RecordChange> change) {
        ResourceTable table = tables.get(resource.name());
        return errors.translate(table, DatabaseErrors.Operation.WRITE, () -> dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            StoredRecord current = lockChecked(tx, table, id, check);
            RecordChange wanted = change.apply(current);
            if (wanted.isEmpty()) {
                return current;
            }
            Map<Field<?>, Object> columns = columns(table, wanted.values());
            if (wanted.status() != null) {
                columns.put(table.status(), wanted.status());
            }
            columns.put(table.version(), table.version().plus(1));
            columns.put(table.updatedAt(), DSL.currentOffsetDateTime());
            columns.put(table.updatedBy(), actor());
            writeLinks(tx, table, id, wanted.values());
            StoredRecord updated = toStored(table, tx.update(table.table()).set(columns)
                    .where(table.id().eq(id))
                    .returning(rowFields(table))
                    .fetchOne());
            journal(tx, resource, wanted.status() != null
                    ? new ChangeJournal.Change(ChangeJournal.Kind.STATUS_CHANGED, updated, null, current.status(),
                            wanted.status(), wanted.reason())
                    : new ChangeJournal.Change(ChangeJournal.Kind.UPDATED, updated, changedFields(current, updated),
                            null, null, null));
            return updated;
        }));
    }

    @Override
    public StoredRecord delete(ResourceDefinition resource, UUID id, VersionCheck check, RowScope scope) {
        ResourceTable table = tables.get(resource.name());
        return errors.translate(table, DatabaseErrors.Operation.DELETE, () -> dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            StoredRecord current = lockChecked(tx, table, id, check);
            String owner = scope.ownerOf(resource.name());
            if (owner != null && !owner.equals(current.createdBy())) {
                throw new PlinthException(ErrorCode.NOT_FOUND, "No " + resource.name() + " has the id " + id + ".");
            }
            Set<UUID> deleting = new java.util.HashSet<>(Set.of(id));
            applyDeleteRules(tx, table, id, deleting);
            tx.deleteFrom(table.table()).where(table.id().eq(id)).execute();
            journal(tx, resource, new ChangeJournal.Change(ChangeJournal.Kind.DELETED, current, null, null, null, null));
            return current;
        }));
    }

    @Override
    public Page list(ResourceDefinition resource, ListQuery query) {
        ResourceTable table = tables.get(resource.name());
        RowScope scope = query.scope();
        Condition where = filters(table, query.filters(), scope).and(owned(table, table.createdBy(), scope));
        List<SortKey> sort = query.sort();
        List<Field<?>> keys = sort.stream().<Field<?>>map(key -> sortExpression(table, key, scope)).toList();
        List<SortField<?>> order = new ArrayList<>();
        for (int i = 0; i < sort.size(); i++) {
            order.add(sort.get(i).descending() ? keys.get(i).desc() : keys.get(i).asc());
        }
        boolean lastDescending = !sort.isEmpty() && sort.getLast().descending();
        order.add(lastDescending ? table.id().desc() : table.id().asc());
        Condition page = query.after() == null ? noCondition() : after(table, sort, keys, lastDescending, query.after());
        List<Field<?>> selection = new ArrayList<>(selection(table, query.includes(), scope));
        for (int i = 0; i < sort.size(); i++) {
            if (!sort.get(i).via().isEmpty()) {
                selection.add(keys.get(i).as(SORT_PREFIX + i));
            }
        }
        return errors.translate(table, DatabaseErrors.Operation.READ, () -> {
            List<Record> raw = new ArrayList<>(dsl.select(selection)
                    .from(table.table())
                    .where(where).and(page)
                    .orderBy(order)
                    .limit(query.limit() + 1)
                    .fetch());
            String next = null;
            if (raw.size() > query.limit()) {
                raw = raw.subList(0, query.limit());
                Record lastRow = raw.getLast();
                StoredRecord last = toStored(table, lastRow);
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < sort.size(); i++) {
                    values.add(sort.get(i).via().isEmpty() ? valueOf(last, sort.get(i).field())
                            : lastRow.get(SORT_PREFIX + i));
                }
                next = Cursors.encode(Cursors.fingerprint(resource, query.filters(), sort), values, last.id());
            }
            List<StoredRecord> rows = raw.stream().map(row -> toStored(table, row, query.includes())).toList();
            Long total = switch (query.count()) {
                case NONE -> null;
                case EXACT -> (long) dsl.fetchCount(table.table(), where);
                case ESTIMATED -> Math.round(dsl.explain(dsl.selectOne().from(table.table()).where(where)).rows());
            };
            return new Page(rows, next, total, query.count() == ListQuery.CountMode.ESTIMATED);
        });
    }

    /**
     * Keyset condition "after the cursor row" for any mix of directions and nullable keys, in PostgreSQL's default
     * null order (NULLS LAST ascending, NULLS FIRST descending). When every key shares one direction and none can be
     * null it is a single row comparison, which an index on the same columns serves directly.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition after(ResourceTable table, List<SortKey> sort, List<Field<?>> keys, boolean lastDescending,
                                   ListQuery.Cursor cursor) {
        ResourceDefinition resource = table.resource();
        boolean uniform = sort.stream().allMatch(k -> k.descending() == lastDescending);
        boolean noNulls = sort.stream().noneMatch(k -> !k.via().isEmpty() || FieldTypes.nullable(resource, k.field()))
                && cursor.values().stream().allMatch(java.util.Objects::nonNull);
        if (uniform && noNulls) {
            List<Field<?>> columns = new ArrayList<>();
            List<Field<?>> values = new ArrayList<>();
            for (int i = 0; i < sort.size(); i++) {
                Field<?> column = keys.get(i);
                columns.add(column);
                values.add(DSL.val(cursor.values().get(i), (Field) column));
            }
            columns.add(table.id());
            values.add(DSL.val(cursor.id(), table.id()));
            return lastDescending
                    ? DSL.row(columns).lt(DSL.row(values))
                    : DSL.row(columns).gt(DSL.row(values));
        }
        Condition result = DSL.falseCondition();
        Condition equalSoFar = DSL.trueCondition();
        for (int i = 0; i < sort.size(); i++) {
            Field column = keys.get(i);
            Object value = cursor.values().get(i);
            boolean descending = sort.get(i).descending();
            Condition beyond;
            if (value == null) {
                beyond = descending ? column.isNotNull() : DSL.falseCondition();
            } else {
                beyond = descending ? column.lt(DSL.val(value, column)) : column.gt(DSL.val(value, column)).or(column.isNull());
            }
            result = result.or(equalSoFar.and(beyond));
            equalSoFar = equalSoFar.and(value == null ? column.isNull() : column.eq(DSL.val(value, column)));
        }
        Condition idBeyond = lastDescending ? table.id().lt(cursor.id()) : table.id().gt(cursor.id());
        return result.or(equalSoFar.and(idBeyond));
    }

    private static final String SORT_PREFIX = "plinth_sort_";

    /**
     * A sort key as SQL: the column itself, or for {@code customer.name} a scalar subquery
     * {@code (SELECT s1.name FROM customer AS s1 WHERE s1.id = <table>.customer)}, nested per step of the path.
     */
    private Field<?> sortExpression(ResourceTable table, SortKey key, RowScope scope) {
        if (key.via().isEmpty()) {
            return table.columnByName(key.field()).orElseThrow();
        }
        FieldDefinition first = table.resource().field(key.via().getFirst()).orElseThrow();
        Field<?> current = DSL.field(DSL.name(table.resource().table(), first.column()), UUID.class);
        ResourceTable target = tables.get(first.reference().to());
        for (int i = 1; i <= key.via().size(); i++) {
            String alias = "s" + i;
            Field<?> selected = i < key.via().size()
                    ? qualified(alias, target.column(target.resource().field(key.via().get(i)).orElseThrow()))
                    : qualified(alias, target.columnByName(key.field()).orElseThrow());
            current = DSL.field(DSL.select(selected).from(target.table().as(alias))
                    .where(qualified(alias, target.id()).eq(current.cast(UUID.class)))
                    .and(owned(target, qualified(alias, target.createdBy()), scope)));
            if (i < key.via().size()) {
                target = tables.get(target.resource().field(key.via().get(i)).orElseThrow().reference().to());
            }
        }
        return current;
    }

    private Condition filters(ResourceTable table, List<Filter> filters, RowScope scope) {
        Condition all = noCondition();
        for (Filter filter : filters) {
            all = all.and(filter.via().isEmpty() ? condition(table, filter) : across(table, filter, 0, scope));
        }
        return all;
    }

    /** Limits a table's rows to the scope's owner for its resource, if any: {@code created_by = ?}. */
    private static Condition owned(ResourceTable table, Field<String> createdBy, RowScope scope) {
        String owner = scope.ownerOf(table.resource().name());
        return owner == null ? noCondition() : createdBy.eq(owner);
    }

    /**
     * A condition on a referenced record's field as nested semi-joins:
     * {@code purchase IN (SELECT id FROM purchase WHERE customer IN (SELECT id FROM customer WHERE name = ?))}.
     * Each step uses the foreign key's index.
     */
    private Condition across(ResourceTable table, Filter filter, int step, RowScope scope) {
        String name = filter.via().get(step);
        FieldDefinition reference = table.resource().field(name).filter(f -> f.reference() != null).orElse(null);
        if (reference == null) {
            // A to-many relation: "has any" related record that matches.
            ResourceDefinition.Relation relation = table.resource().relation(name).orElseThrow();
            ResourceTable child = tables.get(relation.resource());
            FieldDefinition back = child.resource().field(relation.field()).orElseThrow();
            Condition inner = (step + 1 < filter.via().size() ? across(child, filter, step + 1, scope)
                    : condition(child, filter)).and(owned(child, child.createdBy(), scope));
            if (back.type().isLinks()) {
                ResourceTable.Links link = child.links(back.name());
                return table.id().in(DSL.select(link.target()).from(link.table())
                        .where(link.owner().in(DSL.select(child.id()).from(child.table()).where(inner))));
            }
            return table.id().in(DSL.select(child.<UUID>column(back)).from(child.table()).where(inner));
        }
        ResourceTable target = tables.get(reference.reference().to());
        Condition inner = (step + 1 < filter.via().size() ? across(target, filter, step + 1, scope)
                : condition(target, filter)).and(owned(target, target.createdBy(), scope));
        if (reference.type().isLinks()) {
            // "Holds any" referenced record that matches.
            ResourceTable.Links link = table.links(reference.name());
            return table.id().in(DSL.select(link.owner()).from(link.table())
                    .where(link.target().in(DSL.select(target.id()).from(target.table()).where(inner))));
        }
        return table.column(reference).in(DSL.select(target.id()).from(target.table()).where(inner));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition condition(ResourceTable table, Filter filter) {
        ResourceTable.Links link = table.links(filter.field());
        if (link != null) {
            return linkCondition(table, link, filter);
        }
        {
            Field column = table.columnByName(filter.field()).orElseThrow();
            Object first = filter.values().getFirst();
            Condition condition = switch (filter.operator()) {
                case EQ -> column.eq(DSL.val(first, column));
                case NE -> column.isDistinctFrom(DSL.val(first, column));
                case GT -> column.gt(DSL.val(first, column));
                case GTE -> column.ge(DSL.val(first, column));
                case LT -> column.lt(DSL.val(first, column));
                case LTE -> column.le(DSL.val(first, column));
                case IN -> column.in(filter.values().stream().map(v -> DSL.val(v, column)).toList());
                case CONTAINS -> column.cast(String.class).contains((String) first);
                case ICONTAINS -> column.cast(String.class).containsIgnoreCase((String) first);
                case STARTS_WITH -> column.cast(String.class).startsWith((String) first);
                case ISTARTS_WITH -> column.cast(String.class).startsWithIgnoreCase((String) first);
                case IS_NULL -> Boolean.TRUE.equals(first) ? column.isNull() : column.isNotNull();
            };
            return condition;
        }
    }

    /**
     * A filter on a references field: eq "holds this id", ne "does not hold it", in "holds any of them", isNull
     * "holds none" (or, false, "holds at least one"); each a semi-join on the link table's indexes.
     */
    private static Condition linkCondition(ResourceTable table, ResourceTable.Links link, Filter filter) {
        List<UUID> ids = filter.values().stream().filter(UUID.class::isInstance).map(UUID.class::cast).toList();
        return switch (filter.operator()) {
            case EQ, IN -> table.id().in(DSL.select(link.owner()).from(link.table()).where(link.target().in(ids)));
            case NE -> table.id().notIn(DSL.select(link.owner()).from(link.table()).where(link.target().in(ids)));
            case IS_NULL -> Boolean.TRUE.equals(filter.values().getFirst())
                    ? table.id().notIn(DSL.select(link.owner()).from(link.table()))
                    : table.id().in(DSL.select(link.owner()).from(link.table()));
            default -> throw new IllegalArgumentException("no " + filter.operator() + " on references fields");
        };
    }

    /**
     * Applies the ON DELETE rules of the references to a record about to be deleted, here rather than silently in
     * PostgreSQL, so that every record they change or delete gets its event and its version: cascade deletes the
     * referring records (and theirs, recursively), setNull clears the reference. Restrict is left to the foreign key,
     * which refuses the deletion.
     */
    private void applyDeleteRules(DSLContext tx, ResourceTable parent, UUID parentId, Set<UUID> deleting) {
        for (ResourceTable child : tables.values()) {
            for (FieldDefinition field : child.resource().fields()) {
                if (field.reference() == null || !field.reference().to().equals(parent.resource().name())) {
                    continue;
                }
                if (field.type().isLinks()) {
                    if (field.reference().onDelete() == FieldDefinition.OnDelete.UNLINK) {
                        unlink(tx, child, field, parentId, deleting);
                    }
                    continue;
                }
                Field<Object> column = child.column(field);
                switch (field.reference().onDelete()) {
                    case CASCADE -> {
                        List<StoredRecord> doomed = tx.select(rowFields(child)).from(child.table())
                                .where(column.eq(parentId)).forUpdate().fetch(row -> toStored(child, row));
                        for (StoredRecord record : doomed) {
                            if (deleting.add(record.id())) {
                                applyDeleteRules(tx, child, record.id(), deleting);
                                tx.deleteFrom(child.table()).where(child.id().eq(record.id())).execute();
                                journal(tx, child.resource(), new ChangeJournal.Change(ChangeJournal.Kind.DELETED,
                                        record, null, null, null, null));
                            }
                        }
                    }
                    case SET_NULL -> tx.update(child.table())
                            .set(column, (Object) null)
                            .set(child.version(), child.version().plus(1))
                            .set(child.updatedAt(), DSL.currentOffsetDateTime())
                            .set(child.updatedBy(), actor())
                            .where(column.eq(parentId))
                            .returning(rowFields(child))
                            .fetch(row -> toStored(child, row))
                            .forEach(updated -> journal(tx, child.resource(), new ChangeJournal.Change(
                                    ChangeJournal.Kind.UPDATED, updated, List.of(field.name()), null, null, null)));
                    case RESTRICT, UNLINK -> { }
                }
            }
        }
    }

    /**
     * Removes a record about to be deleted from a references field of every record that holds it; each of them gets a
     * new version and an UPDATED event naming the field.
     */
    private void unlink(DSLContext tx, ResourceTable owner, FieldDefinition field, UUID targetId, Set<UUID> deleting) {
        ResourceTable.Links link = owner.links(field.name());
        List<UUID> holders = tx.select(link.owner()).from(link.table()).where(link.target().eq(targetId))
                .fetch(link.owner()).stream().filter(holder -> !deleting.contains(holder)).toList();
        if (holders.isEmpty()) {
            return;
        }
        tx.select(owner.id()).from(owner.table()).where(owner.id().in(holders)).orderBy(owner.id()).forUpdate().execute();
        tx.deleteFrom(link.table()).where(link.target().eq(targetId)).execute();
        tx.update(owner.table())
                .set(owner.version(), owner.version().plus(1))
                .set(owner.updatedAt(), DSL.currentOffsetDateTime())
                .set(owner.updatedBy(), actor())
                .where(owner.id().in(holders))
                .returning(rowFields(owner))
                .fetch(row -> toStored(owner, row))
                .forEach(updated -> journal(tx, owner.resource(), new ChangeJournal.Change(
                        ChangeJournal.Kind.UPDATED, updated, List.of(field.name()), null, null, null)));
    }

    /**
     * Replaces the links of every references field the values name: the ids in the order given.
     *
     * @return the ids written, by field name
     */
    private static Map<String, List<UUID>> writeLinks(DSLContext tx, ResourceTable table, UUID id, RecordValues values) {
        Map<String, List<UUID>> written = new LinkedHashMap<>();
        for (ResourceTable.Links link : table.links()) {
            if (!values.values().containsKey(link.field().name())) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<UUID> ids = (List<UUID>) values.values().get(link.field().name());
            tx.deleteFrom(link.table()).where(link.owner().eq(id)).execute();
            if (!ids.isEmpty()) {
                var insert = tx.insertInto(link.table(), link.owner(), link.target(), link.position());
                for (int i = 0; i < ids.size(); i++) {
                    insert = insert.values(id, ids.get(i), i);
                }
                insert.execute();
            }
            written.put(link.field().name(), ids);
        }
        return written;
    }

    private static StoredRecord withLinks(StoredRecord record, Map<String, List<UUID>> links) {
        if (links.isEmpty()) {
            return record;
        }
        Map<String, Object> fields = new LinkedHashMap<>(record.fields());
        fields.putAll(links);
        return new StoredRecord(record.id(), record.createdAt(), record.updatedAt(), record.status(), record.version(),
                record.createdBy(), record.updatedBy(), fields);
    }

    private static final String LINKS_PREFIX = "plinth_links_";

    /**
     * The columns of a table and, for each references field, its ids in order as a correlated
     * {@code array(SELECT ...)}: what every statement that reads or returns whole records selects.
     */
    private static List<Field<?>> rowFields(ResourceTable table) {
        if (table.links().isEmpty()) {
            return table.allColumns();
        }
        List<Field<?>> fields = new ArrayList<>(table.allColumns());
        Field<UUID> ownerId = DSL.field(DSL.name(table.resource().table(), "id"), UUID.class);
        for (ResourceTable.Links link : table.links()) {
            fields.add(linkIds(link, ownerId).as(LINKS_PREFIX + link.field().name()));
        }
        return fields;
    }

    /** {@code array(SELECT target FROM link WHERE owner = ? ORDER BY position)}: never null, {} when none. */
    private static Field<UUID[]> linkIds(ResourceTable.Links link, Field<UUID> ownerId) {
        return DSL.field("array({0})", UUID[].class, DSL.select(link.target()).from(link.table())
                .where(link.owner().eq(ownerId)).orderBy(link.position()));
    }

    private void journal(DSLContext tx, ResourceDefinition resource, ChangeJournal.Change change) {
        for (ChangeJournal journal : journals) {
            journal.record(tx, resource, change);
        }
    }

    private static List<String> changedFields(StoredRecord before, StoredRecord after) {
        List<String> changed = new ArrayList<>();
        after.fields().forEach((name, value) -> {
            if (!java.util.Objects.equals(before.fields().get(name), value)) {
                changed.add(name);
            }
        });
        return changed;
    }

    private StoredRecord lockChecked(DSLContext tx, ResourceTable table, UUID id, VersionCheck check) {
        ResourceDefinition resource = table.resource();
        StoredRecord current = tx.select(rowFields(table))
                .from(table.table())
                .where(table.id().eq(id))
                .forUpdate()
                .fetchOptional()
                .map(row -> toStored(table, row))
                .orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                        "No " + resource.name() + " has the id " + id + "."));
        if (!check.matches(current.version())) {
            throw new PlinthException(ErrorCode.PRECONDITION_FAILED, "The " + resource.name()
                    + " has changed since you read it: it is at version " + current.version()
                    + ", not the one If-Match names. Read it again and reapply your change.");
        }
        return current;
    }

    private static Object valueOf(StoredRecord record, String field) {
        return switch (field) {
            case "id" -> record.id();
            case "createdAt" -> record.createdAt();
            case "updatedAt" -> record.updatedAt();
            case "status" -> record.status();
            case "version" -> record.version();
            case "createdBy" -> record.createdBy();
            case "updatedBy" -> record.updatedBy();
            default -> record.fields().get(field);
        };
    }

    private static Map<Field<?>, Object> columns(ResourceTable table, RecordValues values) {
        Map<Field<?>, Object> columns = new LinkedHashMap<>();
        values.values().forEach((name, value) -> {
            FieldDefinition field = table.resource().field(name).orElseThrow();
            if (field.type().isLinks()) {
                return;
            }
            columns.put(table.column(field), value != null && field.type() == FieldType.JSON
                    ? JSONB.valueOf((String) value) : value);
        });
        return columns;
    }

    /** The columns of a table and, for each include, one correlated JSON subquery: still one statement. */
    private List<Field<?>> selection(ResourceTable table, List<Include> includes, RowScope scope) {
        List<Field<?>> fields = new ArrayList<>(rowFields(table));
        int[] aliases = {0};
        for (Include include : includes) {
            fields.add(embedded(table, table.resource().table(), include, aliases, scope)
                    .as(INCLUDE_PREFIX + include.name()));
        }
        return fields;
    }

    private static final String INCLUDE_PREFIX = "plinth_include_";

    /**
     * To-one: {@code (SELECT json_build_object(...) FROM <target> AS iN WHERE iN.id = <parent>.<reference>)}; to-many:
     * {@code (SELECT coalesce(json_agg(json_build_object(...) ORDER BY created_at, id), '[]') FROM <child> AS iN
     * WHERE iN.<reference> = <parent>.id)}.
     */
    private Field<?> embedded(ResourceTable parent, String parentTable, Include include, int[] aliases, RowScope scope) {
        ResourceTable target = tables.get(include.target().name());
        String alias = "i" + (++aliases[0]);
        Condition inScope = owned(target, qualified(alias, target.createdBy()), scope);
        Set<String> only = include.fields();
        List<org.jooq.JSONEntry<?>> entries = new ArrayList<>();
        entries.add(DSL.jsonEntry("id", qualified(alias, target.id())));
        if (only == null || only.contains("createdAt")) {
            entries.add(DSL.jsonEntry("createdAt", utc(qualified(alias, target.createdAt()))));
        }
        if (only == null || only.contains("updatedAt")) {
            entries.add(DSL.jsonEntry("updatedAt", utc(qualified(alias, target.updatedAt()))));
        }
        for (FieldDefinition field : target.resource().fields()) {
            if (only != null && !only.contains(field.name())) {
                continue;
            }
            Include nested = include.children().stream().filter(c -> c.name().equals(field.name()))
                    .findFirst().orElse(null);
            if (nested != null) {
                entries.add(DSL.jsonEntry(field.name(), embedded(target, alias, nested, aliases, scope)));
            } else if (field.type().isLinks()) {
                entries.add(DSL.jsonEntry(field.name(), DSL.field("to_json({0})", Object.class,
                        linkIds(target.links(field.name()), DSL.field(DSL.name(alias, "id"), UUID.class)))));
            } else {
                Field<?> column = qualified(alias, target.column(field));
                entries.add(DSL.jsonEntry(field.name(), field.type() == FieldType.TIMESTAMP ? utc(column) : column));
            }
        }
        if (only == null || only.contains("status")) {
            entries.add(DSL.jsonEntry("status", qualified(alias, target.status())));
        }
        if (only == null || only.contains("version")) {
            entries.add(DSL.jsonEntry("version", qualified(alias, target.version())));
        }
        if (only == null || only.contains("createdBy")) {
            entries.add(DSL.jsonEntry("createdBy", qualified(alias, target.createdBy())));
        }
        if (only == null || only.contains("updatedBy")) {
            entries.add(DSL.jsonEntry("updatedBy", qualified(alias, target.updatedBy())));
        }
        for (Include nested : include.children()) {
            if (nested.relation() != null) {
                entries.add(DSL.jsonEntry(nested.name(), embedded(target, alias, nested, aliases, scope)));
            }
        }
        Field<UUID> parentId = DSL.field(DSL.name(parentTable, "id"), UUID.class);
        if (include.field() != null && include.field().type().isLinks()) {
            // The records a references field holds, in the order it holds them.
            ResourceTable.Links link = parent.links(include.field().name());
            String linkAlias = "l" + aliases[0];
            Field<Object> aggregate = DSL.field("coalesce(json_agg({0} order by {1}), '[]'::json)", Object.class,
                    DSL.jsonObject(entries), qualified(linkAlias, link.position()));
            return DSL.field(DSL.select(aggregate).from(link.table().as(linkAlias))
                    .join(target.table().as(alias)).on(qualified(alias, target.id()).eq(qualified(linkAlias, link.target())))
                    .where(qualified(linkAlias, link.owner()).eq(parentId)).and(inScope));
        }
        if (include.relation() != null) {
            FieldDefinition back = target.resource().field(include.relation().field()).orElseThrow();
            if (back.type().isLinks()) {
                // The records whose references field holds this one.
                ResourceTable.Links link = target.links(back.name());
                String linkAlias = "l" + aliases[0];
                Field<?> aggregate = DSL.field("coalesce(json_agg({0} order by {1}, {2}), '[]'::json)", Object.class,
                        DSL.jsonObject(entries), qualified(alias, target.createdAt()), qualified(alias, target.id()));
                return DSL.field(DSL.select(aggregate).from(link.table().as(linkAlias))
                        .join(target.table().as(alias)).on(qualified(alias, target.id()).eq(qualified(linkAlias, link.owner())))
                        .where(qualified(linkAlias, link.target()).eq(parentId)).and(inScope));
            }
            Field<?> aggregate = DSL.field("coalesce(json_agg({0} order by {1}, {2}), '[]'::json)", Object.class,
                    DSL.jsonObject(entries), qualified(alias, target.createdAt()), qualified(alias, target.id()));
            return DSL.field(DSL.select(aggregate).from(target.table().as(alias))
                    .where(qualified(alias, target.column(back)).cast(UUID.class).eq(parentId)).and(inScope));
        }
        Field<Object> parentReference = DSL.field(DSL.name(parentTable, include.field().column()));
        return DSL.field(DSL.select(DSL.jsonObject(entries))
                .from(target.table().as(alias))
                .where(qualified(alias, target.id()).eq(parentReference.cast(UUID.class))).and(inScope));
    }

    /** Who is making the change: the request's principal (cut to the audit columns' length), or null for Plinth. */
    private static String actor() {
        String name = io.plinth.observability.PrincipalName.current();
        return name == null || name.length() <= ResourceTable.AUDIT_LENGTH ? name
                : name.substring(0, ResourceTable.AUDIT_LENGTH);
    }

    private static <T> Field<T> qualified(String alias, Field<T> column) {
        return DSL.field(DSL.name(alias, column.getName()), column.getDataType());
    }

    /** A timestamp as the API writes it: UTC, microseconds, {@code Z}. */
    private static Field<String> utc(Field<?> timestamp) {
        return DSL.field("to_char({0} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", String.class, timestamp);
    }

    private static StoredRecord toStored(ResourceTable table, Record row, List<Include> includes) {
        StoredRecord plain = toStored(table, row);
        if (includes.isEmpty()) {
            return plain;
        }
        Map<String, String> included = new LinkedHashMap<>();
        for (Include include : includes) {
            Object json = row.get(INCLUDE_PREFIX + include.name());
            included.put(include.name(), json == null ? null : json.toString());
        }
        return new StoredRecord(plain.id(), plain.createdAt(), plain.updatedAt(), plain.status(), plain.version(),
                plain.createdBy(), plain.updatedBy(), plain.fields(), included);
    }

    private static StoredRecord toStored(ResourceTable table, Record row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldDefinition field : table.resource().fields()) {
            if (field.type().isLinks()) {
                Object ids = row.get(LINKS_PREFIX + field.name());
                fields.put(field.name(), ids == null ? List.of()
                        : java.util.Arrays.stream((Object[]) ids).map(id -> (UUID) id).toList());
                continue;
            }
            Object value = row.get(table.column(field));
            fields.put(field.name(), value instanceof JSONB json ? json.data() : value);
        }
        return new StoredRecord(row.get(table.id()), row.get(table.createdAt()), row.get(table.updatedAt()),
                row.get(table.status()), row.get(table.version()), row.get(table.createdBy()), row.get(table.updatedBy()),
                fields);
    }
}
