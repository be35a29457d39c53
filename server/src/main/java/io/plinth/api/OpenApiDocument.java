package io.plinth.api;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.lifecycle.TransitionRequest;
import io.plinth.query.ListQuery.Operator;
import io.plinth.query.ListQueryParser;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI 3.1 document of the declared resources, derived from their definitions: one schema per resource (and
 * its create, patch and list forms) with every declared constraint, every endpoint with its parameters and headers,
 * and every error response with the error body. Served by springdoc at {@code /v3/api-docs}.
 */
@Component
class OpenApiDocument implements OpenApiCustomizer {

    private static final String JSON = "application/json";
    private static final String REF = "#/components/schemas/";

    private final ResourceCatalog catalog;
    private final ApiProperties properties;

    OpenApiDocument(ResourceCatalog catalog, ApiProperties properties) {
        this.catalog = catalog;
        this.properties = properties;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.specVersion(SpecVersion.V31).openapi("3.1.0");
        openApi.info(new Info().title("Plinth API").version("v1")
                .description("Every declared resource, served as the design template specifies. Errors share one body: "
                        + "{error, code, details, correlationId}."));
        openApi.setPaths(new io.swagger.v3.oas.models.Paths());
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        components.setSchemas(new LinkedHashMap<>());
        openApi.components(components);
        components.addSchemas("Error", errorSchema());
        components.addSchemas("FieldProblem", object(Map.of("field", string(), "message", string()), List.of("field", "message")));
        List<Tag> tags = new ArrayList<>();
        for (ResourceDefinition resource : catalog.all()) {
            String name = schemaName(resource);
            tags.add(new Tag().name(resource.path()).description(resource.description()));
            components.addSchemas(name, recordSchema(resource));
            Schema<?> partial = recordSchema(resource);
            partial.required(List.of("id"));
            components.addSchemas(name + "Fields", partial.description(capitalized(resource.nameWithArticle())
                    + " in a list: every field, or those ?fields= selects (id always)"));
            components.addSchemas(name + "Create", writeSchema(resource, true));
            components.addSchemas(name + "Patch", writeSchema(resource, false));
            components.addSchemas(name + "List", object(Map.of(
                    "data", new JsonSchema().types(Set.of("array")).items(ref(name + "Fields")),
                    "page", object(Map.of(
                            "limit", integer(),
                            "nextCursor", nullable(string()),
                            "total", integer(),
                            "totalIsEstimate", new JsonSchema().types(Set.of("boolean"))), List.of("limit", "nextCursor"))),
                    List.of("data", "page")));
            addPaths(openApi, resource, name);
        }
        openApi.setTags(tags);
    }

    private void addPaths(OpenAPI openApi, ResourceDefinition resource, String name) {
        String base = "/api/v1/" + resource.path();
        String tag = resource.path();
        boolean hasUnique = resource.fields().stream().anyMatch(FieldDefinition::unique);

        List<String> references = new ArrayList<>(resource.fields().stream().filter(f -> f.reference() != null)
                .map(FieldDefinition::name).toList());
        resource.relations().forEach(r -> references.add(r.name()));
        Operation list = new Operation().operationId("list" + name).addTagsItem(tag)
                .summary("List " + resource.path() + ": filters, sort, keyset cursor")
                .responses(responses(200, ok(ref(name + "List"), false), 400, 404, 406, 503));
        listParameters(resource).forEach(list::addParametersItem);
        if (!references.isEmpty()) {
            list.addParametersItem(includeParameter(references));
        }

        Operation create = new Operation().operationId("create" + name).addTagsItem(tag)
                .summary("Create " + resource.nameWithArticle())
                .addParametersItem(idempotencyKey())
                .requestBody(body(ref(name + "Create")))
                .responses(responses(201, created(name), 400, 404, 406, 409, 413, 415, 422, 503));
        if (hasUnique) {
            create.addParametersItem(onConflict(resource));
            create.getResponses().addApiResponse("200", recordResponse(name, "Updated by an upsert (onConflict)"));
        }
        openApi.path(base, new PathItem().get(list).post(create));

        Operation bulk = new Operation().operationId("bulkCreate" + name).addTagsItem(tag)
                .summary("Create up to " + properties.maxBulk() + " " + resource.path() + " in one transaction, all or none")
                .addParametersItem(idempotencyKey())
                .requestBody(body(new JsonSchema().types(Set.of("array")).items(ref(name + "Create"))
                        .maxItems(properties.maxBulk())))
                .responses(responses(201, new ApiResponse().description("All created")
                        .content(json(object(Map.of("data", new JsonSchema().types(Set.of("array")).items(ref(name))),
                                List.of("data")))), 400, 404, 406, 409, 413, 415, 422, 503));
        if (hasUnique) {
            bulk.addParametersItem(onConflict(resource));
            bulk.getResponses().addApiResponse("200", new ApiResponse().description("Upserted (onConflict)")
                    .content(json(object(Map.of("data", new JsonSchema().types(Set.of("array")).items(ref(name))), List.of("data")))));
        }
        openApi.path(base + "/_bulk", new PathItem().post(bulk));

        Operation get = new Operation().operationId("get" + name).addTagsItem(tag).summary("Get " + resource.nameWithArticle())
                .addParametersItem(idParameter())
                .addParametersItem(header("If-None-Match", "An ETag; answers 304 when the record still has it", false))
                .responses(responses(200, recordResponse(name, "The record"), 404, 406, 503));
        if (!references.isEmpty()) {
            get.addParametersItem(includeParameter(references));
        }
        get.getResponses().addApiResponse("304", new ApiResponse().description("Not modified")
                .addHeaderObject("ETag", etagHeader()));
        Operation patch = new Operation().operationId("update" + name).addTagsItem(tag)
                .summary("Change fields of " + resource.nameWithArticle() + " (JSON Merge Patch, RFC 7396)")
                .addParametersItem(idParameter()).addParametersItem(ifMatch(resource))
                .requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType(ResourceController.MERGE_PATCH_JSON, new MediaType().schema(ref(name + "Patch")))
                        .addMediaType(JSON, new MediaType().schema(ref(name + "Patch")))))
                .responses(responses(200, recordResponse(name, "The changed record"), 400, 404, 406, 409, 412, 413, 415, 428, 503));
        Operation delete = new Operation().operationId("delete" + name).addTagsItem(tag).summary("Delete " + resource.nameWithArticle())
                .addParametersItem(idParameter()).addParametersItem(ifMatch(resource))
                .responses(responses(204, new ApiResponse().description("Deleted"), 404, 412, 428, 503));
        openApi.path(base + "/{id}", new PathItem().get(get).patch(patch).delete(delete));

        openApi.getComponents().addSchemas(name + "Transition", object(Map.of(
                "to", enumOf(new ArrayList<>(resource.lifecycle().states())).description("the target state"),
                "reason", nullable(string().maxLength(TransitionRequest.MAX_REASON_LENGTH))), List.of("to")));
        Schema<?> transitionBody = ref(name + "Transition");
        Operation transition = new Operation().operationId("transition" + name).addTagsItem(tag)
                .summary("Move " + resource.nameWithArticle() + " to another state of its lifecycle")
                .description("Allowed: " + resource.lifecycle().transitions())
                .addParametersItem(idParameter()).addParametersItem(ifMatch(resource)).addParametersItem(idempotencyKey())
                .requestBody(body(transitionBody))
                .responses(responses(200, recordResponse(name, "The record in its new state"), 400, 404, 406, 409, 412, 413, 415,
                        422, 428, 503));
        openApi.path(base + "/{id}/transitions", new PathItem().post(transition));
    }

    private List<Parameter> listParameters(ResourceDefinition resource) {
        List<Parameter> parameters = new ArrayList<>();
        Map<String, Schema<?>> filterable = new LinkedHashMap<>();
        filterable.put("id", format("string", "uuid"));
        filterable.put("createdAt", format("string", "date-time"));
        filterable.put("updatedAt", format("string", "date-time"));
        for (FieldDefinition field : resource.fields()) {
            if (field.type() == FieldType.REFERENCES) {
                filterable.put(field.name(), format("string", "uuid"));
            } else if (field.type() != FieldType.JSON) {
                filterable.put(field.name(), baseSchema(field));
            }
        }
        filterable.put("status", enumOf(new ArrayList<>(resource.lifecycle().states())));
        filterable.put("version", integer());
        filterable.put("createdBy", string());
        filterable.put("updatedBy", string());
        filterable.forEach((field, schema) -> {
            FieldType type = typeOf(resource, field);
            for (Operator operator : Operator.values()) {
                if (!applies(type, operator)) {
                    continue;
                }
                // A field named like a list parameter (sort, limit, cursor, fields, count) is filtered as field[eq].
                String name = operator == Operator.EQ && !ListQueryParser.RESERVED.contains(field)
                        ? field : field + "[" + operator.parameterName() + "]";
                Schema<?> operand = switch (operator) {
                    case IN -> string().description("comma-separated values");
                    case IS_NULL -> new JsonSchema().types(Set.of("boolean"));
                    case CONTAINS, ICONTAINS, STARTS_WITH, ISTARTS_WITH -> string();
                    default -> schema;
                };
                parameters.add(new Parameter().in("query").name(name).required(false).schema(operand)
                        .description(operator.parameterName() + " filter on " + field));
            }
        });
        resource.fields().stream().filter(f -> f.type() == FieldType.JSON).forEach(field -> parameters.add(
                new Parameter().in("query").name(field.name() + "[isNull]").required(false)
                        .schema(new JsonSchema().types(Set.of("boolean")))));
        parameters.add(new Parameter().in("query").name("sort").required(false).schema(string())
                .description("Comma-separated fields, '-' for descending; default -createdAt; id breaks ties"));
        parameters.add(new Parameter().in("query").name("limit").required(false)
                .schema(integer().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(properties.maxLimit()))
                        ._default(properties.defaultLimit())));
        parameters.add(new Parameter().in("query").name("cursor").required(false).schema(string())
                .description("page.nextCursor of the previous page"));
        parameters.add(new Parameter().in("query").name("fields").required(false).schema(string())
                .description("Comma-separated fields to return; id is always returned"));
        parameters.add(new Parameter().in("query").name("count").required(false)
                .schema(enumOf(List.of("true", "false", "exact", "estimated")))
                .description("Add page.total: exact (a COUNT over the filters) or estimated (the planner's estimate)"));
        return parameters;
    }

    private static FieldType typeOf(ResourceDefinition resource, String field) {
        return switch (field) {
            case "id" -> FieldType.UUID;
            case "createdAt", "updatedAt" -> FieldType.TIMESTAMP;
            case "status" -> FieldType.ENUM;
            case "version" -> FieldType.LONG;
            case "createdBy", "updatedBy" -> FieldType.STRING;
            default -> resource.field(field).orElseThrow().type();
        };
    }

    private static boolean applies(FieldType type, Operator operator) {
        if (type == FieldType.REFERENCES) {
            return Set.of(Operator.EQ, Operator.NE, Operator.IN, Operator.IS_NULL).contains(operator);
        }
        return switch (operator) {
            case GT, GTE, LT, LTE -> type != FieldType.BOOLEAN;
            case CONTAINS, ICONTAINS, STARTS_WITH, ISTARTS_WITH -> type.isCharacter() || type == FieldType.ENUM;
            default -> true;
        };
    }

    private Schema<?> recordSchema(ResourceDefinition resource) {
        Map<String, Schema<?>> properties = new LinkedHashMap<>();
        properties.put("id", format("string", "uuid").readOnly(true));
        properties.put("createdAt", format("string", "date-time").readOnly(true));
        properties.put("updatedAt", format("string", "date-time").readOnly(true));
        for (FieldDefinition field : resource.fields()) {
            Schema<?> schema = fieldSchema(field);
            if (field.readOnly()) {
                schema.readOnly(true);
            }
            if (field.pii()) {
                schema.addExtension("x-pii", true);
            }
            properties.put(field.name(), schema);
        }
        List<String> required = new ArrayList<>(properties.keySet());
        properties.put("status", enumOf(new ArrayList<>(resource.lifecycle().states())).readOnly(true));
        properties.put("version", integer().minimum(BigDecimal.ONE).readOnly(true)
                .description("Increases with every change; the record's ETag"));
        properties.put("createdBy", new JsonSchema().types(Set.of("string", "null")).readOnly(true)
                .description("Who created the record (a username, or oidc:<claim>); null if unknown"));
        properties.put("updatedBy", new JsonSchema().types(Set.of("string", "null")).readOnly(true)
                .description("Who changed the record last; null if unknown"));
        required.addAll(List.of("status", "version", "createdBy", "updatedBy"));
        for (ResourceDefinition.Relation relation : resource.relations()) {
            String target = Character.toUpperCase(relation.resource().charAt(0)) + relation.resource().substring(1);
            properties.put(relation.name(), new JsonSchema().types(Set.of("array")).items(ref(target + "Fields"))
                    .readOnly(true).description("with include=" + relation.name() + ": the " + relation.resource()
                            + " records whose " + relation.field() + " is this record"));
        }
        Schema<?> schema = object(properties, required);
        return schema.description(resource.description());
    }

    private Schema<?> writeSchema(ResourceDefinition resource, boolean create) {
        Map<String, Schema<?>> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (FieldDefinition field : resource.fields()) {
            if (field.readOnly()) {
                continue;
            }
            properties.put(field.name(), fieldSchema(field));
            if (create && !field.optionalOnCreate()) {
                required.add(field.name());
            }
        }
        return object(properties, required);
    }

    private static Schema<?> fieldSchema(FieldDefinition field) {
        Schema<?> schema = baseSchema(field);
        if (field.type() == FieldType.JSON) {
            return schema.description(field.description());
        }
        if (field.defaultValue() != null) {
            Object value = field.defaultValue();
            setDefault(schema, value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.UUID
                    ? value.toString() : value);
        }
        boolean nullableAlready = field.type().isReference();
        return (field.required() || nullableAlready ? schema : nullable(schema)).description(field.description());
    }

    private static Schema<?> baseSchema(FieldDefinition field) {
        return switch (field.type()) {
            case STRING, TEXT -> {
                Schema<?> schema = string();
                if (field.minLength() != null) {
                    schema.minLength(field.minLength());
                }
                if (field.maxLength() != null) {
                    schema.maxLength(field.maxLength());
                }
                if (field.pattern() != null) {
                    schema.pattern("^(?:" + field.pattern().pattern() + ")$");
                }
                yield schema;
            }
            case INTEGER, LONG -> {
                Schema<?> schema = integer().format(field.type() == FieldType.INTEGER ? "int32" : "int64");
                schema.minimum(field.min() != null ? field.min()
                        : BigDecimal.valueOf(field.type() == FieldType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE));
                schema.maximum(field.max() != null ? field.max()
                        : BigDecimal.valueOf(field.type() == FieldType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE));
                yield schema;
            }
            case DECIMAL -> {
                Schema<?> schema = new JsonSchema().types(Set.of("number"))
                        .multipleOf(BigDecimal.ONE.movePointLeft(field.scale()));
                BigDecimal limit = BigDecimal.TEN.pow(field.precision() - field.scale()).subtract(BigDecimal.ONE.movePointLeft(field.scale()));
                schema.minimum(field.min() != null ? field.min() : limit.negate());
                schema.maximum(field.max() != null ? field.max() : limit);
                yield schema;
            }
            case BOOLEAN -> new JsonSchema().types(Set.of("boolean"));
            case DATE -> format("string", "date");
            case TIMESTAMP -> format("string", "date-time");
            case UUID -> format("string", "uuid");
            case REFERENCE -> {
                // The id, or the referenced record itself when the request includes it (include=<field>).
                String target = Character.toUpperCase(field.reference().to().charAt(0)) + field.reference().to().substring(1);
                List<Schema> options = new ArrayList<>(List.of(format("string", "uuid"), ref(target + "Fields")));
                if (!field.required()) {
                    options.add(new JsonSchema().types(Set.of("null")));
                }
                Schema<?> schema = new JsonSchema().anyOf(options)
                        .description("the id of a " + field.reference().to() + " record, or the record with include=" + field.name());
                schema.addExtension("x-references", field.reference().to());
                yield schema;
            }
            case REFERENCES -> {
                // The ids, or the referenced records themselves when the request includes them (include=<field>).
                String target = Character.toUpperCase(field.reference().to().charAt(0)) + field.reference().to().substring(1);
                Schema<?> item = new JsonSchema().anyOf(List.of(format("string", "uuid"), ref(target + "Fields")));
                Schema<?> schema = new JsonSchema().types(Set.of("array")).items(item).uniqueItems(true)
                        .maxItems(field.reference().maxItems())
                        .description("the ids of " + field.reference().to() + " records, in the order given, or the "
                                + "records with include=" + field.name());
                if (field.required()) {
                    schema.minItems(1);
                }
                schema.addExtension("x-references", field.reference().to());
                yield schema;
            }
            case ENUM -> enumOf(new ArrayList<>(field.values()));
            case JSON -> new JsonSchema().description("any JSON value");
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Schema<?> nullable(Schema<?> schema) {
        Set<String> types = new LinkedHashSet<>(schema.getTypes() == null ? Set.of() : schema.getTypes());
        types.add("null");
        schema.setTypes(types);
        if (schema.getEnum() != null) {
            List values = new ArrayList<>(schema.getEnum());
            values.add(null);
            schema.setEnum(values);
        }
        return schema;
    }

    private static Schema<?> errorSchema() {
        return object(Map.of(
                "error", string().description("One readable sentence"),
                "code", enumOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()),
                "details", new JsonSchema().types(Set.of("array")).items(ref("FieldProblem")),
                "correlationId", string()), List.of("error", "code", "details", "correlationId"));
    }

    private static ApiResponses responses(int successStatus, ApiResponse success, int... errors) {
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse(Integer.toString(successStatus), success);
        for (int status : errors) {
            ErrorCode code = ErrorResponses.codeOf(org.springframework.http.HttpStatusCode.valueOf(status));
            String codes = Arrays.stream(ErrorCode.values()).filter(c -> ErrorResponses.statusOf(c).value() == status)
                    .map(Enum::name).reduce((a, b) -> a + ", " + b).orElse(code.name());
            ApiResponse response = new ApiResponse().description(codes).content(json(ref("Error")));
            if (status == 503) {
                response.addHeaderObject("Retry-After", new Header().schema(integer()));
            }
            if (status == 405) {
                response.addHeaderObject("Allow", new Header().schema(string()));
            }
            responses.addApiResponse(Integer.toString(status), response);
        }
        return responses;
    }

    private static ApiResponse ok(Schema<?> schema, boolean withETag) {
        ApiResponse response = new ApiResponse().description("OK").content(json(schema));
        if (withETag) {
            response.addHeaderObject("ETag", etagHeader());
        }
        return response;
    }

    private static ApiResponse recordResponse(String name, String description) {
        return new ApiResponse().description(description).content(json(ref(name))).addHeaderObject("ETag", etagHeader());
    }

    private static ApiResponse created(String name) {
        return new ApiResponse().description("Created").content(json(ref(name)))
                .addHeaderObject("ETag", etagHeader())
                .addHeaderObject("Location", new Header().schema(string()).description("The new record's address"));
    }

    private static Header etagHeader() {
        return new Header().schema(string()).description("The record's version as a strong entity tag, e.g. \"3\"");
    }

    private static RequestBody body(Schema<?> schema) {
        return new RequestBody().required(true).content(json(schema));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType(JSON, new MediaType().schema(schema));
    }

    private static Parameter idParameter() {
        return new Parameter().in("path").name("id").required(true).schema(format("string", "uuid"));
    }

    private static Parameter ifMatch(ResourceDefinition resource) {
        return header("If-Match", "The ETag of the version being changed; a stale one answers 412"
                + (resource.requireIfMatch() ? " (required for this resource: 428 without it)" : ""), resource.requireIfMatch());
    }

    private Parameter includeParameter(List<String> references) {
        return new Parameter().in("query").name("include").required(false).schema(string())
                .description("Embed referenced records in place of their ids: comma-separated reference fields ("
                        + String.join(", ", references) + "), nested with dots up to " + properties.maxIncludeDepth()
                        + " levels; fields[<path>]=a,b selects their fields. One SQL statement whatever the includes.");
    }

    private static Parameter idempotencyKey() {
        return header("Idempotency-Key", "Makes a retry safe: the same key and request replay the first response for 24 h",
                false);
    }

    private static Parameter onConflict(ResourceDefinition resource) {
        return new Parameter().in("query").name("onConflict").required(false)
                .schema(enumOf(resource.fields().stream()
                        .filter(FieldDefinition::unique).map(FieldDefinition::name).toList()))
                .description("Upsert: update the record with the same value of this unique field instead of failing");
    }

    private static Parameter header(String name, String description, boolean required) {
        return new Parameter().in("header").name(name).required(required).schema(string()).description(description);
    }

    private static Schema<?> object(Map<String, Schema<?>> properties, List<String> required) {
        Schema<?> schema = new JsonSchema().types(Set.of("object"));
        properties.forEach(schema::addProperty);
        if (!required.isEmpty()) {
            schema.required(required);
        }
        schema.additionalProperties(Boolean.FALSE);
        return schema;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Schema<?> enumOf(List<?> values) {
        Schema schema = new JsonSchema().types(Set.of("string"));
        schema.setEnum(new ArrayList<>(values));
        return schema;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setDefault(Schema schema, Object value) {
        schema.setDefault(value);
    }

    private static Schema<?> ref(String name) {
        return new JsonSchema().$ref(REF + name);
    }

    private static Schema<?> string() {
        return new JsonSchema().types(Set.of("string"));
    }

    private static Schema<?> integer() {
        return new JsonSchema().types(Set.of("integer"));
    }

    private static Schema<?> format(String type, String format) {
        return new JsonSchema().types(Set.of(type)).format(format);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String schemaName(ResourceDefinition resource) {
        return Character.toUpperCase(resource.name().charAt(0)) + resource.name().substring(1);
    }
}
