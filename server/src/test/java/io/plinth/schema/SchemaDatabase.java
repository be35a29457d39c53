package io.plinth.schema;

import com.zaxxer.hikari.HikariDataSource;
import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.ResourceCatalog;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * A database of its own in the shared embedded PostgreSQL, with Plinth's own tables (Flyway) and nothing else: each
 * schema-evolution test starts from it and declares its resources as YAML text.
 */
public final class SchemaDatabase implements AutoCloseable {

    public final String url;
    final HikariDataSource dataSource;
    public final DSLContext dsl;

    private SchemaDatabase(String url) {
        this.url = url;
        this.dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername("postgres");
        dataSource.setPassword("postgres");
        dataSource.setMaximumPoolSize(6);
        dataSource.setMinimumIdle(0);
        Flyway.configure().dataSource(dataSource).table("plinth_flyway_history").locations("classpath:db/migration")
                .load().migrate();
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    /** A new, empty database next to the one {@code shared} connects to. */
    public static SchemaDatabase create(DataSource shared) {
        String sharedUrl = ((HikariDataSource) shared).getJdbcUrl();
        String name = "evolution_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DSL.using(shared, SQLDialect.POSTGRES).execute("create database " + name);
        return new SchemaDatabase(sharedUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
    }

    static ResourceCatalog declarations(String yaml) {
        return DefinitionLoader.load("test.yaml", new StringReader(yaml));
    }

    SchemaMigrator migrator(String yaml) {
        return migrator(yaml, Duration.ofSeconds(10));
    }

    SchemaMigrator migrator(String yaml, Duration lockTimeout) {
        return new SchemaMigrator(declarations(yaml), dsl, new SchemaProperties(true, lockTimeout, 1_000_000L));
    }

    /** The catalog of every table that is not Plinth's own (nor a backup), row estimates left out. */
    Map<String, Catalog.Table> catalog() {
        List<String> names = dsl.fetch("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like 'plinth\\_%'""")
                .getValues(0, String.class);
        Map<String, Catalog.Table> tables = new TreeMap<>();
        Catalog.read(dsl, "public", names).forEach((name, table) -> tables.put(name,
                new Catalog.Table(table.name(), table.columns(), table.constraints(), table.indexes(), 0)));
        return tables;
    }

    /** Every row of every table that is not Plinth's own, as sorted JSON (jsonb orders keys), per table. */
    Map<String, String> data() {
        Map<String, String> data = new TreeMap<>();
        for (String table : new ArrayList<>(catalog().keySet())) {
            data.put(table, dsl.fetchSingle("select coalesce(jsonb_agg(to_jsonb(t) order by to_jsonb(t)::text), '[]')::text from \""
                    + table + "\" t").get(0, String.class));
        }
        return data;
    }

    /** Runs {@code work} in a transaction that is rolled back afterwards, so it changes no row. */
    void undone(Consumer<DSLContext> work) {
        try {
            dsl.transaction(configuration -> {
                work.accept(configuration.dsl());
                throw new Undo();
            });
        } catch (Undo expected) {
            // rolled back, as intended
        }
    }

    /** Executes {@code sql} in a transaction that is rolled back: succeeds when the database accepts it. */
    void acceptsAndUndo(String sql) {
        undone(tx -> tx.execute(sql));
    }

    private static final class Undo extends RuntimeException {
        Undo() {
            super(null, null, false, false);
        }
    }

    public long count(String sql) {
        return dsl.fetchSingle(sql).get(0, Long.class);
    }

    /** Runs the statements of a script separated by ";" at line ends. */
    public void run(String script) {
        for (String statement : script.split(";\n")) {
            if (!statement.isBlank()) {
                dsl.execute(statement);
            }
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
