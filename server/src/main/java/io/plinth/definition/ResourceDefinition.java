package io.plinth.definition;

import java.util.List;
import java.util.Optional;

/**
 * A declared resource: its names, its fields, its lifecycle and its indexes.
 *
 * @param name        the singular name, e.g. {@code entity}
 * @param path        the REST path segment under {@code /api/v1/}, e.g. {@code entities}
 * @param table       the PostgreSQL table, e.g. {@code entity_name}
 * @param description free text for documentation, or null
 * @param fields      the declared domain fields, in declaration order
 * @param lifecycle   the states of its records
 * @param indexes     indexes declared on field combinations (single-field indexes come from {@code indexed})
 * @param requireIfMatch whether updates and deletes must name the version they change ({@code If-Match})
 * @param events      whether changes are published as events, and their type prefix
 * @param relations   declared to-many relations: the records of another resource that refer to this one
 * @param publicRead  whether anyone, even without authentication, may read its records
 * @param source      where it was declared, for messages
 */
public record ResourceDefinition(
        String name,
        String path,
        String table,
        String description,
        List<FieldDefinition> fields,
        Lifecycle lifecycle,
        List<IndexDefinition> indexes,
        boolean requireIfMatch,
        EventSettings events,
        List<Relation> relations,
        boolean publicRead,
        String source) {

    /**
     * A to-many relation: the records of {@code resource} whose reference field {@code field} points at this record.
     *
     * @param name     the relation's name on this resource, e.g. {@code lines}
     * @param resource the referring resource's name
     * @param field    its reference field
     */
    public record Relation(String name, String resource, String field) {
    }

    /**
     * How a resource's changes are published.
     *
     * @param enabled whether changes become events
     * @param prefix  the event type prefix, e.g. {@code ENTITY} for {@code ENTITY_CREATED}
     */
    public record EventSettings(boolean enabled, String prefix) {
    }

    /** Names that every resource has and that no declared field may take. */
    public static final List<String> SYSTEM_FIELDS =
            List.of("id", "createdAt", "updatedAt", "status", "version", "createdBy", "updatedBy");

    public ResourceDefinition {
        fields = List.copyOf(fields);
        indexes = List.copyOf(indexes);
        relations = relations == null ? List.of() : List.copyOf(relations);
    }

    /** The to-many relation with this name, if any. */
    public Optional<Relation> relation(String relationName) {
        return relations.stream().filter(r -> r.name().equals(relationName)).findFirst();
    }

    /**
     * The link table of a {@code references} field: {@code <table>_<column>}, e.g. {@code product_tags}. It holds one
     * row per (record, referenced record) pair, in the order the client gave them.
     */
    public String linkTable(FieldDefinition field) {
        return table + "_" + field.column();
    }

    /** The singular name with its indefinite article, for messages: "an entity", "a gadget". */
    public String nameWithArticle() {
        return ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
    }

    /** The declared field with this JSON name, if any. */
    public Optional<FieldDefinition> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
