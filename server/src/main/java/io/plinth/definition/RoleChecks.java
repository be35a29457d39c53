package io.plinth.definition;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks declared roles against the declared resources: every name a grant uses must exist. */
final class RoleChecks {

    private RoleChecks() {
    }

    static void check(List<ResourceDefinition> resources, Collection<RoleDefinition> roles, List<String> problems) {
        for (RoleDefinition role : roles) {
            for (RoleDefinition.Grant grant : role.grants()) {
                String where = "role '" + role.name() + "', grant '" + grant.resource() + "': ";
                if (grant.resource().equals(RoleDefinition.EVERY_RESOURCE)) {
                    checkAcrossAll(resources, grant, where, problems);
                    continue;
                }
                Optional<ResourceDefinition> found = resources.stream()
                        .filter(r -> r.name().equals(grant.resource())).findFirst();
                if (found.isEmpty()) {
                    problems.add(where + "no resource is named '" + grant.resource() + "'; declared: "
                            + resources.stream().map(ResourceDefinition::name).collect(Collectors.joining(", "))
                            + " (or '*' for all)");
                    continue;
                }
                ResourceDefinition resource = found.get();
                Set<String> fields = resource.fields().stream().map(FieldDefinition::name).collect(Collectors.toSet());
                unknown(grant.hiddenFields(), fields, where + "hiddenFields", resource, problems);
                unknown(grant.readOnlyFields(), fields, where + "readOnlyFields", resource, problems);
                for (String state : grant.transitions()) {
                    if (!resource.lifecycle().states().contains(state)) {
                        problems.add(where + "transitions: '" + state + "' is not a state of " + resource.name()
                                + " (" + String.join(", ", resource.lifecycle().states()) + ")");
                    }
                }
            }
        }
    }

    /** A {@code *} grant may name only what exists in at least one resource. */
    private static void checkAcrossAll(List<ResourceDefinition> resources, RoleDefinition.Grant grant, String where,
                                       List<String> problems) {
        Set<String> fields = resources.stream().flatMap(r -> r.fields().stream()).map(FieldDefinition::name)
                .collect(Collectors.toSet());
        Set<String> states = resources.stream().flatMap(r -> r.lifecycle().states().stream()).collect(Collectors.toSet());
        grant.hiddenFields().stream().filter(f -> !fields.contains(f)).forEach(f -> problems.add(where
                + "hiddenFields: no resource has a field '" + f + "'"));
        grant.readOnlyFields().stream().filter(f -> !fields.contains(f)).forEach(f -> problems.add(where
                + "readOnlyFields: no resource has a field '" + f + "'"));
        grant.transitions().stream().filter(s -> !states.contains(s)).forEach(s -> problems.add(where
                + "transitions: no resource has a state '" + s + "'"));
    }

    private static void unknown(Set<String> named, Set<String> fields, String where, ResourceDefinition resource,
                                List<String> problems) {
        named.stream().filter(f -> !fields.contains(f)).forEach(f -> problems.add(where + ": '" + f
                + "' is not a field of " + resource.name()));
    }
}
