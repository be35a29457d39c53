package io.plinth.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What it takes to bring the database to the declarations: ordered steps, each with the SQL that makes it (up) and the
 * SQL that undoes it (down), classified, and checked against the rows the tables hold now.
 *
 * @param version  the schema version applying this plan would create
 * @param steps    in the order they run; the down SQL of the whole plan is the steps' down SQL in reverse order
 * @param recorded the resources whose declaration gets a new history version (their steps, or a changed declaration
 *                 that needs no SQL)
 * @param notes    what the plan leaves alone on purpose (e.g. an index Plinth did not create)
 */
public record SchemaPlan(int version, List<Step> steps, List<String> recorded, List<String> notes) {

    /** How much a step can cost the data, in rising order. */
    public enum Classification {
        /** Cannot lose or reject a row: added tables, columns with a value for every row, looser rules, indexes. */
        SAFE("safe"),
        /** Rewrites or fills existing rows: a backfill, a type conversion that is not a widening. */
        NEEDS_BACKFILL("needs-backfill"),
        /** Removes data from the live tables (kept in a backup table until purged): removed resources and fields. */
        DESTRUCTIVE("destructive");

        private final String label;

        Classification(String label) {
            this.label = label;
        }

        /** The name in plans, history and JSON: safe, needs-backfill, destructive. */
        public String label() {
            return label;
        }
    }

    /**
     * One step.
     *
     * @param resource       the resource it belongs to
     * @param table          the table it changes (its name after the plan)
     * @param action         what it does, e.g. {@code add column}, {@code drop column}, {@code add constraint}
     * @param target         the column, constraint, index or table it acts on
     * @param description    one readable sentence
     * @param classification safe, needs backfill or destructive
     * @param up             the statements that make it, in order
     * @param down           the statements that undo it, in order
     * @param check          what was checked against the data, as a sentence, or null
     * @param violations     rows that the step would reject or leave without a value (0 when checked and fine), or null
     * @param refused        why the step cannot be applied as declared, or null
     * @param concurrent     an index build that runs CONCURRENTLY, after the transaction commits
     * @param deferrable     a removal that the declared resources do not need (a removed resource or link table, a
     *                       column the declarations no longer have that can be left out of inserts, an extra index):
     *                       start-up leaves it for {@code schema apply}, so the previous release can still run on a
     *                       database a newer one has expanded
     */
    public record Step(String resource, String table, String action, String target, String description,
                       Classification classification, List<String> up, List<String> down, String check,
                       Long violations, String refused, boolean concurrent, boolean deferrable) {

        Step refuse(String reason) {
            return new Step(resource, table, action, target, description, classification, up, down, check, violations,
                    reason, concurrent, deferrable);
        }

        Step concurrently() {
            return new Step(resource, table, action, target, description, classification, up, down, check, violations,
                    refused, true, deferrable);
        }

        Step deferred() {
            return new Step(resource, table, action, target, description, classification, up, down, check, violations,
                    refused, concurrent, true);
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("resource", resource);
            json.put("table", table);
            json.put("action", action);
            json.put("target", target);
            json.put("description", description);
            json.put("classification", classification.label());
            json.put("up", up);
            json.put("down", down);
            json.put("check", check);
            json.put("violations", violations);
            json.put("refused", refused);
            json.put("concurrent", concurrent);
            json.put("deferrable", deferrable);
            return json;
        }
    }

    /**
     * The plan start-up applies: without the removals the declared resources do not need, and without recording the
     * removed resources those belong to ({@code declared} says which resources are declared).
     */
    SchemaPlan withoutDeferrable(java.util.function.Predicate<String> declared) {
        List<Step> kept = steps.stream().filter(step -> !step.deferrable()).toList();
        List<String> deferredNotes = new ArrayList<>(notes);
        steps.stream().filter(Step::deferrable).forEach(step -> deferredNotes.add("left for schema apply: "
                + step.resource() + ": " + step.description()));
        return new SchemaPlan(version, kept, recorded.stream().filter(declared).toList(), List.copyOf(deferredNotes));
    }

    /** Whether applying the plan changes anything (SQL to run or a declaration to record). */
    public boolean changed() {
        return !steps.isEmpty() || !recorded.isEmpty();
    }

    /** The steps that cannot be applied as declared (violating rows, no value for existing rows, an unmanaged table). */
    public List<Step> refusals() {
        return steps.stream().filter(step -> step.refused() != null).toList();
    }

    /** The highest classification of any step; null when there is no step. */
    public Classification classification() {
        return steps.stream().map(Step::classification).max(Comparator.naturalOrder()).orElse(null);
    }

    /** The steps that run inside the transaction, in order. */
    List<Step> transactional() {
        return steps.stream().filter(step -> !step.concurrent()).toList();
    }

    /** The index builds that run CONCURRENTLY after the transaction commits. */
    List<Step> concurrent() {
        return steps.stream().filter(Step::concurrent).toList();
    }

    /** The statements that undo the plan: every step's down SQL, last step first. */
    List<String> downStatements() {
        List<String> down = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            down.addAll(steps.get(i).down());
        }
        return down;
    }

    /**
     * A fingerprint of exactly what applying would run: every step's up and down SQL and the recorded resources. A
     * reviewed plan's checksum given to {@code schema apply --expect} makes the apply refuse anything else.
     */
    public String checksum() {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            text.append(step.action()).append('\u0000').append(String.join("\u0001", step.up())).append('\u0000')
                    .append(String.join("\u0001", step.down())).append('\u0000').append(step.concurrent()).append('\n');
        }
        text.append(String.join(",", recorded));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The plan as JSON-ready maps (the CLI's {@code --json} and the admin API print this). */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        json.put("changed", changed());
        json.put("applicable", refusals().isEmpty());
        json.put("classification", classification() == null ? null : classification().label());
        json.put("checksum", checksum());
        json.put("steps", steps.stream().map(Step::json).toList());
        json.put("recorded", recorded);
        json.put("notes", notes);
        return json;
    }

    /** The plan for people: one paragraph per step with its SQL. */
    public String text() {
        if (!changed()) {
            return "The database matches the declarations: nothing to do.\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("Schema plan for version ").append(version).append(": ").append(steps.size()).append(" step(s), ")
                .append(classification() == null ? "no SQL" : classification().label())
                .append(refusals().isEmpty() ? "" : ", " + refusals().size() + " REFUSED")
                .append(" (checksum ").append(checksum(), 0, 12).append(")\n");
        int n = 1;
        for (Step step : steps) {
            out.append('\n').append(n++).append(". [").append(step.classification().label()).append("] ")
                    .append(step.resource()).append(": ").append(step.description()).append('\n');
            if (step.check() != null) {
                out.append("   checked: ").append(step.check()).append('\n');
            }
            if (step.refused() != null) {
                out.append("   REFUSED: ").append(step.refused()).append('\n');
            }
            if (step.concurrent()) {
                out.append("   runs CONCURRENTLY after the transaction commits\n");
            }
            step.up().forEach(sql -> out.append("   up:   ").append(sql).append(";\n"));
            step.down().forEach(sql -> out.append("   down: ").append(sql).append(";\n"));
        }
        if (!recorded.isEmpty()) {
            out.append("\nRecords a new version of: ").append(String.join(", ", recorded)).append('\n');
        }
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        return out.toString();
    }
}
