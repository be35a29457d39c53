package io.plinth.definition;

import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads resource definitions from YAML and checks them completely before anything uses them.
 *
 * <p>The YAML is walked as a node tree (not bound to objects) so that every problem can name its line, and so that
 * duplicate keys are caught instead of silently overwritten. All problems are collected and reported together.
 */
public final class DefinitionLoader {

    static final Pattern RESOURCE_NAME = Pattern.compile("[a-z][a-zA-Z0-9]{0,62}");
    static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-zA-Z0-9]{0,62}");
    static final Pattern PATH_SEGMENT = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern STATE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0," + (Lifecycle.MAX_STATE_LENGTH - 1) + "}");
    static final int DEFAULT_STRING_MAX_LENGTH = 255;
    /** Most ids a references field may be declared to hold, and how many it holds when maxItems is not given. */
    static final int MAX_LINKS = 10_000;
    static final int DEFAULT_MAX_LINKS = 1_000;
    static final int LONGEST_VARCHAR = 10_485_760;
    static final int DEFAULT_PRECISION = 19;
    static final int DEFAULT_SCALE = 2;
    static final int MAX_PRECISION = 1000;
    static final int MAX_IDENTIFIER_LENGTH = 63;

    private static final Set<String> RESOURCE_KEYS =
            Set.of("path", "table", "description", "fields", "lifecycle", "indexes", "requireIfMatch", "events", "has",
                    "publicRead");
    private static final Set<String> ROLE_KEYS = Set.of("description", "grants");
    private static final Set<String> GRANT_KEYS =
            Set.of("actions", "transitions", "hiddenFields", "readOnlyFields", "rows");
    static final Pattern ROLE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Set<String> EVENT_KEYS = Set.of("enabled", "prefix");
    static final Pattern EVENT_PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,60}");
    private static final Set<String> LIFECYCLE_KEYS = Set.of("states", "initial", "transitions", "readOnly");
    private static final Set<String> INDEX_KEYS = Set.of("fields", "unique");

    private final String source;
    private final List<String> problems;
    private final List<RoleDefinition> roles = new ArrayList<>();

    private DefinitionLoader(String source, List<String> problems) {
        this.source = source;
        this.problems = problems;
    }

    /**
     * One definitions file to read.
     *
     * @param name   a name for the file used in every message, usually its path
     * @param reader the YAML text
     */
    public record Source(String name, Reader reader) {
    }

    /**
     * Reads and checks one definitions file.
     *
     * @throws DefinitionException listing every problem when anything is wrong
     */
    public static ResourceCatalog load(String source, Reader reader) {
        return load(List.of(new Source(source, reader)));
    }

    /**
     * Reads and checks several definitions files as one catalog: resource names, paths and tables must be unique
     * across all of them.
     *
     * @return the catalog of valid resources, in file and declaration order
     * @throws DefinitionException listing every problem in every file when anything is wrong
     */
    public static ResourceCatalog load(List<Source> sources) {
        List<String> problems = new ArrayList<>();
        List<ResourceDefinition> resources = new ArrayList<>();
        Map<String, RoleDefinition> roles = new LinkedHashMap<>();
        for (Source source : sources) {
            DefinitionLoader loader = new DefinitionLoader(source.name(), problems);
            resources.addAll(loader.read(source.reader()));
            for (RoleDefinition role : loader.roles) {
                if (roles.putIfAbsent(role.name(), role) != null) {
                    problems.add(source.name() + ": role '" + role.name() + "' is declared twice");
                }
            }
        }
        checkUniqueAcrossResources(resources, problems);
        checkReferences(resources, problems);
        RoleChecks.check(resources, roles.values(), problems);
        if (!problems.isEmpty()) {
            throw new DefinitionException(String.join(", ", sources.stream().map(Source::name).toList()), problems);
        }
        return new ResourceCatalog(resources, List.copyOf(roles.values()));
    }

    private List<ResourceDefinition> read(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setAllowRecursiveKeys(false);
            options.setNestingDepthLimit(20);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            problems.add(source + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
            return List.of();
        } catch (YAMLException e) {
            problems.add(source + ": not valid YAML: " + e.getMessage());
            return List.of();
        }
        if (root == null) {
            problems.add(source + ": the file is empty; it must declare 'resources'");
            return List.of();
        }
        List<ResourceDefinition> resources = new ArrayList<>();
        Map<String, Node> top = mapping(root, Context.file());
        if (top != null) {
            checkKeys(top, Set.of("resources", "roles"), Context.file());
            Node resourcesNode = top.get("resources");
            if (top.containsKey("roles")) {
                roles(top.get("roles"));
            }
            if (resourcesNode == null) {
                if (!top.containsKey("roles")) {
                    problem(root, Context.file(), "'resources' is missing");
                }
            } else {
                Map<String, Node> declared = mapping(resourcesNode, Context.file().key("resources"));
                if (declared != null && declared.isEmpty()) {
                    problem(resourcesNode, Context.file(), "'resources' declares no resource");
                }
                if (declared != null) {
                    declared.forEach((name, node) -> {
                        ResourceDefinition resource = resource(name, node);
                        if (resource != null) {
                            resources.add(resource);
                        }
                    });
                }
            }
        }
        return resources;
    }

    private ResourceDefinition resource(String name, Node node) {
        Context where = Context.resource(name);
        int before = problems.size();
        if (!RESOURCE_NAME.matcher(name).matches()) {
            problem(node, where, "the resource name must start with a lower-case letter and contain only letters and digits (at most 63)");
        }
        Map<String, Node> attributes = mapping(node, where);
        if (attributes == null) {
            return null;
        }
        checkKeys(attributes, RESOURCE_KEYS, where);
        String path = optionalString(attributes, "path", where, toKebabCase(name));
        if (path != null && !PATH_SEGMENT.matcher(path).matches()) {
            problem(attributes.get("path"), where, "path '" + path
                    + "' must be one URL segment of lower-case letters, digits and '-', starting with a letter");
        }
        String table = optionalString(attributes, "table", where, toSnakeCase(name));
        if (table != null && !TABLE_NAME.matcher(table).matches()) {
            problem(attributes.get("table"), where, "table '" + table
                    + "' must be lower-case letters, digits and '_', starting with a letter, at most 63 characters");
        } else if (table != null && (table.startsWith("plinth_") || table.startsWith("flyway_"))) {
            problem(attributes.get("table"), where, "table '" + table + "' uses a prefix reserved for Plinth's own tables");
        }
        String description = optionalString(attributes, "description", where, null);
        boolean requireIfMatch = flag(attributes, "requireIfMatch", where);
        boolean publicRead = flag(attributes, "publicRead", where);
        ResourceDefinition.EventSettings events = events(name, attributes.get("events"), where.key("events"));

        List<FieldDefinition> fields = new ArrayList<>();
        Node fieldsNode = attributes.get("fields");
        if (fieldsNode == null) {
            problem(node, where, "'fields' is missing");
        } else {
            Map<String, Node> declaredFields = mapping(fieldsNode, where.key("fields"));
            if (declaredFields != null) {
                declaredFields.forEach((fieldName, fieldNode) -> {
                    FieldDefinition field = field(where.field(fieldName), fieldName, fieldNode);
                    if (field != null) {
                        fields.add(field);
                    }
                });
                Set<String> renamedFrom = new java.util.HashSet<>();
                for (FieldDefinition field : fields) {
                    if (field.renamedFrom() == null) {
                        continue;
                    }
                    Node at = declaredFields.get(field.name());
                    if (declaredFields.containsKey(field.renamedFrom())) {
                        problem(at, where.field(field.name()), "renamedFrom names '" + field.renamedFrom()
                                + "', which is still declared; a field can only be renamed from a name no longer in use");
                    } else if (!renamedFrom.add(field.renamedFrom())) {
                        problem(at, where.field(field.name()), "another field is already renamed from '"
                                + field.renamedFrom() + "'");
                    }
                }
            }
        }
        Lifecycle lifecycle = attributes.containsKey("lifecycle")
                ? lifecycle(attributes.get("lifecycle"), where.key("lifecycle"))
                : Lifecycle.standard();
        List<IndexDefinition> indexes = attributes.containsKey("indexes")
                ? indexes(name, table, attributes.get("indexes"), fields, where.key("indexes"))
                : List.of();
        List<ResourceDefinition.Relation> relations = attributes.containsKey("has")
                ? relations(attributes.get("has"), fields, where.key("has")) : List.of();
        if (problems.size() > before) {
            return null;
        }
        return new ResourceDefinition(name, path, table, description, fields, lifecycle, indexes, requireIfMatch,
                events, relations, publicRead, source);
    }

    private void roles(Node node) {
        Map<String, Node> declared = mapping(node, Context.file().key("roles"));
        if (declared == null) {
            return;
        }
        declared.forEach((name, roleNode) -> {
            Context where = Context.role(name);
            if (!ROLE_NAME.matcher(name).matches()) {
                problem(roleNode, where, "the role name must start with a lower-case letter and contain only lower-case "
                        + "letters, digits, '_' and '-' (at most 63)");
                return;
            }
            if (name.equals(RoleDefinition.ADMIN)) {
                problem(roleNode, where, "'admin' is built in (it may do everything) and cannot be declared");
                return;
            }
            Map<String, Node> attributes = mapping(roleNode, where);
            if (attributes == null) {
                return;
            }
            checkKeys(attributes, ROLE_KEYS, where);
            String description = optionalString(attributes, "description", where, null);
            List<RoleDefinition.Grant> grants = new ArrayList<>();
            Node grantsNode = attributes.get("grants");
            Map<String, Node> byResource = grantsNode == null ? Map.of() : mapping(grantsNode, where.key("grants"));
            if (grantsNode == null) {
                problem(roleNode, where, "'grants' is missing: a role without grants may do nothing");
            }
            if (byResource != null) {
                byResource.forEach((resource, grantNode) -> {
                    RoleDefinition.Grant grant = grant(resource, grantNode, where.key(resource));
                    if (grant != null) {
                        grants.add(grant);
                    }
                });
            }
            roles.add(new RoleDefinition(name, description, grants));
        });
    }

    /** A grant is either a list of actions or a mapping with actions and field, transition and row rules. */
    private RoleDefinition.Grant grant(String resource, Node node, Context where) {
        Map<String, Node> attributes;
        if (node instanceof SequenceNode) {
            attributes = Map.of("actions", node);
        } else {
            attributes = mapping(node, where);
            if (attributes == null) {
                return null;
            }
            checkKeys(attributes, GRANT_KEYS, where);
        }
        Set<Action> actions = new LinkedHashSet<>();
        Node actionsNode = attributes.get("actions");
        if (actionsNode == null) {
            problem(node, where, "'actions' is missing; any of: " + Action.yamlNames());
        } else {
            for (String name : names(actionsNode, where.key("actions"))) {
                Action.fromYamlName(name).ifPresentOrElse(actions::add, () -> problem(actionsNode, where,
                        "unknown action '" + name + "'; one of: " + Action.yamlNames()));
            }
        }
        Set<String> transitions = attributes.containsKey("transitions")
                ? names(attributes.get("transitions"), where.key("transitions")) : Set.of();
        Set<String> hidden = attributes.containsKey("hiddenFields")
                ? names(attributes.get("hiddenFields"), where.key("hiddenFields")) : Set.of();
        Set<String> readOnly = attributes.containsKey("readOnlyFields")
                ? names(attributes.get("readOnlyFields"), where.key("readOnlyFields")) : Set.of();
        boolean own = false;
        if (attributes.containsKey("rows")) {
            String rows = scalar(attributes.get("rows"), where.key("rows"));
            if ("own".equals(rows)) {
                own = true;
            } else if (rows != null && !"all".equals(rows)) {
                problem(attributes.get("rows"), where, "rows must be 'all' or 'own'");
            }
        }
        if (!transitions.isEmpty() && !actions.contains(Action.TRANSITION)) {
            problem(attributes.get("transitions"), where, "'transitions' needs the action 'transition'");
        }
        return new RoleDefinition.Grant(resource, actions, transitions, hidden, readOnly, own);
    }

    private Set<String> names(Node node, Context where) {
        Set<String> names = new LinkedHashSet<>();
        List<Node> items = sequence(node, where);
        if (items != null) {
            for (Node item : items) {
                String name = scalar(item, where);
                if (name != null && !names.add(name)) {
                    problem(item, where, "'" + name + "' is listed twice");
                }
            }
        }
        return names;
    }

    private List<ResourceDefinition.Relation> relations(Node node, List<FieldDefinition> fields, Context where) {
        List<ResourceDefinition.Relation> relations = new ArrayList<>();
        Map<String, Node> declared = mapping(node, where);
        if (declared == null) {
            return relations;
        }
        declared.forEach((relationName, relationNode) -> {
            if (!FIELD_NAME.matcher(relationName).matches() || ResourceDefinition.SYSTEM_FIELDS.contains(relationName)
                    || fields.stream().anyMatch(f -> f.name().equals(relationName))) {
                problem(relationNode, where, "relation name '" + relationName
                        + "' must be camelCase and differ from the resource's fields");
                return;
            }
            Map<String, Node> attributes = mapping(relationNode, where);
            if (attributes == null) {
                return;
            }
            checkKeys(attributes, Set.of("resource", "field"), where);
            String resource = optionalString(attributes, "resource", where, null);
            String field = optionalString(attributes, "field", where, null);
            if (resource == null || field == null) {
                problem(relationNode, where, "relation '" + relationName + "' needs 'resource' and 'field'");
                return;
            }
            relations.add(new ResourceDefinition.Relation(relationName, resource, field));
        });
        return relations;
    }

    private ResourceDefinition.EventSettings events(String resource, Node node, Context where) {
        String defaultPrefix = toSnakeCase(resource).toUpperCase(Locale.ROOT);
        if (node == null) {
            return new ResourceDefinition.EventSettings(true, defaultPrefix);
        }
        Map<String, Node> attributes = mapping(node, where);
        if (attributes == null) {
            return null;
        }
        checkKeys(attributes, EVENT_KEYS, where);
        boolean enabled = !attributes.containsKey("enabled") || flag(attributes, "enabled", where);
        String prefix = optionalString(attributes, "prefix", where, defaultPrefix);
        if (prefix != null && !EVENT_PREFIX.matcher(prefix).matches()) {
            problem(attributes.get("prefix"), where, "event prefix '" + prefix + "' must be UPPER_SNAKE_CASE");
        }
        return new ResourceDefinition.EventSettings(enabled, prefix);
    }

    private FieldDefinition field(Context where, String name, Node node) {
        int before = problems.size();
        if (!FIELD_NAME.matcher(name).matches()) {
            problem(node, where, "the field name must start with a lower-case letter and contain only letters and digits (camelCase, at most 63)");
        } else if (ResourceDefinition.SYSTEM_FIELDS.contains(name)) {
            problem(node, where, "'" + name + "' is reserved: every resource already has id, createdAt, updatedAt, status, version, createdBy and updatedBy");
        }
        String column = toSnakeCase(name);
        if (column.length() > MAX_IDENTIFIER_LENGTH) {
            problem(node, where, "its column name '" + column + "' is longer than PostgreSQL's 63 characters");
        }
        Map<String, Node> attributes = mapping(node, where);
        if (attributes == null) {
            return null;
        }
        Node typeNode = attributes.get("type");
        if (typeNode == null) {
            problem(node, where, "'type' is missing; one of: " + FieldType.yamlNames());
            return null;
        }
        String typeName = scalar(typeNode, where.key("type"));
        if (typeName == null) {
            return null;
        }
        FieldType type = FieldType.fromYamlName(typeName).orElse(null);
        if (type == null) {
            problem(typeNode, where, "unknown type '" + typeName + "'; one of: " + FieldType.yamlNames());
            return null;
        }
        attributes.forEach((attribute, valueNode) -> {
            if (!type.accepts(attribute)) {
                boolean known = java.util.Arrays.stream(FieldType.values()).anyMatch(t -> t.accepts(attribute));
                problem(valueNode, where, known
                        ? "'" + attribute + "' does not apply to type " + type.yamlName()
                        : "unknown attribute '" + attribute + "'");
            }
        });
        boolean required = flag(attributes, "required", where);
        boolean unique = flag(attributes, "unique", where);
        boolean readOnly = flag(attributes, "readOnly", where);
        boolean pii = flag(attributes, "pii", where);
        boolean indexed = flag(attributes, "indexed", where);
        String description = optionalString(attributes, "description", where, null);

        Integer minLength = wholeNumber(attributes, "minLength", where, 0, LONGEST_VARCHAR);
        Integer maxLength = wholeNumber(attributes, "maxLength", where, 1, LONGEST_VARCHAR);
        if (type == FieldType.STRING && maxLength == null && !attributes.containsKey("maxLength")) {
            maxLength = DEFAULT_STRING_MAX_LENGTH;
        }
        if (minLength != null && maxLength != null && minLength > maxLength) {
            problem(node, where, "minLength (" + minLength + ") is greater than maxLength (" + maxLength + ")");
        }
        Pattern pattern = null;
        if (attributes.containsKey("pattern")) {
            String regex = scalar(attributes.get("pattern"), where.key("pattern"));
            if (regex != null) {
                try {
                    pattern = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    problem(attributes.get("pattern"), where, "pattern is not a valid regular expression: "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
        }
        Integer precision = null;
        Integer scale = null;
        if (type == FieldType.DECIMAL) {
            precision = wholeNumber(attributes, "precision", where, 1, MAX_PRECISION);
            scale = wholeNumber(attributes, "scale", where, 0, MAX_PRECISION);
            precision = precision == null ? DEFAULT_PRECISION : precision;
            scale = scale == null ? Math.min(DEFAULT_SCALE, precision) : scale;
            if (scale > precision) {
                problem(node, where, "scale (" + scale + ") is greater than precision (" + precision + ")");
            }
        }
        BigDecimal min = bound(attributes, "min", type, where);
        BigDecimal max = bound(attributes, "max", type, where);
        if (min != null && max != null && min.compareTo(max) > 0) {
            problem(node, where, "min (" + min.toPlainString() + ") is greater than max (" + max.toPlainString() + ")");
        }
        List<String> values = type == FieldType.ENUM ? enumValues(attributes.get("values"), node, where) : List.of();
        if (unique && type == FieldType.JSON) {
            problem(attributes.get("unique"), where, "json fields cannot be unique");
        }
        if (indexed && type == FieldType.JSON) {
            problem(attributes.get("indexed"), where, "json fields cannot have a plain index");
        }
        if (type == FieldType.REFERENCES) {
            if (unique) {
                problem(attributes.get("unique"), where, "references fields cannot be unique");
            }
            if (indexed) {
                problem(attributes.get("indexed"), where, "references fields are always indexed (in their link table); remove 'indexed'");
            }
        }
        if (problems.size() > before) {
            return null;
        }
        FieldDefinition.Reference reference = type.isReference() ? reference(type, attributes, node, where, required) : null;
        if (problems.size() > before) {
            return null;
        }
        FieldDefinition withoutDefault = new FieldDefinition(name, column, type, required, unique, readOnly, indexed,
                minLength, maxLength, pattern, min, max, precision, scale, values, null, description, reference, pii);
        Object defaultValue = null;
        if (attributes.containsKey("default")) {
            defaultValue = defaultValue(withoutDefault, attributes.get("default"), where);
            if (defaultValue == null) {
                return null;
            }
        }
        if (readOnly && required && defaultValue == null) {
            problem(node, where, "is read-only and required but has no default, so no value could ever be stored");
            return null;
        }
        String renamedFrom = optionalString(attributes, "renamedFrom", where, null);
        if (renamedFrom != null && (!FIELD_NAME.matcher(renamedFrom).matches() || renamedFrom.equals(name))) {
            problem(attributes.get("renamedFrom"), where, "renamedFrom must name the field's previous name (camelCase), not its current one");
        }
        String backfill = optionalString(attributes, "backfill", where, null);
        if (backfill != null && (backfill.isBlank() || backfill.contains(";"))) {
            problem(attributes.get("backfill"), where, "backfill must be one SQL expression (no ';'), e.g. 'unknown' quoted as SQL: \"'unknown'\"");
        }
        if (backfill != null && type.isLinks()) {
            problem(attributes.get("backfill"), where, "references fields have no column to backfill");
        }
        if (problems.size() > before) {
            return null;
        }
        return new FieldDefinition(name, column, type, required, unique, readOnly, indexed,
                minLength, maxLength, pattern, min, max, precision, scale, values, defaultValue, description, reference, pii,
                renamedFrom, backfill);
    }

    private FieldDefinition.Reference reference(FieldType type, Map<String, Node> attributes, Node node, Context where,
                                                boolean required) {
        String to = optionalString(attributes, "to", where, null);
        if (to == null) {
            problem(node, where, "a reference needs 'to', the name of the resource it refers to");
            return null;
        }
        String rule = optionalString(attributes, "onDelete", where, FieldDefinition.OnDelete.RESTRICT.yamlName());
        List<FieldDefinition.OnDelete> allowed = type == FieldType.REFERENCES
                ? List.of(FieldDefinition.OnDelete.RESTRICT, FieldDefinition.OnDelete.UNLINK)
                : List.of(FieldDefinition.OnDelete.RESTRICT, FieldDefinition.OnDelete.CASCADE, FieldDefinition.OnDelete.SET_NULL);
        FieldDefinition.OnDelete onDelete = allowed.stream()
                .filter(o -> o.yamlName().equals(rule)).findFirst().orElse(null);
        if (onDelete == null) {
            List<String> names = allowed.stream().map(FieldDefinition.OnDelete::yamlName).toList();
            problem(attributes.get("onDelete"), where, "onDelete must be "
                    + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast()
                    + " for a " + type.yamlName() + " field, not '" + rule + "'");
            return null;
        }
        if (type == FieldType.REFERENCES) {
            Integer maxItems = wholeNumber(attributes, "maxItems", where, 1, MAX_LINKS);
            return new FieldDefinition.Reference(to, onDelete, maxItems == null ? DEFAULT_MAX_LINKS : maxItems);
        }
        if (onDelete == FieldDefinition.OnDelete.SET_NULL && required) {
            problem(attributes.get("onDelete"), where, "onDelete setNull needs an optional field, but this one is required");
            return null;
        }
        return new FieldDefinition.Reference(to, onDelete);
    }

    private Object defaultValue(FieldDefinition field, Node node, Context where) {
        if (field.type() == FieldType.JSON || field.type().isReference()) {
            problem(node, where, field.type().yamlName() + " fields cannot declare a default");
            return null;
        }
        String text = scalar(node, where.key("default"));
        if (text == null) {
            return null;
        }
        Object value;
        try {
            value = switch (field.type()) {
                case INTEGER, LONG -> ValueText.parse(field.type(), integerText(node, text));
                case DECIMAL -> new BigDecimal(numberText(node, text));
                case BOOLEAN -> booleanValue(node, text);
                default -> ValueText.parse(field.type(), text);
            };
        } catch (IllegalArgumentException e) {
            problem(node, where, "default '" + text + "' is not a valid " + field.type().yamlName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return null;
        }
        List<String> violations = field.violationsOf(value);
        if (!violations.isEmpty()) {
            problem(node, where, "default '" + text + "' " + String.join(" and ", violations));
            return null;
        }
        return value;
    }

    private Lifecycle lifecycle(Node node, Context where) {
        Map<String, Node> attributes = mapping(node, where);
        if (attributes == null) {
            return null;
        }
        checkKeys(attributes, LIFECYCLE_KEYS, where);
        Node statesNode = attributes.get("states");
        if (statesNode == null) {
            problem(node, where, "'states' is missing");
            return null;
        }
        List<String> states = new ArrayList<>();
        for (Node stateNode : sequence(statesNode, where.key("states"))) {
            String state = scalar(stateNode, where.key("states"));
            if (state == null) {
                continue;
            }
            if (!STATE_NAME.matcher(state).matches()) {
                problem(stateNode, where, "state '" + state + "' must be UPPER_SNAKE_CASE, starting with a letter, at most "
                        + Lifecycle.MAX_STATE_LENGTH + " characters");
            } else if (states.contains(state)) {
                problem(stateNode, where, "state '" + state + "' is listed twice");
            } else {
                states.add(state);
            }
        }
        if (states.isEmpty()) {
            problem(statesNode, where, "'states' must list at least one state");
            return null;
        }
        String initial = optionalString(attributes, "initial", where, states.getFirst());
        if (initial != null && !states.contains(initial)) {
            problem(attributes.get("initial"), where, "initial state '" + initial + "' is not one of the states");
        }
        Map<String, Set<String>> transitions = new LinkedHashMap<>();
        states.forEach(s -> transitions.put(s, new LinkedHashSet<>()));
        Node transitionsNode = attributes.get("transitions");
        if (transitionsNode != null) {
            Map<String, Node> declared = mapping(transitionsNode, where.key("transitions"));
            if (declared != null) {
                declared.forEach((from, targets) -> {
                    if (!states.contains(from)) {
                        problem(targets, where, "transition from unknown state '" + from + "'");
                        return;
                    }
                    for (Node targetNode : sequence(targets, where.key("transitions"))) {
                        String to = scalar(targetNode, where.key("transitions"));
                        if (to == null) {
                            continue;
                        }
                        if (!states.contains(to)) {
                            problem(targetNode, where, "transition " + from + " -> " + to + " leads to an unknown state");
                        } else if (to.equals(from)) {
                            problem(targetNode, where, "transition " + from + " -> " + to + " does not change the state");
                        } else if (!transitions.get(from).add(to)) {
                            problem(targetNode, where, "transition " + from + " -> " + to + " is listed twice");
                        }
                    }
                });
            }
        }
        Map<String, Set<String>> frozen = new LinkedHashMap<>();
        transitions.forEach((from, to) -> frozen.put(from, Set.copyOf(to)));
        Set<String> readOnly = new LinkedHashSet<>();
        if (attributes.containsKey("readOnly")) {
            for (Node stateNode : sequence(attributes.get("readOnly"), where.key("readOnly"))) {
                String state = scalar(stateNode, where.key("readOnly"));
                if (state != null && !states.contains(state)) {
                    problem(stateNode, where, "read-only state '" + state + "' is not one of the states");
                } else if (state != null) {
                    readOnly.add(state);
                }
            }
        }
        return new Lifecycle(states, initial, frozen, readOnly);
    }

    private List<IndexDefinition> indexes(String resource, String table, Node node, List<FieldDefinition> fields, Context where) {
        List<IndexDefinition> indexes = new ArrayList<>();
        for (Node indexNode : sequence(node, where)) {
            Node fieldsNode = indexNode;
            boolean unique = false;
            if (indexNode instanceof MappingNode) {
                Map<String, Node> attributes = mapping(indexNode, where);
                checkKeys(attributes, INDEX_KEYS, where);
                unique = flag(attributes, "unique", where);
                fieldsNode = attributes.get("fields");
                if (fieldsNode == null) {
                    problem(indexNode, where, "an index needs 'fields'");
                    continue;
                }
            }
            List<FieldDefinition> indexed = new ArrayList<>();
            for (Node fieldNode : sequence(fieldsNode, where)) {
                String fieldName = scalar(fieldNode, where);
                if (fieldName == null) {
                    continue;
                }
                FieldDefinition field = fields.stream().filter(f -> f.name().equals(fieldName)).findFirst().orElse(null);
                if (field == null && !ResourceDefinition.SYSTEM_FIELDS.contains(fieldName)) {
                    problem(fieldNode, where, "index on unknown field '" + fieldName + "'");
                } else if (field == null) {
                    indexed.add(systemField(fieldName));
                } else if (field.type() == FieldType.JSON) {
                    problem(fieldNode, where, "json field '" + fieldName + "' cannot be in a plain index");
                } else {
                    indexed.add(field);
                }
            }
            if (indexed.isEmpty()) {
                problem(fieldsNode, where, "an index needs at least one field");
                continue;
            }
            String name = (unique ? "uq_" : "idx_") + resource + "_"
                    + String.join("_", indexed.stream().map(FieldDefinition::column).toList());
            if (name.length() > MAX_IDENTIFIER_LENGTH) {
                problem(indexNode, where, "the index name '" + name + "' is longer than 63 characters");
            } else if (indexes.stream().anyMatch(i -> i.name().equals(name))) {
                problem(indexNode, where, "the index on " + indexed.stream().map(FieldDefinition::name).toList() + " is declared twice");
            } else {
                indexes.add(new IndexDefinition(name, indexed, unique));
            }
        }
        return indexes;
    }

    /** A stand-in definition for a system column named in an index. */
    private static FieldDefinition systemField(String name) {
        FieldType type = switch (name) {
            case "status" -> FieldType.STRING;
            case "version" -> FieldType.LONG;
            case "id" -> FieldType.UUID;
            default -> FieldType.TIMESTAMP;
        };
        return new FieldDefinition(name, toSnakeCase(name), type, true, false, true, false,
                null, null, null, null, null, null, null, List.of(), null, null, null, false);
    }

    private static void checkReferences(List<ResourceDefinition> resources, List<String> problems) {
        Set<String> names = new java.util.HashSet<>();
        resources.forEach(r -> names.add(r.name()));
        for (ResourceDefinition resource : resources) {
            for (ResourceDefinition.Relation relation : resource.relations()) {
                ResourceDefinition other = resources.stream().filter(r -> r.name().equals(relation.resource()))
                        .findFirst().orElse(null);
                FieldDefinition back = other == null ? null : other.field(relation.field()).orElse(null);
                if (back == null || back.reference() == null || !back.reference().to().equals(resource.name())) {
                    problems.add(resource.source() + ": resource '" + resource.name() + "', relation '" + relation.name()
                            + "': needs a reference field '" + relation.field() + "' on resource '" + relation.resource()
                            + "' that refers to " + resource.name());
                }
            }
            for (FieldDefinition field : resource.fields()) {
                if (field.reference() != null && !names.contains(field.reference().to())) {
                    problems.add(resource.source() + ": resource '" + resource.name() + "', field '" + field.name()
                            + "': refers to '" + field.reference().to() + "', which is not a declared resource");
                }
            }
        }
        Map<String, String> tables = new HashMap<>();
        resources.forEach(r -> tables.put(r.table(), "the table of resource '" + r.name() + "'"));
        for (ResourceDefinition resource : resources) {
            for (FieldDefinition field : resource.fields()) {
                if (field.type() != FieldType.REFERENCES) {
                    continue;
                }
                String linkTable = resource.linkTable(field);
                String where = resource.source() + ": resource '" + resource.name() + "', field '" + field.name() + "': ";
                if (linkTable.length() > MAX_IDENTIFIER_LENGTH) {
                    problems.add(where + "its link table name '" + linkTable + "' is longer than PostgreSQL's 63 characters");
                }
                String other = tables.putIfAbsent(linkTable, "the link table of " + resource.name() + "." + field.name());
                if (other != null) {
                    problems.add(where + "its link table '" + linkTable + "' is also " + other);
                }
            }
        }
    }

    private static void checkUniqueAcrossResources(List<ResourceDefinition> resources, List<String> problems) {
        Map<String, ResourceDefinition> names = new HashMap<>();
        Map<String, ResourceDefinition> paths = new HashMap<>();
        Map<String, ResourceDefinition> tables = new HashMap<>();
        for (ResourceDefinition resource : resources) {
            String where = resource.source() + ": resource '" + resource.name() + "': ";
            ResourceDefinition other = names.putIfAbsent(resource.name(), resource);
            if (other != null) {
                problems.add(where + "the name is also declared in " + other.source());
            }
            other = paths.putIfAbsent(resource.path(), resource);
            if (other != null && !other.name().equals(resource.name())) {
                problems.add(where + "path '" + resource.path() + "' is also used by resource '" + other.name() + "'");
            }
            other = tables.putIfAbsent(resource.table(), resource);
            if (other != null && !other.name().equals(resource.name())) {
                problems.add(where + "table '" + resource.table() + "' is also used by resource '" + other.name() + "'");
            }
        }
    }

    private BigDecimal bound(Map<String, Node> attributes, String key, FieldType type, Context where) {
        Node node = attributes.get(key);
        if (node == null || !type.isNumeric()) {
            return null;
        }
        String text = scalar(node, where.key(key));
        if (text == null) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(numberText(node, text));
            BigDecimal lowest = type == FieldType.INTEGER ? BigDecimal.valueOf(Integer.MIN_VALUE) : BigDecimal.valueOf(Long.MIN_VALUE);
            BigDecimal highest = type == FieldType.INTEGER ? BigDecimal.valueOf(Integer.MAX_VALUE) : BigDecimal.valueOf(Long.MAX_VALUE);
            if (type != FieldType.DECIMAL) {
                if (value.stripTrailingZeros().scale() > 0) {
                    problem(node, where, key + " must be a whole number for type " + type.yamlName());
                    return null;
                }
                if (value.compareTo(lowest) < 0 || value.compareTo(highest) > 0) {
                    problem(node, where, key + " " + value.toPlainString() + " is outside the range of type " + type.yamlName());
                    return null;
                }
            }
            return value;
        } catch (NumberFormatException e) {
            problem(node, where, key + " must be a number, not '" + text + "'");
            return null;
        }
    }

    private List<String> enumValues(Node node, Node fieldNode, Context where) {
        if (node == null) {
            problem(fieldNode, where, "an enum needs 'values'");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Node valueNode : sequence(node, where.key("values"))) {
            String value = scalar(valueNode, where.key("values"));
            if (value == null) {
                continue;
            }
            if (value.isEmpty() || value.length() > DEFAULT_STRING_MAX_LENGTH) {
                problem(valueNode, where, "enum values must be 1 to 255 characters long");
            } else if (values.contains(value)) {
                problem(valueNode, where, "enum value '" + value + "' is listed twice");
            } else {
                values.add(value);
            }
        }
        if (values.isEmpty()) {
            problem(node, where, "'values' must list at least one value");
        }
        return values;
    }

    private Integer wholeNumber(Map<String, Node> attributes, String key, Context where, int lowest, int highest) {
        Node node = attributes.get(key);
        if (node == null) {
            return null;
        }
        String text = scalar(node, where.key(key));
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(integerText(node, text));
            if (value < lowest || value > highest) {
                problem(node, where, key + " must be between " + lowest + " and " + highest + ", not " + value);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            problem(node, where, key + " must be a whole number, not '" + text + "'");
            return null;
        }
    }

    private boolean flag(Map<String, Node> attributes, String key, Context where) {
        Node node = attributes.get(key);
        if (node == null) {
            return false;
        }
        String text = scalar(node, where.key(key));
        if (text == null) {
            return false;
        }
        try {
            return booleanValue(node, text);
        } catch (IllegalArgumentException e) {
            problem(node, where, key + " must be true or false, not '" + text + "'");
            return false;
        }
    }

    private String optionalString(Map<String, Node> attributes, String key, Context where, String fallback) {
        Node node = attributes.get(key);
        return node == null ? fallback : scalar(node, where.key(key));
    }

    private static boolean booleanValue(Node node, String text) {
        if (!Tag.BOOL.equals(node.getTag())) {
            throw new IllegalArgumentException("not a boolean");
        }
        return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)) || Set.of("yes", "on", "y").contains(text.toLowerCase(Locale.ROOT));
    }

    private static String integerText(Node node, String text) {
        if (!Tag.INT.equals(node.getTag()) && !Tag.STR.equals(node.getTag())) {
            throw new NumberFormatException("not an integer");
        }
        return text.replace("_", "");
    }

    private static String numberText(Node node, String text) {
        if (!Tag.INT.equals(node.getTag()) && !Tag.FLOAT.equals(node.getTag()) && !Tag.STR.equals(node.getTag())) {
            throw new NumberFormatException("not a number");
        }
        return text.replace("_", "");
    }

    private Map<String, Node> mapping(Node node, Context where) {
        if (!(node instanceof MappingNode mappingNode)) {
            problem(node, where, "expected a mapping (key: value lines)" + where.keySuffix());
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mappingNode.getValue()) {
            String key = scalar(tuple.getKeyNode(), where);
            if (key == null) {
                continue;
            }
            if (entries.containsKey(key)) {
                Context duplicate = where.isInFields() ? where.field(key) : where;
                problem(tuple.getKeyNode(), duplicate, "'" + key + "' is declared twice");
                continue;
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    private List<Node> sequence(Node node, Context where) {
        if (!(node instanceof SequenceNode sequenceNode)) {
            problem(node, where, "expected a list" + where.keySuffix());
            return List.of();
        }
        return sequenceNode.getValue();
    }

    private String scalar(Node node, Context where) {
        if (!(node instanceof ScalarNode scalarNode) || Tag.NULL.equals(node.getTag())) {
            problem(node, where, "expected a single value" + where.keySuffix());
            return null;
        }
        return scalarNode.getValue();
    }

    private void checkKeys(Map<String, Node> attributes, Set<String> known, Context where) {
        if (attributes == null) {
            return;
        }
        attributes.forEach((key, node) -> {
            if (!known.contains(key)) {
                problem(node, where, "unknown key '" + key + "'; expected one of " + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    private void problem(Node node, Context where, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        problems.add(source + ":" + line + ": " + where.describe() + message);
    }

    /** camelCase to snake_case: {@code unitPrice} -> {@code unit_price}. */
    /** A field name's column name: camelCase to snake_case, as every declared field's column is named. */
    public static String toSnakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String toKebabCase(String camel) {
        return toSnakeCase(camel).replace('_', '-');
    }

    /** Where in the file a problem is, for the message. */
    private record Context(String kind, String resource, String field, String key) {
        static Context file() {
            return new Context("resource", null, null, null);
        }

        static Context resource(String resource) {
            return new Context("resource", resource, null, null);
        }

        static Context role(String role) {
            return new Context("role", role, null, null);
        }

        Context field(String name) {
            return new Context(kind, resource, name, null);
        }

        Context key(String name) {
            return new Context(kind, resource, field, name);
        }

        boolean isInFields() {
            return field == null && "fields".equals(key);
        }

        String keySuffix() {
            return key == null ? "" : " for '" + key + "'";
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            if (resource != null) {
                text.append(kind).append(" '").append(resource).append("'");
            }
            if (field != null) {
                text.append(", field '").append(field).append("'");
            }
            return text.isEmpty() ? "" : text.append(": ").toString();
        }
    }
}
