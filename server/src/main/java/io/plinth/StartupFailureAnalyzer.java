package io.plinth;

import io.plinth.definition.DefinitionException;
import io.plinth.schema.SchemaMismatchException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns Plinth's own start-up refusals (bad definitions, a table that no longer matches its declaration) into a plain
 * report instead of a chain of bean-creation stack traces.
 */
class StartupFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DefinitionException definitions) {
                return new FailureAnalysis(definitions.getMessage(),
                        "Correct the resource definitions (plinth.definitions) and start again.", definitions);
            }
            if (cause instanceof SchemaMismatchException mismatch) {
                return new FailureAnalysis(mismatch.getMessage(),
                        "Apply the plan with `java -jar plinth.jar schema apply`, correct the data it refuses, or restore the earlier declaration.", mismatch);
            }
        }
        return null;
    }
}
