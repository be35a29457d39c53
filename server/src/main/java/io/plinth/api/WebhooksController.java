package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import io.plinth.record.RecordReader;
import io.plinth.record.RecordRenderer;
import io.plinth.security.CurrentPrincipal;
import io.plinth.webhooks.DeliveryLog;
import io.plinth.webhooks.TargetGuard;
import io.plinth.webhooks.Webhook;
import io.plinth.webhooks.WebhookStore;
import io.plinth.webhooks.WebhookWorker;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Webhook subscriptions, their delivery log and replay (admin only: {@code /api/v1/_admin/**}). */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_admin/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhooksController {

    private static final Set<String> FIELDS = Set.of("url", "eventTypes", "active", "headers", "description");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-type", "content-length", "connection",
            "transfer-encoding", "user-agent", "expect", "upgrade");
    private static final int MAX_URL = 2000;

    private final WebhookStore store;
    private final WebhookWorker worker;
    private final DeliveryLog log;
    private final TargetGuard guard;
    private final CurrentPrincipal current;
    private final RequestBodies bodies;
    private final RecordReader reader = new RecordReader();

    WebhooksController(WebhookStore store, WebhookWorker worker, DeliveryLog log, TargetGuard guard,
                       CurrentPrincipal current, RequestBodies bodies) {
        this.store = store;
        this.worker = worker;
        this.log = log;
        this.guard = guard;
        this.current = current;
        this.bodies = bodies;
    }

    @GetMapping
    ObjectNode list() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode data = json.putArray("data");
        store.all().forEach(webhook -> data.add(render(webhook)));
        return json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> create(HttpServletRequest request) {
        WebhookStore.Change change = read(request, true);
        Webhook created = store.create(change, current.get().name());
        ObjectNode json = render(created);
        json.put("secret", created.secret());
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store").body(json);
    }

    @GetMapping("/{id}")
    ObjectNode get(@PathVariable("id") String id) {
        return render(store.find(id(id)).orElseThrow(WebhooksController::notFound));
    }

    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    ObjectNode update(@PathVariable("id") String id, HttpServletRequest request) {
        UUID webhookId = id(id);
        WebhookStore.Change change = read(request, false);
        return render(store.update(webhookId, change).orElseThrow(WebhooksController::notFound));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable("id") String id) {
        if (!store.delete(id(id))) {
            throw notFound();
        }
        return ResponseEntity.noContent().build();
    }

    /** A new signing secret, shown once; the old one stops signing at once. */
    @PostMapping("/{id}/secret")
    ResponseEntity<ObjectNode> rotateSecret(@PathVariable("id") String id) {
        Webhook webhook = store.rotateSecret(id(id)).orElseThrow(WebhooksController::notFound);
        ObjectNode json = render(webhook);
        json.put("secret", webhook.secret());
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(json);
    }

    @GetMapping("/{id}/deliveries")
    ObjectNode deliveries(@PathVariable("id") String id,
                          @RequestParam(name = "status", required = false) String status,
                          @RequestParam(name = "limit", required = false) String limitText,
                          @RequestParam(name = "cursor", required = false) String cursor) {
        UUID webhookId = id(id);
        store.find(webhookId).orElseThrow(WebhooksController::notFound);
        if (status != null && !List.of("PENDING", "DELIVERED", "DEAD").contains(status)) {
            throw invalid("status", "must be PENDING, DELIVERED or DEAD");
        }
        int limit = 20;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw invalid("limit", "must be a whole number from 1 to 100");
            }
        }
        if (cursor != null && !cursor.matches("[0-9T:.+\\-Z]{10,40}~[0-9a-f-]{36}")) {
            throw invalid("cursor", "is not a cursor of this log");
        }
        DeliveryLog.Page page;
        try {
            page = log.deliveries(webhookId, status, limit, cursor);
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw invalid("cursor", "is not a cursor of this log");
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode data = json.putArray("data");
        page.deliveries().forEach(delivery -> data.add(render(delivery)));
        ObjectNode info = json.putObject("page");
        info.put("limit", limit);
        info.put("nextCursor", page.next());
        return json;
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/replay")
    ResponseEntity<ObjectNode> replay(@PathVariable("id") String id, @PathVariable("deliveryId") String deliveryId) {
        UUID webhookId = id(id);
        UUID delivery = RecordReader.parseId(deliveryId).orElseThrow(() ->
                new PlinthException(ErrorCode.NOT_FOUND, "No delivery of this webhook has this id."));
        DeliveryLog.Delivery replayed = log.replay(webhookId, delivery).orElseThrow(() ->
                new PlinthException(ErrorCode.NOT_FOUND, "No delivery of this webhook has this id."));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(render(replayed));
    }

    private WebhookStore.Change read(HttpServletRequest request, boolean creating) {
        BodyFields body = new BodyFields(reader.parseObject(bodies.read(request)), FIELDS);
        String url = body.string("url", creating);
        if (url != null) {
            if (url.length() > MAX_URL) {
                body.problem("url", "must be at most " + MAX_URL + " characters long");
            } else {
                guard.problemWith(url).ifPresent(problem -> body.problem("url", problem));
            }
        }
        List<String> types = body.strings("eventTypes", 50);
        if (types == null && creating) {
            body.problem("eventTypes", "is required (e.g. [\"ENTITY_*\"] or [\"*\"])");
        } else if (types != null) {
            if (types.isEmpty()) {
                body.problem("eventTypes", "must name at least one event type pattern");
            }
            types.stream().filter(type -> !Webhook.EVENT_TYPE_PATTERN.matcher(type).matches()).findFirst()
                    .ifPresent(type -> body.problem("eventTypes", "holds '" + printable(type) + "', which is not an "
                            + "event type pattern (upper case, digits and _, optionally ending in *)"));
        }
        Boolean active = body.bool("active");
        Map<String, String> headers = body.stringMap("headers", 20);
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String name = header.getKey();
                if (!HEADER_NAME.matcher(name).matches()) {
                    body.problem("headers", "has a header name that is not a token: '" + printable(name) + "'");
                } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                        || name.toLowerCase(Locale.ROOT).startsWith("plinth-")) {
                    body.problem("headers", "may not set " + name + " (Plinth sets it)");
                } else if (header.getValue().length() > 1000 || header.getValue().chars().anyMatch(c -> c < 32 || c == 127)) {
                    body.problem("headers", "has a value for " + name + " that is too long or holds control characters");
                }
            }
        }
        String description = body.string("description", false);
        if (description != null && description.length() > 500) {
            body.problem("description", "must be at most 500 characters long");
        }
        body.check(creating ? "The webhook" : "The change");
        return new WebhookStore.Change(url, types, active, headers, description);
    }

    private ObjectNode render(Webhook webhook) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", webhook.id().toString());
        json.put("url", webhook.url());
        webhook.eventTypes().forEach(json.putArray("eventTypes")::add);
        json.put("active", webhook.active());
        // Header values may be credentials of the receiver: names only.
        webhook.headers().keySet().stream().sorted().forEach(json.putArray("headerNames")::add);
        json.put("description", webhook.description());
        json.put("circuit", worker.circuitState(webhook.id()));
        json.put("version", webhook.version());
        json.put("createdAt", SecurityJson.time(webhook.createdAt()));
        json.put("updatedAt", SecurityJson.time(webhook.updatedAt()));
        json.put("createdBy", webhook.createdBy());
        return json;
    }

    private static ObjectNode render(DeliveryLog.Delivery delivery) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", delivery.id().toString());
        json.put("eventId", delivery.eventId().toString());
        json.put("eventType", delivery.eventType());
        json.put("resource", delivery.resource());
        json.put("recordId", delivery.recordId().toString());
        json.put("recordVersion", delivery.recordVersion());
        json.put("status", delivery.status());
        json.put("attempts", delivery.attempts());
        json.put("createdAt", SecurityJson.time(delivery.createdAt()));
        json.put("nextAttemptAt", "PENDING".equals(delivery.status()) ? SecurityJson.time(delivery.nextAttemptAt()) : null);
        json.put("deliveredAt", SecurityJson.time(delivery.deliveredAt()));
        if (delivery.lastStatus() == null) {
            json.putNull("lastStatus");
        } else {
            json.put("lastStatus", delivery.lastStatus());
        }
        json.put("lastError", delivery.lastError());
        ArrayNode attempts = json.putArray("attemptLog");
        for (DeliveryLog.Attempt attempt : delivery.attemptLog()) {
            ObjectNode item = attempts.addObject();
            item.put("at", SecurityJson.time(attempt.at()));
            if (attempt.statusCode() == null) {
                item.putNull("statusCode");
            } else {
                item.put("statusCode", attempt.statusCode());
            }
            item.put("durationMs", attempt.durationMs());
            item.put("error", attempt.error());
        }
        return json;
    }


    private static UUID id(String id) {
        return RecordReader.parseId(id).orElseThrow(WebhooksController::notFound);
    }

    private static PlinthException notFound() {
        return new PlinthException(ErrorCode.NOT_FOUND, "No webhook has this id.");
    }

    private static PlinthException invalid(String field, String message) {
        return new PlinthException(ErrorCode.VALIDATION_ERROR, "The request is not valid: " + field + " " + message + ".",
                List.of(new io.plinth.error.FieldProblem(field, message)));
    }

    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
