package io.plinth.api;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.plinth.definition.ResourceCatalog;
import java.util.Map;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Names the resource of each API request in its observation, so that {@code http_server_requests_seconds} (rate,
 * errors, duration) splits per resource as well as per route template ({@code uri="/api/v1/{resource}/{id}"}). Only
 * declared resources become tag values: a request for an unknown path is tagged {@code none}, so clients cannot grow
 * the number of series.
 */
@Component
class ResourceRequestObservations extends DefaultServerRequestObservationConvention {

    static final String RESOURCE_KEY = "resource";
    private static final String NONE = "none";

    private final ResourceCatalog catalog;

    ResourceRequestObservations(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and(KeyValue.of(RESOURCE_KEY, resourceOf(context)));
    }

    private String resourceOf(ServerRequestObservationContext context) {
        if (context.getCarrier() == null
                || !(context.getCarrier().getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)
                || !(variables.get("resource") instanceof String path)) {
            return NONE;
        }
        return catalog.byPath(path).map(resource -> resource.name()).orElse(NONE);
    }
}
