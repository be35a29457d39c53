package io.plinth.embedded;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** True when events are on ({@code plinth.events.enabled}, default true) and no SQS queue URL is configured. */
class NoSqsQueueCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var environment = context.getEnvironment();
        return environment.getProperty("plinth.events.enabled", Boolean.class, true)
                && !StringUtils.hasText(environment.getProperty("plinth.events.sqs.queue-url"));
    }
}
