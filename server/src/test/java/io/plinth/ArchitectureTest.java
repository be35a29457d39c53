package io.plinth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The component rules of CONVENTIONS.md and docs/design.md section 3, checked on the compiled code: each component a
 * top-level package, no cycles between them, the request flowing one way, and HTTP and SQL kept in their layers.
 */
class ArchitectureTest {

    private static final JavaClasses PLINTH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.plinth");

    @Test
    void componentsHaveNoCycles() {
        slices().matching("io.plinth.(*)..").should().beFreeOfCycles().check(PLINTH);
    }

    @Test
    void definitionDependsOnNothingOfPlinthOrSpring() {
        noClasses().that().resideInAPackage("io.plinth.definition..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.plinth.api..",
                        "io.plinth.query..", "io.plinth.record..", "io.plinth.schema..", "io.plinth.embedded..",
                        "io.plinth.observability..", "org.jooq..", "tools.jackson..")
                .check(PLINTH);
    }

    @Test
    void onlyApiAndObservabilitySpeakHttp() {
        // security authenticates HTTP requests (filters, cookies, CORS): HTTP by nature, like observability's filters.
        noClasses().that().resideOutsideOfPackages("io.plinth.api..", "io.plinth.observability..", "io.plinth.security..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.springframework.web..",
                        "org.springframework.http..")
                .check(PLINTH);
    }

    @Test
    void onlyQueryAndSchemaSpeakSql() {
        noClasses().that().resideInAnyPackage("io.plinth.api..", "io.plinth.record..", "io.plinth.definition..",
                        "io.plinth.observability..", "io.plinth.lifecycle..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "org.postgresql..")
                .check(PLINTH);
    }

    @Test
    void requestsFlowOneWay() {
        noClasses().that().resideInAnyPackage("io.plinth.query..", "io.plinth.record..", "io.plinth.schema..",
                        "io.plinth.definition..", "io.plinth.error..", "io.plinth.lifecycle..", "io.plinth.idempotency..",
                        "io.plinth.events..", "io.plinth.embedded..", "io.plinth.flags..")
                .should().dependOnClassesThat().resideInAPackage("io.plinth.api..")
                .check(PLINTH);
        // The query component announces changes through its ChangeJournal port; it never knows about events.
        noClasses().that().resideInAnyPackage("io.plinth.query..", "io.plinth.record..", "io.plinth.schema..")
                .should().dependOnClassesThat().resideInAPackage("io.plinth.events..")
                .check(PLINTH);
        noClasses().that().resideInAnyPackage("io.plinth.lifecycle..", "io.plinth.idempotency..")
                .should().dependOnClassesThat().resideInAPackage("io.plinth.query..")
                .check(PLINTH);
        noClasses().that().resideInAnyPackage("io.plinth.record..", "io.plinth.schema..", "io.plinth.definition..")
                .should().dependOnClassesThat().resideInAPackage("io.plinth.query..")
                .check(PLINTH);
    }

    @Test
    void flagsKnowOnlyTheDefinitions() {
        noClasses().that().resideInAPackage("io.plinth.flags..")
                .should().dependOnClassesThat().resideInAnyPackage("io.plinth.api..", "io.plinth.query..",
                        "io.plinth.record..", "io.plinth.schema..", "io.plinth.events..", "io.plinth.embedded..")
                .check(PLINTH);
    }

    @Test
    void securityKnowsOnlyTheDefinitions() {
        noClasses().that().resideInAPackage("io.plinth.security..")
                .should().dependOnClassesThat().resideInAnyPackage("io.plinth.api..", "io.plinth.query..",
                        "io.plinth.record..", "io.plinth.schema..", "io.plinth.events..", "io.plinth.embedded..")
                .check(PLINTH);
    }

    @Test
    void embeddedDependsOnNothingOfPlinth() {
        noClasses().that().resideInAPackage("io.plinth.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("io.plinth.api..", "io.plinth.query..",
                        "io.plinth.record..", "io.plinth.schema..", "io.plinth.definition..")
                .check(PLINTH);
    }
}
