package io.plinth.query;

import java.util.Map;

/**
 * Which rows a request may see, per resource: for a resource named here only the records whose {@code created_by} is
 * the given principal (a role's {@code rows: own}); every row of any other resource. Applied wherever a statement reads
 * a resource's table: the list itself, its count, filters and sorts across references, and embedded records.
 *
 * @param owners resource name -> the principal name its rows are limited to
 */
public record RowScope(Map<String, String> owners) {

    /** No row limits. */
    public static final RowScope ALL = new RowScope(Map.of());

    public RowScope {
        owners = Map.copyOf(owners);
    }

    /** The principal the resource's rows are limited to, or null for every row. */
    public String ownerOf(String resource) {
        return owners.get(resource);
    }
}
