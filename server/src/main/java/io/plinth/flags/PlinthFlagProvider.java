package io.plinth.flags;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import java.util.List;

/**
 * OpenFeature's view of Plinth's flags: boolean flags, evaluated from the cached settings with the context's
 * targeting key and its {@code roles} attribute (a list of strings). Other types and unknown flags answer the caller's
 * default with an error code, as OpenFeature prescribes.
 */
final class PlinthFlagProvider implements FeatureProvider {

    /** The evaluation context attribute holding the caller's roles. */
    static final String ROLES = "roles";

    private final FlagCatalog catalog;
    private final FlagStore store;

    PlinthFlagProvider(FlagCatalog catalog, FlagStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    @Override
    public Metadata getMetadata() {
        return () -> "plinth";
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        if (catalog.byName(key).isEmpty()) {
            return ProviderEvaluation.<Boolean>builder().value(defaultValue).errorCode(ErrorCode.FLAG_NOT_FOUND)
                    .errorMessage("no flag " + key + " is declared").reason("ERROR").build();
        }
        FlagState state = store.state(key);
        FlagRules.Decision decision = FlagRules.evaluate(state, ctx == null ? null : ctx.getTargetingKey(), roles(ctx));
        return ProviderEvaluation.<Boolean>builder().value(decision.on()).reason(decision.reason())
                .variant(decision.on() ? "on" : "off").build();
    }

    private static List<String> roles(EvaluationContext ctx) {
        Value value = ctx == null ? null : ctx.getValue(ROLES);
        if (value == null || !value.isList()) {
            return List.of();
        }
        return value.asList().stream().filter(Value::isString).map(Value::asString).toList();
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    private static <T> ProviderEvaluation<T> mismatch(T defaultValue) {
        return ProviderEvaluation.<T>builder().value(defaultValue).errorCode(ErrorCode.TYPE_MISMATCH)
                .errorMessage("Plinth's flags are booleans").reason("ERROR").build();
    }
}
