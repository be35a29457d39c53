package io.plinth.api;

import io.plinth.schema.SchemaMigrator;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The schema plan and history for administrators ({@code /api/v1/_admin/**} is admin only): what {@code schema plan}
 * prints with {@code --json}, computed against the running instance's declarations and database. Read only: applying
 * and rolling back are deploy steps, done with the command line (docs/operations.md).
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_admin/schema", produces = MediaType.APPLICATION_JSON_VALUE)
class SchemaController {

    private final SchemaMigrator migrator;

    SchemaController(SchemaMigrator migrator) {
        this.migrator = migrator;
    }

    @GetMapping("/plan")
    ResponseEntity<Map<String, Object>> plan() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(migrator.plan().json());
    }

    @GetMapping("/history")
    ResponseEntity<Map<String, List<Map<String, Object>>>> history() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("data", migrator.history()));
    }
}
