package io.plinth.definition;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** The declarable field types, each with the attributes that make sense for it. */
public enum FieldType {
    STRING("string", Set.of("minLength", "maxLength", "pattern")),
    TEXT("text", Set.of("minLength", "maxLength", "pattern")),
    INTEGER("integer", Set.of("min", "max")),
    LONG("long", Set.of("min", "max")),
    DECIMAL("decimal", Set.of("min", "max", "precision", "scale")),
    BOOLEAN("boolean", Set.of()),
    DATE("date", Set.of()),
    TIMESTAMP("timestamp", Set.of()),
    UUID("uuid", Set.of()),
    ENUM("enum", Set.of("values")),
    JSON("json", Set.of()),
    /** The id of a record of another (or the same) resource, kept by a foreign key. */
    REFERENCE("reference", Set.of("to", "onDelete")),
    /**
     * The ids of any number of records of another (or the same) resource: a many-to-many relation kept in an implicit
     * link table, {@code <table>_<column>}, with a foreign key on each side.
     */
    REFERENCES("references", Set.of("to", "onDelete", "maxItems"));

    /** Attributes every field type accepts. */
    static final Set<String> COMMON_ATTRIBUTES =
            Set.of("type", "required", "unique", "readOnly", "indexed", "default", "description", "pii",
                    "renamedFrom", "backfill");

    private final String yamlName;
    private final Set<String> specificAttributes;

    FieldType(String yamlName, Set<String> specificAttributes) {
        this.yamlName = yamlName;
        this.specificAttributes = specificAttributes;
    }

    /** The name used in definition files, e.g. {@code string}. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether this type is a number whose bounds are given by min/max. */
    public boolean isNumeric() {
        return this == INTEGER || this == LONG || this == DECIMAL;
    }

    /** Whether a field of this type holds the id(s) of other records. */
    public boolean isReference() {
        return this == REFERENCE || this == REFERENCES;
    }

    /** Whether values of this type live in a table of their own rather than in a column of the record's row. */
    public boolean isLinks() {
        return this == REFERENCES;
    }

    /** Whether values of this type are character strings with a length. */
    public boolean isCharacter() {
        return this == STRING || this == TEXT;
    }

    boolean accepts(String attribute) {
        return COMMON_ATTRIBUTES.contains(attribute) || specificAttributes.contains(attribute);
    }

    static Optional<FieldType> fromYamlName(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }

    static String yamlNames() {
        return String.join(", ", Arrays.stream(values()).map(FieldType::yamlName).toList());
    }
}
