/**
 * Feature flags: declared in configuration (plus two built-in flags per resource, {@code <resource>.maintenance} and
 * {@code <resource>.hidden}), their state stored in PostgreSQL ({@code plinth_flag}), cached in each instance and
 * refreshed on a NOTIFY from any instance (polling as the backstop), with per-role and percentage rollout. Java code
 * reads them through OpenFeature ({@link io.plinth.flags.FeatureFlags} wraps an OpenFeature client bound to Plinth's
 * provider). Depends on definition (the resources) only.
 */
package io.plinth.flags;
