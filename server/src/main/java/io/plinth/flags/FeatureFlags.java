package io.plinth.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.plinth.definition.ResourceDefinition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * How Plinth's code asks about flags: through an OpenFeature client bound to Plinth's provider. Each application
 * context registers its provider under a domain of its own, so several Plinths in one JVM (tests) never read each
 * other's flags through OpenFeature's global registry.
 */
@Component
public class FeatureFlags implements DisposableBean {

    private final String domain = "plinth-" + UUID.randomUUID();
    private final Client client;
    private final PlinthFlagProvider provider;
    private final FlagStore store;

    public FeatureFlags(FlagCatalog catalog, FlagStore store) {
        this.store = store;
        this.provider = new PlinthFlagProvider(catalog, store);
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
        this.client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    /** Whether a flag is on for a caller (its targeting key, e.g. a user id, and its roles). */
    public boolean isOn(String flag, String targetingKey, Collection<String> roles) {
        ImmutableContext context = new ImmutableContext(targetingKey == null ? "" : targetingKey,
                Map.of(PlinthFlagProvider.ROLES, new Value(roles.stream().map(Value::new).toList())));
        return client.getBooleanValue(flag, false, context);
    }

    /** Whether a flag is on for an anonymous caller. */
    public boolean isOn(String flag) {
        return isOn(flag, null, List.of());
    }

    /**
     * Whether the resource is in read-only maintenance. The built-in flags are asked on every API request, so they are
     * evaluated on the cached setting directly, with the same rules, rather than through OpenFeature's client (whose
     * hooks and context merging cost about 4 % of a read; docs/performance.md).
     */
    public boolean inMaintenance(ResourceDefinition resource) {
        return FlagRules.evaluate(store.state(FlagCatalog.maintenanceOf(resource)), null, List.of()).on();
    }

    /** Whether the resource is hidden from the API (evaluated as {@link #inMaintenance}). */
    public boolean isHidden(ResourceDefinition resource) {
        return FlagRules.evaluate(store.state(FlagCatalog.hiddenOf(resource)), null, List.of()).on();
    }

    /**
     * Whether the resource is in maintenance for this caller: a flag limited to roles or to a percentage of callers
     * (by targeting key, the principal's name) applies to those only.
     */
    public boolean inMaintenance(ResourceDefinition resource, String targetingKey, Collection<String> roles) {
        return FlagRules.evaluate(store.state(FlagCatalog.maintenanceOf(resource)), targetingKey, roles).on();
    }

    /** Whether the resource is hidden from this caller (evaluated as {@link #inMaintenance(ResourceDefinition, String, Collection)}). */
    public boolean isHidden(ResourceDefinition resource, String targetingKey, Collection<String> roles) {
        return FlagRules.evaluate(store.state(FlagCatalog.hiddenOf(resource)), targetingKey, roles).on();
    }

    /** The OpenFeature client, for code that wants the full evaluation details. */
    public Client client() {
        return client;
    }

    @Override
    public void destroy() {
        provider.shutdown();
    }
}
