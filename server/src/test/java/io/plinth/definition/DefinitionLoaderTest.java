package io.plinth.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading definitions: the bundled default, every type, and a named message for every kind of mistake. */
class DefinitionLoaderTest {

    private static ResourceCatalog load(String yaml) {
        return DefinitionLoader.load("defs.yaml", new StringReader(yaml));
    }

    private static List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("the definitions were accepted");
    }

    private static String oneField(String field) {
        return "resources:\n  widget:\n    fields:\n      " + field + "\n";
    }

    @Test
    void bundledDefaultDeclaresExactlyTheTemplatesEntity() {
        ResourceCatalog catalog = DefinitionLoader.load("entities.yaml", new InputStreamReader(
                getClass().getResourceAsStream("/plinth/entities.yaml"), StandardCharsets.UTF_8));

        assertThat(catalog.all()).hasSize(1);
        ResourceDefinition entity = catalog.byPath("entities").orElseThrow();
        assertThat(entity.name()).isEqualTo("entity");
        assertThat(entity.table()).isEqualTo("entity_name");
        assertThat(entity.fields()).extracting(FieldDefinition::name).containsExactly("field1", "field2");
        FieldDefinition field1 = entity.fields().get(0);
        assertThat(field1.type()).isEqualTo(FieldType.STRING);
        assertThat(field1.required()).isTrue();
        assertThat(field1.maxLength()).isEqualTo(255);
        FieldDefinition field2 = entity.fields().get(1);
        assertThat(field2.type()).isEqualTo(FieldType.INTEGER);
        assertThat(field2.required()).isFalse();
        assertThat(field2.min()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(field2.max()).isNull();
        assertThat(entity.lifecycle()).isEqualTo(Lifecycle.standard());
    }

    @Test
    void defaultLifecycleIsDraftActiveArchived() {
        Lifecycle standard = Lifecycle.standard();
        assertThat(standard.states()).containsExactly("DRAFT", "ACTIVE", "ARCHIVED");
        assertThat(standard.initial()).isEqualTo("DRAFT");
        assertThat(standard.allows("DRAFT", "ACTIVE")).isTrue();
        assertThat(standard.allows("ACTIVE", "ARCHIVED")).isTrue();
        assertThat(standard.allows("DRAFT", "ARCHIVED")).isTrue();
        assertThat(standard.allows("ARCHIVED", "DRAFT")).isFalse();
        assertThat(standard.allows("ACTIVE", "DRAFT")).isFalse();
    }

    @Test
    void readsEveryTypeAndConstraint() {
        ResourceCatalog catalog = load("""
                resources:
                  orderLine:
                    fields:
                      sku: {type: string, required: true, unique: true, minLength: 3, maxLength: 12, pattern: "[A-Z0-9-]+"}
                      note: {type: text}
                      quantity: {type: integer, min: 1, max: 999, default: 1}
                      total: {type: long}
                      unitPrice: {type: decimal, precision: 10, scale: 3, min: 0}
                      gift: {type: boolean, default: false}
                      shipOn: {type: date, default: 2026-01-31}
                      shippedAt: {type: timestamp}
                      warehouse: {type: uuid, indexed: true}
                      size: {type: enum, values: [S, M, L], default: M}
                      attributes: {type: json}
                      source: {type: string, readOnly: true, default: api}
                    lifecycle:
                      states: [OPEN, PAID, SHIPPED, CANCELLED]
                      transitions: {OPEN: [PAID, CANCELLED], PAID: [SHIPPED, CANCELLED]}
                    indexes:
                      - [shipOn, status]
                """);
        ResourceDefinition line = catalog.byName("orderLine").orElseThrow();
        assertThat(line.path()).isEqualTo("order-line");
        assertThat(line.table()).isEqualTo("order_line");
        Map<String, FieldDefinition> fields = new java.util.HashMap<>();
        line.fields().forEach(f -> fields.put(f.name(), f));
        assertThat(fields.get("unitPrice").column()).isEqualTo("unit_price");
        assertThat(fields.get("unitPrice").precision()).isEqualTo(10);
        assertThat(fields.get("unitPrice").scale()).isEqualTo(3);
        assertThat(fields.get("quantity").defaultValue()).isEqualTo(1);
        assertThat(fields.get("quantity").optionalOnCreate()).isTrue();
        assertThat(fields.get("gift").defaultValue()).isEqualTo(false);
        assertThat(fields.get("shipOn").defaultValue()).isEqualTo(LocalDate.of(2026, 1, 31));
        assertThat(fields.get("size").values()).containsExactly("S", "M", "L");
        assertThat(fields.get("source").readOnly()).isTrue();
        assertThat(fields.get("note").maxLength()).isNull();
        assertThat(fields.get("sku").pattern().pattern()).isEqualTo("[A-Z0-9-]+");
        assertThat(line.lifecycle().initial()).isEqualTo("OPEN");
        assertThat(line.lifecycle().transitions()).containsEntry("OPEN", Set.of("PAID", "CANCELLED"))
                .containsEntry("SHIPPED", Set.of());
        assertThat(line.indexes()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("idx_orderLine_ship_on_status"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown type           | weight: {type: float}                         | defs.yaml:4: resource 'widget', field 'weight': unknown type 'float'",
            "min greater than max   | weight: {type: integer, min: 10, max: 1}       | defs.yaml:4: resource 'widget', field 'weight': min (10) is greater than max (1)",
            "bad regex              | code: {type: string, pattern: \"[a-z\"}       | defs.yaml:4: resource 'widget', field 'code': pattern is not a valid regular expression",
            "reserved name id       | id: {type: uuid}                              | defs.yaml:4: resource 'widget', field 'id': 'id' is reserved",
            "reserved name status   | status: {type: string}                        | defs.yaml:4: resource 'widget', field 'status': 'status' is reserved",
            "reserved createdAt     | createdAt: {type: timestamp}                  | field 'createdAt': 'createdAt' is reserved",
            "missing type           | weight: {min: 1}                              | field 'weight': 'type' is missing",
            "unknown attribute      | weight: {type: integer, maximum: 3}            | field 'weight': unknown attribute 'maximum'",
            "attribute of other type | weight: {type: integer, maxLength: 3}         | field 'weight': 'maxLength' does not apply to type integer",
            "minLength over maxLength | code: {type: string, minLength: 5, maxLength: 2} | field 'code': minLength (5) is greater than maxLength (2)",
            "negative maxLength     | code: {type: string, maxLength: -1}          | field 'code': maxLength must be between 1 and",
            "fractional integer bound | weight: {type: integer, min: 1.5}           | field 'weight': min must be a whole number",
            "integer bound out of range | weight: {type: integer, max: 3000000000}  | field 'weight': max 3000000000 is outside the range of type integer",
            "scale over precision   | price: {type: decimal, precision: 4, scale: 5} | field 'price': scale (5) is greater than precision (4)",
            "enum without values    | size: {type: enum}                            | field 'size': an enum needs 'values'",
            "enum duplicate value   | size: {type: enum, values: [S, S]}            | field 'size': enum value 'S' is listed twice",
            "default of wrong type  | weight: {type: integer, default: heavy}       | field 'weight': default 'heavy' is not a valid integer",
            "default breaking a rule | weight: {type: integer, min: 0, default: -1} | field 'weight': default '-1' must be at least 0",
            "default not in enum    | size: {type: enum, values: [S], default: XL}  | field 'size': default 'XL' must be one of S",
            "required read-only without default | code: {type: string, required: true, readOnly: true} | field 'code': is read-only and required but has no default",
            "required not boolean   | code: {type: string, required: maybe}         | field 'code': required must be true or false",
            "bad field name         | Weight: {type: integer}                       | field 'Weight': the field name must start with a lower-case letter",
            "snake case field name  | unit_price: {type: integer}                   | field 'unit_price': the field name must start with a lower-case letter",
            "field not a mapping    | weight: integer                               | field 'weight': expected a mapping",
            "json unique            | data: {type: json, unique: true}              | field 'data': json fields cannot be unique",
            "reference without to   | owner: {type: reference}                      | field 'owner': a reference needs 'to'",
            "reference to unknown   | owner: {type: reference, to: nobody}          | field 'owner': refers to 'nobody', which is not a declared resource",
            "setNull on required    | owner: {type: reference, to: widget, required: true, onDelete: setNull} | field 'owner': onDelete setNull needs an optional field",
            "bad onDelete           | owner: {type: reference, to: widget, onDelete: explode} | field 'owner': onDelete must be restrict, cascade or setNull",
            "unlink on a reference  | owner: {type: reference, to: widget, onDelete: unlink} | field 'owner': onDelete must be restrict, cascade or setNull",
            "cascade on references  | tags: {type: references, to: widget, onDelete: cascade} | field 'tags': onDelete must be restrict or unlink for a references field",
            "references unique      | tags: {type: references, to: widget, unique: true} | field 'tags': references fields cannot be unique",
            "references indexed     | tags: {type: references, to: widget, indexed: true} | field 'tags': references fields are always indexed",
            "references default     | tags: {type: references, to: widget, default: x} | field 'tags': references fields cannot declare a default",
            "references maxItems 0  | tags: {type: references, to: widget, maxItems: 0} | field 'tags': maxItems",
            "maxItems on reference  | owner: {type: reference, to: widget, maxItems: 3} | field 'owner': 'maxItems' does not apply to type reference",
            "references to unknown  | tags: {type: references, to: nobody}          | field 'tags': refers to 'nobody', which is not a declared resource",
    })
    void namesFileLineResourceFieldAndProblem(String why, String field, String expected) {
        assertThat(problems(oneField(field))).singleElement().asString().contains(expected);
    }

    @Test
    void reportsADuplicateFieldInsteadOfKeepingTheLastOne() {
        List<String> problems = problems("""
                resources:
                  widget:
                    fields:
                      weight: {type: integer}
                      weight: {type: string}
                """);
        assertThat(problems).singleElement().asString()
                .isEqualTo("defs.yaml:5: resource 'widget', field 'weight': 'weight' is declared twice");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<String> problems = problems("""
                resources:
                  widget:
                    fields:
                      a: {type: float}
                      b: {type: integer, min: 2, max: 1}
                  gadget:
                    table: plinth_gadget
                    fields:
                      id: {type: uuid}
                """);
        assertThat(problems).hasSize(4);
        assertThatThrownBy(() -> load("resources:\n  w:\n    fields:\n      a: {type: float}\n      id: {type: uuid}\n"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("Invalid resource definitions in defs.yaml (2 problems):")
                .hasMessageContaining("field 'a'").hasMessageContaining("field 'id'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty file                 | ''                                                         | the file is empty",
            "not yaml                   | 'resources: [unclosed'                                      | not valid YAML",
            "no resources key           | 'things: {}'                                                | unknown key 'things'",
            "no resources               | 'resources: {}'                                             | declares no resource",
            "resources as list          | 'resources: [a, b]'                                         | expected a mapping",
            "bad resource name          | 'resources: {Widget: {fields: {a: {type: text}}}}'          | resource 'Widget': the resource name",
            "bad path                   | 'resources: {w: {path: \"a/b\", fields: {a: {type: text}}}}' | resource 'w': path 'a/b' must be one URL segment",
            "reserved table prefix      | 'resources: {w: {table: plinth_x, fields: {a: {type: text}}}}' | table 'plinth_x' uses a prefix reserved",
            "bad table                  | 'resources: {w: {table: \"W-T\", fields: {a: {type: text}}}}' | table 'W-T' must be lower-case",
            "missing fields             | 'resources: {w: {path: ws}}'                                | resource 'w': 'fields' is missing",
            "unknown resource key       | 'resources: {w: {fields: {a: {type: text}}, cache: yes}}'    | resource 'w': unknown key 'cache'",
            "initial not a state        | 'resources: {w: {fields: {a: {type: text}}, lifecycle: {states: [A, B], initial: C}}}' | initial state 'C' is not one of the states",
            "transition to unknown      | 'resources: {w: {fields: {a: {type: text}}, lifecycle: {states: [A, B], transitions: {A: [Z]}}}}' | transition A -> Z leads to an unknown state",
            "lower-case state           | 'resources: {w: {fields: {a: {type: text}}, lifecycle: {states: [draft]}}}' | state 'draft' must be UPPER_SNAKE_CASE",
            "state too long             | 'resources: {w: {fields: {a: {type: text}}, lifecycle: {states: [ABCDEFGHIJKLMNOPQRSTU]}}}' | at most 20 characters",
            "index on unknown field     | 'resources: {w: {fields: {a: {type: text}}, indexes: [[b]]}}' | index on unknown field 'b'",
    })
    void rejectsBadFilesAndResources(String why, String yaml, String expected) {
        assertThat(String.join("\n", problems(yaml))).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "grant on unknown resource  | 'roles: {r: {grants: {nope: [read]}}}'                      | role 'r', grant 'nope': no resource is named 'nope'",
            "unknown action             | 'roles: {r: {grants: {w: [read, fly]}}}'                    | unknown action 'fly'",
            "hidden unknown field       | 'roles: {r: {grants: {w: {actions: [read], hiddenFields: [b]}}}}' | hiddenFields: 'b' is not a field of w",
            "read-only unknown field    | 'roles: {r: {grants: {w: {actions: [update], readOnlyFields: [b]}}}}' | readOnlyFields: 'b' is not a field of w",
            "transition to unknown      | 'roles: {r: {grants: {w: {actions: [transition], transitions: [GONE]}}}}' | transitions: 'GONE' is not a state of w",
            "transitions, no action     | 'roles: {r: {grants: {w: {actions: [read], transitions: [ACTIVE]}}}}' | needs the action 'transition'",
            "bad rows                   | 'roles: {r: {grants: {w: {actions: [read], rows: mine}}}}'  | rows must be 'all' or 'own'",
            "admin declared             | 'roles: {admin: {grants: {w: [read]}}}'                     | is built in (it may do everything)",
            "bad role name              | 'roles: {Boss: {grants: {w: [read]}}}'                      | role 'Boss': the role name must start",
            "no grants                  | 'roles: {r: {description: nothing}}'                        | is missing: a role without grants may do nothing",
            "unknown grant key          | 'roles: {r: {grants: {w: {actions: [read], columns: [a]}}}}' | unknown key 'columns'",
            "star with unknown field    | 'roles: {r: {grants: {\"*\": {actions: [read], hiddenFields: [zz]}}}}' | no resource has a field 'zz'",
            "action twice               | 'roles: {r: {grants: {w: [read, read]}}}'                   | is listed twice",
    })
    void rejectsBadRoles(String why, String roles, String expected) {
        assertThat(String.join("\n", problems("{resources: {w: {fields: {a: {type: text}}}}, " + roles + "}")))
                .contains(expected);
    }

    @Test
    void readsRolesWithTheirGrants() {
        ResourceCatalog catalog = load("""
                resources:
                  w:
                    publicRead: true
                    fields: {a: {type: text}, b: {type: integer}}
                roles:
                  clerk:
                    description: Edits w.
                    grants:
                      w: {actions: [read, update, transition], transitions: [ACTIVE], hiddenFields: [b], readOnlyFields: [a], rows: own}
                      "*": [read]
                """);
        io.plinth.definition.RoleDefinition clerk = catalog.role("clerk").orElseThrow();
        io.plinth.definition.RoleDefinition.Grant grant = clerk.grantFor("w").orElseThrow();
        assertThat(grant.actions()).containsExactlyInAnyOrder(Action.READ, Action.UPDATE, Action.TRANSITION);
        assertThat(grant.transitions()).containsExactly("ACTIVE");
        assertThat(grant.hiddenFields()).containsExactly("b");
        assertThat(grant.readOnlyFields()).containsExactly("a");
        assertThat(grant.ownRowsOnly()).isTrue();
        assertThat(clerk.grantFor("other").orElseThrow().resource()).isEqualTo("*");
        assertThat(catalog.byName("w").orElseThrow().publicRead()).isTrue();
    }

    @Test
    void rejectsTwoResourcesSharingAPathOrTableAcrossFiles() {
        assertThatThrownBy(() -> DefinitionLoader.load(List.of(
                new DefinitionLoader.Source("a.yaml", new StringReader("resources: {w: {path: things, table: things, fields: {a: {type: text}}}}")),
                new DefinitionLoader.Source("b.yaml", new StringReader("resources: {v: {path: things, table: things, fields: {a: {type: text}}}}")))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("b.yaml: resource 'v': path 'things' is also used by resource 'w'")
                .hasMessageContaining("b.yaml: resource 'v': table 'things' is also used by resource 'w'");
    }

    @Test
    void theShopExampleLoads() throws Exception {
        try (var reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("..", "examples", "shop.yaml"))) {
            ResourceCatalog shop = DefinitionLoader.load("examples/shop.yaml", reader);
            assertThat(shop.all()).extracting(ResourceDefinition::name)
                    .containsExactly("customer", "product", "category", "order", "orderLine");
            assertThat(shop.byName("order").orElseThrow().relation("lines")).isPresent();
        }
    }

    @Test
    void refusesARelationWithoutAReferenceBack() {
        assertThatThrownBy(() -> load("""
                resources:
                  order:
                    has: {lines: {resource: line, field: order}}
                    fields: {note: {type: text}}
                  line:
                    fields: {qty: {type: integer}}
                """)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("relation 'lines': needs a reference field 'order' on resource 'line' that refers to order");
    }

    @Test
    void refusesALinkTableThatClashesWithAnotherTable() {
        assertThatThrownBy(() -> load("""
                resources:
                  post:
                    fields: {tags: {type: references, to: tag}}
                  tag:
                    fields: {name: {type: string}}
                  postTag:
                    table: post_tags
                    fields: {note: {type: text}}
                """)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("field 'tags': its link table 'post_tags' is also the table of resource 'postTag'");
    }

    @Test
    void acceptsAReverseRelationThroughAReferencesField() {
        ResourceCatalog catalog = load("""
                resources:
                  post:
                    fields: {tags: {type: references, to: tag, onDelete: unlink, maxItems: 20}}
                  tag:
                    has: {posts: {resource: post, field: tags}}
                    fields: {name: {type: string}}
                """);
        FieldDefinition tags = catalog.byName("post").orElseThrow().field("tags").orElseThrow();
        assertThat(tags.reference()).isEqualTo(new FieldDefinition.Reference("tag", FieldDefinition.OnDelete.UNLINK, 20));
        assertThat(catalog.byName("post").orElseThrow().linkTable(tags)).isEqualTo("post_tags");
    }

    @Test
    void checksValuesAgainstConstraints() {
        FieldDefinition price = load(oneField("price: {type: decimal, precision: 5, scale: 2, min: 0, max: 500}"))
                .byName("widget").orElseThrow().fields().getFirst();
        assertThat(price.violationsOf(new BigDecimal("500.00"))).isEmpty();
        assertThat(price.violationsOf(new BigDecimal("500.01"))).containsExactly("must be at most 500");
        assertThat(price.violationsOf(new BigDecimal("1.001"))).containsExactly("must have at most 2 digits after the decimal point");
        assertThat(price.violationsOf(new BigDecimal("-0.01"))).containsExactly("must be at least 0");
    }

    @Test
    void migrationHintsAreReadAndBadOnesRefused() {
        FieldDefinition renamed = load(oneField("displayName: {type: string, renamedFrom: legacyName, backfill: \"'x'\"}"))
                .byName("widget").orElseThrow().fields().get(0);
        assertThat(renamed.renamedFrom()).isEqualTo("legacyName");
        assertThat(renamed.backfill()).isEqualTo("'x'");

        assertThat(problems(oneField("label: {type: string, renamedFrom: label}")))
                .anySatisfy(p -> assertThat(p).contains("renamedFrom must name the field's previous name"));
        assertThat(problems(oneField("label: {type: string, renamedFrom: Old-Name}")))
                .anySatisfy(p -> assertThat(p).contains("renamedFrom must name the field's previous name"));
        assertThat(problems(oneField("label: {type: string, renamedFrom: [a]}"))).isNotEmpty();
        assertThat(problems("resources:\n  widget:\n    fields:\n      a: {type: string}\n"
                + "      b: {type: string, renamedFrom: a}\n"))
                .anySatisfy(p -> assertThat(p).contains("field 'b'", "renamedFrom names 'a', which is still declared"));
        assertThat(problems("resources:\n  widget:\n    fields:\n      b: {type: string, renamedFrom: a}\n"
                + "      c: {type: string, renamedFrom: a}\n"))
                .anySatisfy(p -> assertThat(p).contains("another field is already renamed from 'a'"));

        assertThat(problems(oneField("label: {type: string, required: true, backfill: \"'a'; drop table x\"}")))
                .anySatisfy(p -> assertThat(p).contains("backfill must be one SQL expression (no ';')"));
        assertThat(problems(oneField("label: {type: string, backfill: \" \"}")))
                .anySatisfy(p -> assertThat(p).contains("backfill must be one SQL expression"));
        assertThat(problems("resources:\n  tag:\n    fields:\n      n: {type: string}\n  widget:\n    fields:\n"
                + "      tags: {type: references, to: tag, backfill: \"'x'\"}\n"))
                .anySatisfy(p -> assertThat(p).contains("references fields have no column to backfill"));
    }
}
