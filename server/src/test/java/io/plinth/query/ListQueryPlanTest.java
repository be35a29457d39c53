package io.plinth.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.query.ListQuery.CountMode;
import io.plinth.query.ListQuery.Filter;
import io.plinth.query.ListQuery.Operator;
import io.plinth.support.PlinthIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The SQL the list endpoint really issues, explained by PostgreSQL on a table of 100,000 rows: the default order and
 * status filters, first pages and later (cursor) pages, are served by indexes, never by a sequential scan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListQueryPlanTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;
    @Autowired
    ResourceCatalog catalog;

    private final List<String> statements = new ArrayList<>();
    private JooqRecordStore store;
    private ResourceDefinition table;

    @BeforeAll
    void fillATableWith100000Rows() {
        table = catalog.byName("gadget").orElseThrow();
        dsl.execute("""
                insert into gadget (name, quantity, status, created_at, updated_at)
                select 'Row ' || g, g % 100, (array['NEW','IN_USE','RETIRED'])[1 + g % 3],
                       now() - g * interval '1 second', now()
                from generate_series(1, 100000) g""");
        dsl.execute("vacuum analyze gadget");
        ExecuteListener recorder = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                statements.add(ctx.dsl().renderInlined(ctx.query()));
            }
        };
        store = new JooqRecordStore(dsl.configuration().derive(new DefaultExecuteListenerProvider(recorder)).dsl(), catalog,
                List.of());
    }

    private String planOf(ListQuery query) {
        statements.clear();
        store.list(table, query);
        String select = statements.stream().filter(s -> s.startsWith("select")).findFirst().orElseThrow();
        return String.join("\n", dsl.fetch("explain " + select).getValues(0, String.class));
    }

    private ListQuery query(List<Filter> filters, ListQuery.Cursor after) {
        return new ListQuery(filters, ListQueryParser.DEFAULT_SORT, 20, after, null, CountMode.NONE);
    }

    private ListQuery.Cursor cursorAfterFirstPage(List<Filter> filters) {
        Page first = store.list(table, query(filters, null));
        var last = first.records().getLast();
        return new ListQuery.Cursor(List.of(last.createdAt()), last.id());
    }

    @Test
    void theDefaultOrderUsesTheCreatedAtIndexOnEveryPage() {
        assertThat(planOf(query(List.of(), null))).contains("Index Scan Backward using idx_gadget_created_at_id")
                .doesNotContain("Seq Scan");
        assertThat(planOf(query(List.of(), cursorAfterFirstPage(List.of()))))
                .contains("idx_gadget_created_at_id").doesNotContain("Seq Scan");
    }

    @Test
    void aStatusFilterWithTheDefaultOrderUsesAnIndexOnEveryPage() {
        List<Filter> active = List.of(new Filter("status", Operator.EQ, List.of("IN_USE")));
        assertThat(planOf(query(active, null))).contains("Index").doesNotContain("Seq Scan");
        assertThat(planOf(query(active, cursorAfterFirstPage(active)))).contains("Index").doesNotContain("Seq Scan");
        assertThat(planOf(new ListQuery(active, ListQueryParser.DEFAULT_SORT, 20, null, null, CountMode.NONE)))
                .doesNotContain("Sort  (");
    }

    @Test
    void aStatusFilterInTheDefaultOrderReadsTheStatusCreatedAtIndex() {
        List<Filter> active = List.of(new Filter("status", Operator.EQ, List.of("IN_USE")));
        assertThat(planOf(query(active, null))).contains("idx_gadget_status_created_at_id");
        assertThat(planOf(query(active, cursorAfterFirstPage(active)))).contains("idx_gadget_status_created_at_id");
    }

    @Test
    void anExactCountWithAStatusFilterUsesTheStatusIndex() {
        List<Filter> retired = List.of(new Filter("status", Operator.EQ, List.of("RETIRED")));
        statements.clear();
        store.list(table, new ListQuery(retired, ListQueryParser.DEFAULT_SORT, 20, null, null, CountMode.EXACT));
        String count = statements.stream().filter(s -> s.startsWith("select count")).findFirst().orElseThrow();
        assertThat(String.join("\n", dsl.fetch("explain " + count).getValues(0, String.class)))
                .contains("idx_gadget_status").doesNotContain("Seq Scan");
        assertThat(Map.of()).isEmpty();
    }
}
