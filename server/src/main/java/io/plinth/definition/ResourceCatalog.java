package io.plinth.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every declared resource, looked up by REST path segment or by name. */
public final class ResourceCatalog {

    private final List<ResourceDefinition> resources;
    private final Map<String, ResourceDefinition> byPath = new LinkedHashMap<>();
    private final Map<String, ResourceDefinition> byName = new LinkedHashMap<>();
    private final Map<String, RoleDefinition> roles = new LinkedHashMap<>();

    /** Builds a catalog without declared roles. */
    public ResourceCatalog(List<ResourceDefinition> resources) {
        this(resources, List.of());
    }

    /** Builds a catalog; names and paths must already be unique and roles checked (the loader does both). */
    public ResourceCatalog(List<ResourceDefinition> resources, List<RoleDefinition> roles) {
        roles.forEach(role -> this.roles.put(role.name(), role));
        this.resources = List.copyOf(resources);
        for (ResourceDefinition resource : this.resources) {
            byPath.put(resource.path(), resource);
            byName.put(resource.name(), resource);
        }
    }

    /** All resources in declaration order. */
    public List<ResourceDefinition> all() {
        return resources;
    }

    /** The resource served at {@code /api/v1/{path}}. */
    public Optional<ResourceDefinition> byPath(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The declared roles, in declaration order (the built-in admin role is not among them). */
    public List<RoleDefinition> roles() {
        return List.copyOf(roles.values());
    }

    /** The declared role with this name. */
    public Optional<RoleDefinition> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    /** The resource with this singular name. */
    public Optional<ResourceDefinition> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
