package io.plinth;

import io.plinth.embedded.EmbeddedPostgresConfiguration;
import io.plinth.schema.SchemaConfiguration;
import io.plinth.schema.SchemaMigrator;
import io.plinth.schema.SchemaPlan;
import io.plinth.schema.SchemaRefusedException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar plinth.jar schema <plan|apply|rollback|history|purge-backups> [options]}: the schema workflow from
 * the command line, against the same database settings as the server (embedded data directory by default, or
 * {@code --url}), without starting the server. Exit codes: 0 done / nothing to do, 1 failed, 2 (plan) changes pending,
 * 3 refused by the data, 4 destructive steps without {@code --allow-destructive}, 5 a concurrent index build failed
 * after the commit, 6 the plan is not the reviewed one ({@code --expect}), 64 bad usage.
 */
public final class SchemaCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int CHANGES_PENDING = 2;
    static final int REFUSED_BY_DATA = 3;
    static final int DESTRUCTIVE = 4;
    static final int CONCURRENT_FAILED = 5;
    static final int PLAN_CHANGED = 6;
    static final int USAGE = 64;

    private static final String USAGE_TEXT = """
            Usage: java -jar plinth.jar schema <command> [options]
              plan                      compare the declarations with the database and print the plan
              apply                     apply the plan in one transaction (recorded as a new schema version)
              rollback [--to VERSION]   undo the latest version, or every version after VERSION
              history                   list the applied schema versions
              purge-backups [--through VERSION]  drop the backup tables kept for rollbacks (all, or up to VERSION)
            Options:
              --definitions FILES       resource definitions (comma-separated), as plinth.definitions
              --url JDBC_URL            an external PostgreSQL (else the embedded one in --data-dir, default ./data)
              --username NAME --password SECRET   for --url
              --data-dir DIR            the embedded database's data directory, as plinth.data-dir
              --json                    print JSON instead of text
              --allow-destructive       (apply) let destructive steps run; their data is kept in backup tables
              --expect CHECKSUM         (apply) refuse unless the plan is exactly the reviewed one
              --by NAME                 who applies, for the history (default: the OS user)
              --any.spring.or.plinth.property=VALUE  passed to the configuration as is
            Exit codes: 0 ok, 1 failed, 2 changes pending (plan), 3 refused by data, 4 destructive without
            --allow-destructive, 5 concurrent index build failed, 6 plan changed since review, 64 usage.
            """;

    private SchemaCommand() {
    }

    /** The jar's entry point hands {@code schema ...} here. */
    static void main(String[] args) {
        PrintStream out = System.out;
        // Everything the application logs goes to stderr, so stdout holds only the command's output (e.g. JSON).
        System.setOut(System.err);
        System.setProperty("logging.level.root", "warn");
        System.setProperty("logging.level.io.plinth.schema", "info");
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command; returns the exit code. {@code args} starts after the word {@code schema}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String command = args[0];
        if (!List.of("plan", "apply", "rollback", "history", "purge-backups").contains(command)) {
            err.println("Unknown schema command '" + command + "'.");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        JsonMapper json = JsonMapper.builder().build();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CommandConfiguration.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(Map.of("spring.main.banner-mode", "off", "spring.main.register-shutdown-hook", "false"))
                .run(options.springArgs().toArray(String[]::new))) {
            SchemaMigrator migrator = context.getBean(SchemaMigrator.class);
            return switch (command) {
                case "plan" -> {
                    SchemaPlan plan = migrator.plan();
                    out.print(options.json() ? json.writerWithDefaultPrettyPrinter().writeValueAsString(plan.json()) + "\n" : plan.text());
                    yield !plan.changed() ? OK : plan.refusals().isEmpty() ? CHANGES_PENDING : REFUSED_BY_DATA;
                }
                case "apply" -> apply(migrator, options, out, err, json);
                case "rollback" -> {
                    SchemaMigrator.RolledBack rolledBack = migrator.rollback(options.version(), options.by());
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("from", rolledBack.from());
                    result.put("to", rolledBack.to());
                    result.put("undone", rolledBack.undone());
                    out.print(options.json() ? json.writeValueAsString(result) + "\n"
                            : "Rolled back schema version(s) " + rolledBack.undone() + "; the current version is "
                              + rolledBack.to() + ".\n");
                    yield OK;
                }
                case "history" -> {
                    List<Map<String, Object>> history = migrator.history();
                    if (options.json()) {
                        out.print(json.writerWithDefaultPrettyPrinter().writeValueAsString(history) + "\n");
                    } else {
                        history.forEach(version -> out.printf("%4s  %-14s  %-32s  %s%s%n", version.get("version"),
                                version.get("classification"), version.get("appliedBy"), version.get("appliedAt"),
                                version.get("rolledBackAt") == null ? "" : "  (rolled back " + version.get("rolledBackAt") + ")"));
                    }
                    yield OK;
                }
                default -> {
                    List<String> dropped = migrator.purgeBackups(options.version());
                    out.print(options.json() ? json.writeValueAsString(Map.of("dropped", dropped)) + "\n"
                            : "Dropped " + dropped.size() + " backup table(s)" + (dropped.isEmpty() ? "" : ": " + String.join(", ", dropped)) + "\n");
                    yield OK;
                }
            };
        } catch (SchemaRefusedException e) {
            return refused(e, options, out, err, json);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println("schema " + command + " failed, nothing was changed: " + rootMessage(e));
            return FAILED;
        }
    }

    private static int apply(SchemaMigrator migrator, Options options, PrintStream out, PrintStream err, JsonMapper json) {
        SchemaMigrator.Applied applied = migrator.apply(options.allowDestructive(), options.expect(), options.by());
        if (options.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("applied", applied.applied());
            result.put("version", applied.applied() ? applied.plan().version() : null);
            result.put("plan", applied.plan().json());
            result.put("concurrentFailed", applied.concurrentFailed());
            out.print(json.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        } else {
            out.print(applied.applied() ? applied.plan().text() + "\nApplied as schema version " + applied.plan().version() + ".\n"
                    : applied.plan().text());
            applied.concurrentFailed().forEach(f -> err.println("Concurrent index build failed: " + f));
        }
        return applied.concurrentFailed().isEmpty() ? OK : CONCURRENT_FAILED;
    }

    private static int refused(SchemaRefusedException e, Options options, PrintStream out, PrintStream err, JsonMapper json) {
        int code = switch (e.reason()) {
            case REFUSED_BY_DATA -> REFUSED_BY_DATA;
            case DESTRUCTIVE -> DESTRUCTIVE;
            case PLAN_CHANGED -> PLAN_CHANGED;
            case NOT_REVERSIBLE -> FAILED;
        };
        if (options.json()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("refused", e.reason().name());
            result.put("message", e.getMessage());
            result.put("plan", e.plan() == null ? null : e.plan().json());
            out.print(json.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        } else if (e.plan() != null) {
            out.print(e.plan().text());
        }
        err.println("Refused, nothing was changed: " + e.getMessage());
        return code;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** The parsed options; everything that maps to a property becomes a Spring argument. */
    private record Options(boolean json, boolean allowDestructive, String expect, Integer version, String by,
                           List<String> springArgs) {

        static Options parse(String[] args) {
            boolean json = false;
            boolean allowDestructive = false;
            String expect = null;
            Integer version = null;
            String by = System.getProperty("user.name", "unknown") + " (schema command)";
            List<String> spring = new ArrayList<>();
            String command = args[0];
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                java.util.function.Supplier<String> value = valueOf(args, i, arg, name);
                switch (name) {
                    case "--json" -> json = true;
                    case "--allow-destructive" -> allowDestructive = true;
                    case "--expect" -> expect = value.get();
                    case "--by" -> by = value.get();
                    case "--to", "--through" -> {
                        if (!(name.equals("--to") ? command.equals("rollback") : command.equals("purge-backups"))) {
                            throw new IllegalArgumentException(name + " does not apply to " + command);
                        }
                        String text = value.get();
                        try {
                            version = Integer.parseInt(text);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(name + " takes a schema version number, not '" + text + "'");
                        }
                        if (version < 0) {
                            throw new IllegalArgumentException(name + " takes a version number of 0 or more");
                        }
                    }
                    case "--definitions" -> spring.add("--plinth.definitions=" + value.get());
                    case "--url" -> spring.add("--spring.datasource.url=" + value.get());
                    case "--username" -> spring.add("--spring.datasource.username=" + value.get());
                    case "--password" -> spring.add("--spring.datasource.password=" + value.get());
                    case "--data-dir" -> spring.add("--plinth.data-dir=" + value.get());
                    default -> {
                        if ((name.startsWith("--spring.") || name.startsWith("--plinth.") || name.startsWith("--PLINTH_"))
                                && arg.contains("=")) {
                            spring.add(arg);
                        } else {
                            throw new IllegalArgumentException("Unknown option '" + arg + "'.");
                        }
                    }
                }
                if (!arg.contains("=") && List.of("--expect", "--by", "--to", "--through", "--definitions", "--url",
                        "--username", "--password", "--data-dir").contains(name)) {
                    i++;
                }
            }
            if (allowDestructive && !command.equals("apply")) {
                throw new IllegalArgumentException("--allow-destructive applies to apply only");
            }
            if (expect != null && !command.equals("apply")) {
                throw new IllegalArgumentException("--expect applies to apply only");
            }
            return new Options(json, allowDestructive, expect, version, by, List.copyOf(spring));
        }

        private static java.util.function.Supplier<String> valueOf(String[] args, int i, String arg, String name) {
            return () -> {
                if (arg.contains("=")) {
                    return arg.substring(arg.indexOf('=') + 1);
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return args[i + 1];
            };
        }
    }

    /** Only what the schema commands need: the database (embedded or not), Flyway, jOOQ and the definitions. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, FlywayAutoConfiguration.class, JooqAutoConfiguration.class})
    @Import({EmbeddedPostgresConfiguration.class, DefinitionsConfiguration.class, SchemaConfiguration.class})
    @EnableConfigurationProperties(DefinitionsConfiguration.DefinitionsProperties.class)
    static class CommandConfiguration {
    }
}
