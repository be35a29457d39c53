package io.plinth.schema;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.IndexDefinition;
import io.plinth.definition.ResourceDefinition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Plinth's canonical, version-independent description of what a declaration asks of its table: one line per column,
 * constraint set and index. It does not depend on how jOOQ renders SQL, so upgrading a library never looks like a
 * changed declaration. Rules checked only in the application (pattern, readOnly) are not part of it.
 *
 * @param lines the description, one element per line
 */
record TableShape(List<String> lines) {

    private static final List<String> AUDIT_COLUMN_LINES = List.of("column created_by varchar(200) null",
            "column updated_by varchar(200) null");
    private static final List<String> ADDED_INDEX_LINES = List.of("index status, created_at, id");

    /** The shape recorded for a resource that a schema version removed. */
    static TableShape removed() {
        return new TableShape(List.of("removed"));
    }

    static TableShape of(ResourceDefinition resource) {
        List<String> lines = new ArrayList<>();
        lines.add("table " + resource.table());
        for (FieldDefinition field : resource.fields()) {
            if (field.type().isLinks()) {
                lines.add("links " + resource.linkTable(field) + " to " + field.reference().to() + " on delete "
                        + field.reference().onDelete().yamlName() + (field.required() ? " at least one" : ""));
                continue;
            }
            StringBuilder line = new StringBuilder("column ").append(field.column()).append(' ')
                    .append(ResourceTable.catalogType(field));
            line.append(field.required() ? " not null" : " null");
            if (field.defaultValue() != null) {
                line.append(" default ").append(field.defaultValue());
            }
            if (field.unique()) {
                line.append(" unique");
            }
            appendBound(line, " min ", field.min());
            appendBound(line, " max ", field.max());
            if (field.minLength() != null && field.minLength() > 0) {
                line.append(" minLength ").append(field.minLength());
            }
            if (field.type() == io.plinth.definition.FieldType.TEXT && field.maxLength() != null) {
                line.append(" maxLength ").append(field.maxLength());
            }
            if (!field.values().isEmpty()) {
                line.append(" values ").append(field.values());
            }
            if (field.indexed()) {
                line.append(" indexed");
            }
            if (field.reference() != null) {
                line.append(" references ").append(field.reference().to()).append(" on delete ")
                        .append(field.reference().onDelete().yamlName());
            }
            lines.add(line.toString());
        }
        lines.add("status states " + resource.lifecycle().states() + " initial " + resource.lifecycle().initial());
        lines.add("column version bigint not null default 1");
        lines.addAll(AUDIT_COLUMN_LINES);
        lines.add("index created_at, id");
        lines.addAll(ADDED_INDEX_LINES);
        for (IndexDefinition index : resource.indexes()) {
            lines.add((index.unique() ? "unique index " : "index ") + index.name() + " "
                    + index.fields().stream().map(FieldDefinition::column).toList());
        }
        return new TableShape(List.copyOf(lines));
    }

    String text() {
        return String.join("\n", lines);
    }

    String checksum() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void appendBound(StringBuilder line, String label, BigDecimal bound) {
        if (bound != null) {
            line.append(label).append(bound.toPlainString());
        }
    }
}
