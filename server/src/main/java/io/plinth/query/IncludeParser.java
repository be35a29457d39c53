package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code include=a,a.b} and {@code fields[a.b]=x,y} into {@link Include} trees, following reference fields, to
 * a maximum depth. An unknown relation, a path deeper than the limit or a sparse fieldset for something not included
 * is a VALIDATION_ERROR naming the parameter.
 */
public final class IncludeParser {

    private final ResourceCatalog catalog;
    private final int maxDepth;

    public IncludeParser(ResourceCatalog catalog, int maxDepth) {
        this.catalog = catalog;
        this.maxDepth = maxDepth;
    }

    /** The resources includes may lead to. */
    ResourceCatalog catalog() {
        return catalog;
    }

    /**
     * @param include    the include parameter, or null
     * @param parameters all query parameters (for {@code fields[path]})
     */
    public List<Include> parse(ResourceDefinition resource, String include, Map<String, String[]> parameters) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Set<String>> sparse = new LinkedHashMap<>();
        parameters.forEach((key, values) -> {
            if (key.startsWith("fields[") && key.endsWith("]") && values.length > 0) {
                sparse.put(key.substring(7, key.length() - 1), new LinkedHashSet<>(List.of(values[0].split(",", -1))));
            }
        });
        Node root = new Node(resource);
        if (include != null && !include.isBlank()) {
            for (String path : include.split(",", -1)) {
                add(root, path, problems);
            }
        }
        sparse.forEach((path, fields) -> {
            Node node = root.find(path);
            if (node == null) {
                problems.add(new FieldProblem("fields[" + shorten(path) + "]", "names no included relation"));
            } else {
                fields.stream().filter(f -> !isField(node.resource, f)).findFirst().ifPresent(f -> problems.add(
                        new FieldProblem("fields[" + path + "]", "'" + shorten(f) + "' is not a field of " + node.resource.name())));
                node.fields = fields;
            }
        });
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The include is not valid: " + problems.getFirst().field()
                    + " " + problems.getFirst().message() + ".", problems);
        }
        return root.toIncludes();
    }

    private void add(Node root, String path, List<FieldProblem> problems) {
        String[] steps = path.split("\\.", -1);
        if (steps.length > maxDepth) {
            problems.add(new FieldProblem("include", "'" + shorten(path) + "' is deeper than the limit of " + maxDepth));
            return;
        }
        Node node = root;
        for (String step : steps) {
            FieldDefinition field = node.resource.field(step).filter(f -> f.type().isReference()).orElse(null);
            ResourceDefinition.Relation relation = field == null ? node.resource.relation(step).orElse(null) : null;
            if (field == null && relation == null) {
                problems.add(new FieldProblem("include", "'" + shorten(step) + "' is not a reference or relation of "
                        + node.resource.name()));
                return;
            }
            String targetName = field != null ? field.reference().to() : relation.resource();
            Node parent = node;
            node = parent.children.computeIfAbsent(step, s -> new Node(catalog.byName(targetName).orElseThrow()));
            node.name = step;
            node.field = field;
            node.relation = relation;
        }
    }

    private static boolean isField(ResourceDefinition resource, String name) {
        return ResourceDefinition.SYSTEM_FIELDS.contains(name) || resource.field(name).isPresent();
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    /** A mutable tree while parsing. */
    private static final class Node {
        final ResourceDefinition resource;
        final Map<String, Node> children = new LinkedHashMap<>();
        String name;
        FieldDefinition field;
        ResourceDefinition.Relation relation;
        Set<String> fields;

        Node(ResourceDefinition resource) {
            this.resource = resource;
        }

        Node find(String path) {
            Node node = this;
            for (String step : path.split("\\.", -1)) {
                node = node.children.get(step);
                if (node == null) {
                    return null;
                }
            }
            return node == this ? null : node;
        }

        List<Include> toIncludes() {
            return children.values().stream()
                    .map(child -> new Include(child.name, child.field, child.relation, child.resource, child.toIncludes(),
                            child.fields))
                    .toList();
        }
    }
}
